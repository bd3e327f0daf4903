//! `tim-callback`: the command line of `actix-tim-callback` (feature `cli`).
//!
//! ```sh
//! cargo install actix-tim-callback --features cli
//! tim-callback samples                                  # the commands with a built-in sample
//! tim-callback send --url http://127.0.0.1:8080/im/callback --token TOKEN \
//!     --sample Group.CallbackAfterSendMsg               # or a JSON file, or --all-samples
//! tim-callback queue stats --url sqlite://callbacks.db  # dead, retry, purge as well
//! tim-callback queue retry --all --url redis://127.0.0.1:6379/
//! ```
//!
//! `send` posts a callback exactly as Tencent's IM backend does (the query string, the
//! signature, the body) and exits with 0 only when the reply is HTTP 2xx with
//! `"ActionStatus":"OK"` and `"ErrorCode":0`. `queue` reads and repairs a durable queue in
//! SQLite, Redis or PostgreSQL. Progress and errors go to standard error, results to
//! standard output.
//! Exit status: 0 done, 1 failed (a reply that is not OK, a store or endpoint that fails),
//! 2 a command line that cannot be carried out (nothing was sent or changed).

mod args;
mod failure;
mod logger;
mod output;
mod queue;
mod rfc3339;
mod samples;
mod send;
mod store;

use std::process::ExitCode;

use actix_web::rt::System;
use clap::Parser;

use args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    logger::init();
    let outcome = match cli.command {
        Command::Samples(args) => samples::run(&args),
        Command::Send(args) => System::new().block_on(send::run(&args)),
        Command::Queue(args) => System::new().block_on(store::run(args)),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            failure.exit_code()
        }
    }
}
