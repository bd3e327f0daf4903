//! The built-in samples: Tencent's documented body of every callback command of the
//! catalogue, listed by `samples` and sent by `send --sample`.

use actix_tim_callback::testkit::TestCallback;

use crate::{args::SamplesArgs, failure::Failure, output};

/// `samples`: lists the commands, or prints the body of one.
pub(crate) fn run(args: &SamplesArgs) -> Result<(), Failure> {
    match &args.command {
        Some(command) => {
            let body = sample(command)?.body_bytes();
            let body = String::from_utf8_lossy(&body);
            output::line(body.strip_suffix('\n').unwrap_or(&body))
        }
        None => list(),
    }
}

/// `samples` and `send --list`: the commands that have a sample, one a line.
pub(crate) fn list() -> Result<(), Failure> {
    let commands: Vec<&str> = TestCallback::commands().collect();
    output::line(commands.join("\n"))?;
    eprintln!(
        "{} commands have a sample; `tim-callback samples COMMAND` prints one, \
         `tim-callback send --sample COMMAND` sends it",
        commands.len()
    );
    Ok(())
}

/// Tencent's sample of `command`, or why there is none (naming the commands it may have
/// meant).
pub(crate) fn sample(command: &str) -> Result<TestCallback, Failure> {
    TestCallback::sample(command).ok_or_else(|| {
        let mut message = format!(
            "no sample of {command:?}; `tim-callback samples` lists the {} commands that have one",
            TestCallback::commands().count()
        );
        let near = near(command);
        if !near.is_empty() {
            message.push_str(&format!(" (did you mean {}?)", near.join(", ")));
        }
        Failure::Usage(message)
    })
}

/// The commands that look like `typed`: the same letters once case, dots and the word
/// "Callback" are set aside, or containing them (at most five).
fn near(typed: &str) -> Vec<&'static str> {
    fn letters(text: &str) -> String {
        text.to_lowercase().replace("callback", "").replace('.', "")
    }
    let typed = letters(typed);
    if typed.len() < 3 {
        return Vec::new();
    }
    TestCallback::commands()
        .filter(|command| letters(command).contains(&typed))
        .take(5)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_not_quite_right_is_named() {
        assert_eq!(near("group.aftersendmsg"), ["Group.CallbackAfterSendMsg"]);
        assert!(near("C2C.CallbackAfterSendMsg").contains(&"C2C.CallbackAfterSendMsg"));
        assert!(near("Unknown.Command").is_empty());
        assert!(near("a").is_empty(), "too short to mean anything");
        let Err(Failure::Usage(message)) = sample("Group.AfterSendMsg") else {
            panic!("an unknown command is a usage error");
        };
        assert!(message.contains("tim-callback samples"), "{message}");
        assert!(message.contains("Group.CallbackAfterSendMsg"), "{message}");
    }
}
