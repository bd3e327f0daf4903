//! `send`: a callback posted as Tencent's IM backend posts it (query string, signature,
//! body), and the app's reply.

use std::{io::Read, path::Path, time::Duration};

use actix_tim_callback::testkit::TestCallback;
use actix_web::web::Bytes;

use crate::{args::SendArgs, failure::Failure, output, samples};

/// The largest reply read.
const REPLY_LIMIT: usize = 1024 * 1024;

/// `send`: posts the callback the arguments describe (or, with `--all-samples`, every
/// sample) and prints the reply.
pub(crate) async fn run(args: &SendArgs) -> Result<(), Failure> {
    if args.list {
        return samples::list();
    }
    // clap requires --url (or TIM_CALLBACK_URL) unless --list.
    let url = args
        .url
        .as_deref()
        .ok_or_else(|| Failure::Usage("say where to send: --url URL".to_owned()))?;
    let client = awc::Client::builder()
        .timeout(Duration::from_secs(args.timeout.max(1)))
        .finish();
    if args.all_samples {
        return send_all_samples(&client, url, args).await;
    }
    let callback = with_args(callback(args)?, args);
    eprintln!(
        "POST {}?{} ({})",
        url,
        callback.query_string(),
        signing(args)
    );
    let reply = post(&client, url, &callback).await?;
    eprintln!("HTTP {}", reply.status);
    output::line(String::from_utf8_lossy(&reply.body))?;
    match reply.refusal() {
        None => Ok(()),
        Some(why) => Err(Failure::Failed(format!(
            "the app did not answer OK ({why})"
        ))),
    }
}

/// The callback of `--sample` or of the file, before the query options are applied.
fn callback(args: &SendArgs) -> Result<TestCallback, Failure> {
    if let Some(command) = &args.command {
        if command.trim().is_empty() {
            return Err(Failure::Usage(
                "--command is empty: a callback needs a CallbackCommand".to_owned(),
            ));
        }
    }
    match (&args.sample, &args.file) {
        (Some(command), _) => samples::sample(command),
        (None, Some(path)) => {
            let body = read(path)?;
            let command = match &args.command {
                Some(command) => command.clone(),
                None => command_of(path, &body)?,
            };
            Ok(TestCallback::new(&command, body))
        }
        // clap requires one of --sample, FILE and --all-samples.
        (None, None) => Err(Failure::Usage(
            "say what to send: --sample COMMAND, a FILE or --all-samples".to_owned(),
        )),
    }
}

/// The bytes of the file at `path` (`-`: standard input).
fn read(path: &Path) -> Result<Bytes, Failure> {
    let read = if path == Path::new("-") {
        let mut body = Vec::new();
        std::io::stdin().read_to_end(&mut body).map(|_| body)
    } else {
        std::fs::read(path)
    };
    read.map(Bytes::from)
        .map_err(|err| Failure::Usage(format!("cannot read {}: {err}", path.display())))
}

/// The `CallbackCommand` field of the body of the file at `path`, or why it cannot be
/// read: a callback is never sent without a command.
fn command_of(path: &Path, body: &[u8]) -> Result<String, Failure> {
    let refused = |why: String| {
        Failure::Usage(format!(
            "{}: {why}; give the command with --command COMMAND (nothing was sent)",
            path.display()
        ))
    };
    let json: serde_json::Value = serde_json::from_slice(body).map_err(|err| {
        refused(format!(
            "not JSON ({err}), so its CallbackCommand cannot be read"
        ))
    })?;
    match json.get("CallbackCommand") {
        None => Err(refused("no \"CallbackCommand\" field".to_owned())),
        Some(serde_json::Value::String(command)) if !command.trim().is_empty() => {
            Ok(command.clone())
        }
        Some(serde_json::Value::String(_)) => {
            Err(refused("its \"CallbackCommand\" is empty".to_owned()))
        }
        Some(other) => Err(refused(format!(
            "its \"CallbackCommand\" is {other}, not a string"
        ))),
    }
}

/// The callback with the query parameters and the signature the arguments set.
fn with_args(mut callback: TestCallback, args: &SendArgs) -> TestCallback {
    if let Some(command) = &args.command {
        callback = callback.command(Some(command));
    }
    callback = callback
        .sdk_app_id(args.sdkappid)
        .client_ip(args.client_ip.as_str())
        .platform(args.platform.as_str());
    if let Some(token) = args.token() {
        callback = callback.signed(token);
    }
    callback
}

/// How the requests are signed, for the progress line.
fn signing(args: &SendArgs) -> &'static str {
    if args.token().is_some() {
        "signed"
    } else {
        "unsigned: no --token, no TIM_CALLBACK_TOKEN"
    }
}

/// The app's reply.
struct Reply {
    /// The HTTP status.
    status: awc::http::StatusCode,
    /// The body (at most [`REPLY_LIMIT`] bytes).
    body: Bytes,
}

impl Reply {
    /// The reply as JSON, when it is.
    fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// Why the reply does not accept the callback, or `None` when it does: HTTP 2xx with
    /// `"ActionStatus":"OK"` and `"ErrorCode":0`, as Tencent's IM backend reads a reply
    /// (a before-callback refusing a message answers OK with a non-zero ErrorCode).
    fn refusal(&self) -> Option<String> {
        let json = self.json();
        let field = |name: &str| json.as_ref().and_then(|json| json.get(name));
        let mut why = format!("HTTP {}", self.status);
        match field("ActionStatus") {
            Some(serde_json::Value::String(action)) => {
                why.push_str(&format!(", ActionStatus {action}"))
            }
            Some(other) => why.push_str(&format!(", ActionStatus {other}")),
            None if json.is_some() => why.push_str(", no ActionStatus"),
            None => why.push_str(", not a JSON reply"),
        }
        match field("ErrorCode") {
            Some(code) => why.push_str(&format!(", ErrorCode {code}")),
            None if json.is_some() => why.push_str(", no ErrorCode"),
            None => {}
        }
        if let Some(serde_json::Value::String(info)) = field("ErrorInfo") {
            if !info.is_empty() {
                why.push_str(&format!(", ErrorInfo {info:?}"));
            }
        }
        let accepted = self.status.is_success()
            && field("ActionStatus").and_then(serde_json::Value::as_str) == Some("OK")
            && field("ErrorCode").and_then(serde_json::Value::as_i64) == Some(0);
        (!accepted).then_some(why)
    }
}

/// Posts `callback` to `url` (its query string appended) as the IM backend does: no
/// `Content-Type`, the body as it is.
async fn post(client: &awc::Client, url: &str, callback: &TestCallback) -> Result<Reply, Failure> {
    let separator = if url.contains('?') { '&' } else { '?' };
    let target = format!("{url}{separator}{}", callback.query_string());
    let mut response = client
        .post(&target)
        .send_body(callback.body_bytes())
        .await
        .map_err(|err| Failure::Failed(format!("POST {url} failed: {err}")))?;
    let body = response
        .body()
        .limit(REPLY_LIMIT)
        .await
        .map_err(|err| Failure::Failed(format!("reading the reply of {url} failed: {err}")))?;
    Ok(Reply {
        status: response.status(),
        body,
    })
}

/// `send --all-samples`: the sample of every command in turn, one line per reply, then a
/// summary; fails when any reply is not OK.
async fn send_all_samples(client: &awc::Client, url: &str, args: &SendArgs) -> Result<(), Failure> {
    let commands: Vec<&str> = TestCallback::commands().collect();
    eprintln!(
        "POST {}: the sample of each of {} commands ({})",
        url,
        commands.len(),
        signing(args)
    );
    let mut not_ok = 0;
    for command in &commands {
        let Some(sample) = TestCallback::sample(command) else {
            continue;
        };
        let callback = with_args(sample, args);
        match post(client, url, &callback).await {
            Ok(reply) => {
                let ok = reply.refusal().is_none();
                not_ok += usize::from(!ok);
                output::line(format_args!(
                    "{} {command:<56} HTTP {} {}",
                    if ok { "ok  " } else { "FAIL" },
                    reply.status.as_u16(),
                    String::from_utf8_lossy(&reply.body)
                ))?;
            }
            Err(failure) => {
                not_ok += 1;
                output::line(format_args!("FAIL {command:<56} {failure}"))?;
            }
        }
    }
    output::line(format_args!(
        "{} commands: {} answered OK, {not_ok} not",
        commands.len(),
        commands.len() - not_ok
    ))?;
    if not_ok == 0 {
        Ok(())
    } else {
        Err(Failure::Failed(format!(
            "{not_ok} of {} samples were not answered OK",
            commands.len()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_of_a_file_is_its_callback_command_field_or_an_error() {
        let path = Path::new("payload.json");
        let command = |body: &str| command_of(path, body.as_bytes());
        assert_eq!(
            command(r#"{"CallbackCommand":"State.StateChange"}"#).expect("a command"),
            "State.StateChange"
        );
        for body in [
            r#"{"GroupId":"@TGS#1"}"#,
            r#"{"CallbackCommand":""}"#,
            r#"{"CallbackCommand":" "}"#,
            r#"{"CallbackCommand":7}"#,
            "not json",
            "[]",
        ] {
            match command(body) {
                Err(Failure::Usage(message)) => {
                    assert!(message.starts_with("payload.json: "), "{message}");
                    assert!(message.contains("--command"), "{message}");
                }
                other => panic!("{body}: {other:?}"),
            }
        }
    }
}
