//! The command line: every subcommand and option, as clap reads them (their doc comments
//! are the `--help` texts).

use std::path::PathBuf;

use actix_tim_callback::testkit::TestCallback;
use clap::{ArgGroup, Args, Parser, Subcommand};

/// Sends Tencent Cloud IM callbacks to an app, and looks after the app's durable queue.
#[derive(Debug, Parser)]
#[command(name = "tim-callback", version, propagate_version = true)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Posts a signed callback to an app and prints the reply.
    ///
    /// The request is the one Tencent's IM backend sends: the query string (SdkAppid,
    /// CallbackCommand, ClientIP, OptPlatform, RequestTime and Sign) and the body as it is.
    /// Exits with 0 when the reply is HTTP 2xx with "ActionStatus":"OK" and "ErrorCode":0,
    /// 1 when it is not or the app cannot be reached, 2 when nothing could be sent.
    Send(SendArgs),
    /// Lists the commands that have a built-in sample, or prints one.
    ///
    /// The samples are Tencent's documented bodies of every callback command. Print one to
    /// edit it, then send the file: `tim-callback samples State.StateChange > state.json`.
    Samples(SamplesArgs),
    /// Shows, retries and purges the tasks of a durable queue.
    ///
    /// The queue is the one the app's `CallbackQueue` writes to: in SQLite, Redis or
    /// PostgreSQL, named by --url.
    Queue(QueueArgs),
}

/// `send`: what to post, where, and how it is signed.
#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("callback")
        .required(true)
        .args(["sample", "file", "all_samples", "list"]),
))]
pub(crate) struct SendArgs {
    /// The app's callback URL, e.g. http://127.0.0.1:8080/im/callback
    #[arg(
        long,
        value_name = "URL",
        env = "TIM_CALLBACK_URL",
        required_unless_present = "list"
    )]
    pub(crate) url: Option<String>,

    /// Sends Tencent's sample of COMMAND (`tim-callback samples` lists them)
    #[arg(long, value_name = "COMMAND")]
    pub(crate) sample: Option<String>,

    /// Sends the body in FILE (`-`: standard input)
    ///
    /// Its command is --command, else the file's "CallbackCommand" field; a file with
    /// neither is refused (exit status 2), and nothing is sent.
    #[arg(value_name = "FILE")]
    pub(crate) file: Option<PathBuf>,

    /// Sends the sample of every command, one reply a line
    ///
    /// A conformance run of the app: exits with 0 only when every reply is OK.
    #[arg(long, conflicts_with = "command")]
    pub(crate) all_samples: bool,

    /// Lists the commands --sample takes (as `tim-callback samples` does), sends nothing
    #[arg(long)]
    pub(crate) list: bool,

    /// The app's callback token, to sign with (else unsigned)
    ///
    /// The request then carries RequestTime (now) and Sign = sha256(TOKEN + RequestTime).
    #[arg(
        long,
        value_name = "TOKEN",
        env = "TIM_CALLBACK_TOKEN",
        hide_env_values = true
    )]
    token: Option<String>,

    /// The SdkAppid of the query
    #[arg(
        long,
        value_name = "N",
        env = "TIM_SDKAPPID",
        default_value_t = TestCallback::DEFAULT_SDK_APP_ID
    )]
    pub(crate) sdkappid: u64,

    /// The CallbackCommand of the query, instead of the sample's or the file's
    #[arg(long, value_name = "COMMAND")]
    pub(crate) command: Option<String>,

    /// The ClientIP of the query
    #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
    pub(crate) client_ip: String,

    /// The OptPlatform of the query (Web, iOS, Android, ...)
    #[arg(long, value_name = "PLATFORM", default_value = "Web")]
    pub(crate) platform: String,

    /// How long to wait for each reply
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub(crate) timeout: u64,
}

impl SendArgs {
    /// The token to sign with: none when it is empty (an empty `TIM_CALLBACK_TOKEN` means
    /// unset, as for the examples' servers).
    pub(crate) fn token(&self) -> Option<&str> {
        self.token
            .as_deref()
            .filter(|token| !token.trim().is_empty())
    }
}

/// `samples`: the list, or one sample.
#[derive(Debug, Args)]
pub(crate) struct SamplesArgs {
    /// Prints the sample of COMMAND instead of the list
    #[arg(value_name = "COMMAND")]
    pub(crate) command: Option<String>,
}

/// `queue`: one of its subcommands.
#[derive(Debug, Args)]
pub(crate) struct QueueArgs {
    /// What to do with the queue.
    #[command(subcommand)]
    pub(crate) command: QueueCommand,
}

/// The subcommands of `queue`.
#[derive(Debug, Subcommand)]
pub(crate) enum QueueCommand {
    /// Prints how many tasks are pending, running, failed (dead) and done
    Stats {
        /// The queue.
        #[command(flatten)]
        store: StoreArgs,
        /// Prints one JSON object instead of text
        #[arg(long)]
        json: bool,
    },
    /// Prints the dead tasks: id, command, key, arrival, attempts, last error
    ///
    /// A dead task failed all its attempts (or could not be decoded); the latest failure
    /// comes first.
    Dead {
        /// The queue.
        #[command(flatten)]
        store: StoreArgs,
        /// Prints at most N tasks
        #[arg(long, value_name = "N", default_value_t = 100)]
        limit: usize,
        /// Prints a JSON array, with each task's body, instead of text
        #[arg(long)]
        json: bool,
    },
    /// Queues dead tasks again, with their attempts reset
    Retry {
        /// The queue.
        #[command(flatten)]
        store: StoreArgs,
        /// The ids of the dead tasks to retry, as `queue dead` prints them
        #[arg(value_name = "ID", required_unless_present = "all")]
        ids: Vec<String>,
        /// Retries every dead task
        #[arg(long, conflicts_with = "ids")]
        all: bool,
    },
    /// Deletes the dead tasks (--failed), or what is left of done tasks; asks for --yes
    ///
    /// With --failed it deletes the dead tasks for good (`queue dead` lists them, `queue
    /// retry` runs them again). Without it, the rows of done tasks that older versions of
    /// the crate kept (the worker now deletes a task once it is done, and counts it).
    /// Without --yes it says what it would delete, deletes nothing, and exits with 2.
    Purge {
        /// The queue.
        #[command(flatten)]
        store: StoreArgs,
        /// Deletes the dead tasks (failed all their attempts) instead
        #[arg(long)]
        failed: bool,
        /// Confirms the purge
        #[arg(long)]
        yes: bool,
    },
}

impl QueueCommand {
    /// The queue the command is about.
    pub(crate) fn store(&self) -> &StoreArgs {
        match self {
            Self::Stats { store, .. }
            | Self::Dead { store, .. }
            | Self::Retry { store, .. }
            | Self::Purge { store, .. } => store,
        }
    }
}

/// Where the queue is, and the risks accepted of a Redis that may lose tasks.
#[derive(Debug, Args)]
pub(crate) struct StoreArgs {
    /// The queue: `sqlite://PATH`, `redis://HOST[:PORT][/DB]` or `postgres://USER@HOST/DB`
    ///
    /// `sqlite://PATH` is relative, `sqlite:///PATH` absolute; Redis also takes `rediss://`
    /// and `redis+unix://SOCKET`; PostgreSQL `postgres://USER[:PASSWORD]@HOST[:PORT]/DB`.
    /// Errors and progress lines show the URL without its password.
    #[arg(
        long,
        value_name = "URL",
        env = "TIM_QUEUE_URL",
        hide_env_values = true
    )]
    pub(crate) url: String,

    /// Opens a Redis that persists nothing, which is otherwise refused
    #[arg(long)]
    pub(crate) accept_no_persistence: bool,

    /// Opens a Redis whose maxmemory-policy evicts any key, which is otherwise refused
    #[arg(long)]
    pub(crate) accept_eviction: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
