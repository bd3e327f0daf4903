//! Results on standard output, without the panic of `println!` when it is closed.

use std::{
    fmt,
    io::{ErrorKind, Write},
};

use crate::failure::Failure;

/// Writes `text` and a newline on standard output. A reader that is gone (`| head`) is
/// not an error: the command carries on, and its exit status still says how it went.
pub(crate) fn line(text: impl fmt::Display) -> Result<(), Failure> {
    write(format_args!("{text}\n"))
}

/// Writes `text` on standard output, as [`line()`] does, without a newline.
pub(crate) fn write(text: fmt::Arguments<'_>) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_fmt(text).and_then(|()| out.flush()) {
        Err(err) if err.kind() != ErrorKind::BrokenPipe => Err(Failure::Failed(format!(
            "cannot write to standard output: {err}"
        ))),
        _ => Ok(()),
    }
}
