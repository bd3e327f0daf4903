//! [`Failure`]: why a command did not succeed, and the exit status that says so.

use std::{fmt, process::ExitCode};

/// Why a command did not succeed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The command line asks for what cannot be done (an unknown sample, a file without a
    /// command, a purge without `--yes`): nothing was sent or changed. Exit status 2, as
    /// for clap's own usage errors.
    Usage(String),
    /// The command ran and failed: a reply that is not OK, an endpoint that cannot be
    /// reached, a store that fails. Exit status 1.
    Failed(String),
}

impl Failure {
    /// The process' exit status for this failure.
    pub(crate) fn exit_code(&self) -> ExitCode {
        match self {
            Self::Usage(_) => ExitCode::from(2),
            Self::Failed(_) => ExitCode::FAILURE,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(message) | Self::Failed(message) => f.write_str(message),
        }
    }
}
