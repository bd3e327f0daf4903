//! Signing sender: posts a callback to a running endpoint exactly as the Tencent IM
//! backend would, and prints the reply. For local development without a Tencent account.
//!
//! ```sh
//! cargo run --example send -- --url http://127.0.0.1:8080/im/callback \
//!     [--token TOKEN] [--sdkappid 1400000000] [--command CMD] \
//!     [--client-ip 127.0.0.1] [--platform Web] [payload.json]
//! ```
//!
//! Without a payload file it sends Tencent's sample `Group.CallbackSendMsgException`. The
//! command defaults to the payload's `CallbackCommand`. With `--token` (or the
//! environment variable `TIM_CALLBACK_TOKEN`) the request carries `RequestTime` and
//! `Sign`. Exits with 0 when the reply is HTTP 200 with `"ActionStatus":"OK"`.
//!
//! `--all-samples` posts Tencent's sample of every callback command of the catalogue in turn
//! and prints, per command, what the app answered: a conformance run against your app.
//! It exits with 0 only when every reply is OK.

use std::process::ExitCode;

use actix_tim_callback::testkit::TestCallback;
use actix_web::web::Bytes;

const USAGE: &str = "usage: send --url URL [--token TOKEN] [--sdkappid N] [--command CMD] [--client-ip IP] [--platform P] [--all-samples | payload.json]";

#[derive(Debug, Default, PartialEq)]
struct Args {
    url: String,
    token: Option<String>,
    sdk_app_id: Option<u64>,
    command: Option<String>,
    client_ip: Option<String>,
    platform: Option<String>,
    payload: Option<String>,
    all_samples: bool,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--url" => parsed.url = value("--url")?,
            "--token" => parsed.token = Some(value("--token")?),
            "--sdkappid" => {
                let raw = value("--sdkappid")?;
                let id = raw
                    .parse()
                    .map_err(|_| format!("--sdkappid {raw:?} is not a number"))?;
                parsed.sdk_app_id = Some(id);
            }
            "--command" => parsed.command = Some(value("--command")?),
            "--client-ip" => parsed.client_ip = Some(value("--client-ip")?),
            "--platform" => parsed.platform = Some(value("--platform")?),
            "--all-samples" => parsed.all_samples = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown option {flag}\n{USAGE}"))
            }
            path => parsed.payload = Some(path.to_owned()),
        }
    }
    if parsed.url.is_empty() {
        return Err(format!("--url is required\n{USAGE}"));
    }
    if parsed.all_samples && (parsed.payload.is_some() || parsed.command.is_some()) {
        return Err(format!(
            "--all-samples sends every sample with its own command\n{USAGE}"
        ));
    }
    Ok(parsed)
}

/// The callback the IM backend would send for these arguments.
fn build(args: &Args, payload: Option<Bytes>) -> TestCallback {
    let callback = match payload {
        Some(body) => {
            let command = args.command.clone().or_else(|| {
                let json: serde_json::Value = serde_json::from_slice(&body).ok()?;
                Some(json.get("CallbackCommand")?.as_str()?.to_owned())
            });
            TestCallback::new(command.as_deref().unwrap_or_default(), body)
        }
        None => TestCallback::send_msg_exception(),
    };
    with_args(callback, args)
}

/// The callback with the query parameters the arguments set.
fn with_args(mut callback: TestCallback, args: &Args) -> TestCallback {
    if let Some(command) = &args.command {
        callback = callback.command(Some(command));
    }
    if let Some(id) = args.sdk_app_id {
        callback = callback.sdk_app_id(id);
    }
    if let Some(ip) = &args.client_ip {
        callback = callback.client_ip(ip.as_str());
    }
    if let Some(platform) = &args.platform {
        callback = callback.platform(platform.as_str());
    }
    if let Some(token) = &args.token {
        callback = callback.signed(token.as_str());
    }
    callback
}

/// Posts the callback; returns the status and the reply body.
async fn send(url: &str, callback: &TestCallback) -> Result<(u16, Bytes), String> {
    let separator = if url.contains('?') { '&' } else { '?' };
    let target = format!("{url}{separator}{}", callback.query_string());
    let mut response = awc::Client::default()
        .post(&target)
        .send_body(callback.body_bytes())
        .await
        .map_err(|err| format!("POST {url} failed: {err}"))?;
    let body = response
        .body()
        .limit(1024 * 1024)
        .await
        .map_err(|err| format!("reading the reply failed: {err}"))?;
    Ok((response.status().as_u16(), body))
}

fn is_ok_reply(status: u16, body: &[u8]) -> bool {
    let reply: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    status == 200 && reply.is_some_and(|reply| reply["ActionStatus"] == "OK")
}

#[actix_web::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(mut args) => {
            args.token = args
                .token
                .or_else(|| std::env::var("TIM_CALLBACK_TOKEN").ok());
            args
        }
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let payload = match &args.payload {
        Some(path) => match std::fs::read(path) {
            Ok(bytes) => Some(Bytes::from(bytes)),
            Err(err) => {
                eprintln!("cannot read {path}: {err}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    if args.all_samples {
        return send_all_samples(&args).await;
    }
    let callback = build(&args, payload);
    let signed = if args.token.is_some() {
        "signed"
    } else {
        "unsigned"
    };
    println!("POST {}?{} ({signed})", args.url, callback.query_string());
    match send(&args.url, &callback).await {
        Ok((status, body)) => {
            println!("HTTP {status}\n{}", String::from_utf8_lossy(&body));
            if is_ok_reply(status, &body) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// Posts the sample of every command; prints one line per command with the app's answer.
/// Returns how many replies were OK and how many were not.
async fn run_samples(args: &Args) -> (usize, usize) {
    let (mut ok, mut not_ok) = (0, 0);
    for command in TestCallback::commands() {
        let Some(sample) = TestCallback::sample(command) else {
            continue;
        };
        let callback = with_args(sample, args);
        match send(&args.url, &callback).await {
            Ok((status, body)) => {
                let good = is_ok_reply(status, &body);
                if good {
                    ok += 1;
                } else {
                    not_ok += 1;
                }
                println!(
                    "{} {command:<56} HTTP {status} {}",
                    if good { "ok  " } else { "FAIL" },
                    String::from_utf8_lossy(&body)
                );
            }
            Err(message) => {
                not_ok += 1;
                println!("FAIL {command:<56} {message}");
            }
        }
    }
    (ok, not_ok)
}

async fn send_all_samples(args: &Args) -> ExitCode {
    let (ok, not_ok) = run_samples(args).await;
    println!("{} commands: {ok} answered OK, {not_ok} not", ok + not_ok);
    if not_ok == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_tim_callback::{command, model::group, Ack, Callback, CallbackConfig, TimCallback};
    use actix_web::{web, App, HttpServer};

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|arg| (*arg).to_owned()).collect()
    }

    #[test]
    fn parses_arguments_and_reports_mistakes() {
        let args = parse_args(strings(&[
            "--url",
            "http://h/cb",
            "--token",
            "t",
            "--sdkappid",
            "7",
            "--platform",
            "iOS",
            "p.json",
        ]))
        .expect("valid");
        assert_eq!(args.url, "http://h/cb");
        assert_eq!(args.token.as_deref(), Some("t"));
        assert_eq!(args.sdk_app_id, Some(7));
        assert_eq!(args.platform.as_deref(), Some("iOS"));
        assert_eq!(args.payload.as_deref(), Some("p.json"));
        assert!(
            parse_args(strings(&["p.json"])).is_err(),
            "--url is required"
        );
        assert!(
            parse_args(strings(&["--url"])).is_err(),
            "--url needs a value"
        );
        assert!(parse_args(strings(&["--url", "u", "--sdkappid", "x"])).is_err());
        assert!(parse_args(strings(&["--url", "u", "--bogus"])).is_err());
        assert!(parse_args(strings(&["--url", "u", "--all-samples", "p.json"])).is_err());
        assert!(
            parse_args(strings(&["--url", "u", "--all-samples"]))
                .expect("valid")
                .all_samples
        );
    }

    #[test]
    fn the_command_comes_from_the_payload_unless_given() {
        let args = parse_args(strings(&["--url", "u"])).expect("valid");
        let body = Bytes::from_static(br#"{"CallbackCommand":"State.StateChange"}"#);
        let query = build(&args, Some(body.clone())).query_string();
        assert!(
            query.contains("CallbackCommand=State.StateChange"),
            "{query}"
        );
        let args = parse_args(strings(&["--url", "u", "--command", "X.Y"])).expect("valid");
        let query = build(&args, Some(body)).query_string();
        assert!(query.contains("CallbackCommand=X.Y"), "{query}");
        assert!(!query.contains("Sign="), "unsigned without a token");
    }

    /// Signs and posts over real HTTP to a server using the crate, as the IM backend would.
    #[actix_web::test]
    async fn sends_signed_callbacks_a_real_server_accepts() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!(
            "http://{}/im/callback",
            listener.local_addr().expect("addr")
        );
        let tim = TimCallback::new(CallbackConfig::new(1400000000).token("sender-token"));
        let server = HttpServer::new(move || {
            App::new().service(web::scope("/im/callback").wrap(tim.clone()).route(
                "",
                web::post().guard(command::<group::SendMsgException>()).to(
                    |cb: Callback<group::SendMsgException>| async move {
                        assert_eq!(cb.group_id, "@TGS#2J4SZEAEL");
                        Ack
                    },
                ),
            ))
        })
        .workers(1)
        .listen(listener)
        .expect("listen")
        .run();
        let handle = server.handle();
        actix_web::rt::spawn(server);

        let signed =
            parse_args(strings(&["--url", &url, "--token", "sender-token"])).expect("valid");
        let (status, body) = send(&url, &build(&signed, None)).await.expect("sent");
        assert!(is_ok_reply(status, &body), "{status} {body:?}");

        let forged = parse_args(strings(&["--url", &url, "--token", "guess"])).expect("valid");
        let (status, body) = send(&url, &build(&forged, None)).await.expect("sent");
        assert_eq!(status, 401);
        assert!(!is_ok_reply(status, &body));

        // Every sample, signed: the server types one command and acks the rest unhandled.
        let all = parse_args(strings(&[
            "--url",
            &url,
            "--token",
            "sender-token",
            "--all-samples",
        ]))
        .expect("valid");
        let catalogue = actix_tim_callback::model::AnyEvent::COMMANDS.len();
        assert_eq!(run_samples(&all).await, (catalogue, 0));
        let all_forged = parse_args(strings(&[
            "--url",
            &url,
            "--token",
            "guess",
            "--all-samples",
        ]))
        .expect("valid");
        assert_eq!(run_samples(&all_forged).await, (0, catalogue));

        handle.stop(true).await;
    }
}
