//! Early rejection, proven on the wire: a request the middleware rejects is answered
//! before its body is sent, and the bytes the server takes are bounded by socket buffers,
//! not by what the client declares; a valid request's body is cut at the body limit.
//!
//! Everything is measured in bytes, never in time. Socket timeouts only guard against a
//! hang (see `common::net::IO_TIMEOUT`).
//!
//! What happens to the unread body after the reply is actix-http's choice, set by
//! `HttpServer::client_disconnect_timeout` (1 s by default): for that long the server
//! keeps reading and discarding what the client sends (on loopback that can be the whole
//! gigabyte), then closes. With `client_disconnect_timeout(Duration::ZERO)`, as
//! SECURITY.md recommends for the callback server, it closes at once.

use std::{
    io::{self, Write},
    net::TcpStream,
    time::Duration,
};

use crate::common::{net::*, *};
use actix_tim_callback::{command, model::group, Ack, Callback, CallbackConfig, TimCallback};
use actix_web::web;

/// The body a client declares: 1 GiB.
const GIB: u64 = 1 << 30;

/// The most the server may take after its reply before it stops reading: the kernel's
/// socket buffers on both sides (a few MiB on loopback at most), far below 1 GiB.
const SOCKET_BUFFERS_BOUND: u64 = 16 << 20;

/// The body limit of the app under test.
const LIMIT: usize = 16 * 1024;

/// The piece of body sent before the reply is awaited.
const FIRST: usize = 1024;

/// The callback scope with a signing token and a small body limit, counting handler calls.
fn configure(calls: Counter) -> impl Fn(&mut web::ServiceConfig) + Send + Clone + 'static {
    move |cfg: &mut web::ServiceConfig| {
        let calls = calls.clone();
        cfg.service(
            web::scope(PATH)
                .wrap(TimCallback::new(
                    CallbackConfig::new(APP_ID).token(TOKEN).body_limit(LIMIT),
                ))
                .route(
                    "",
                    web::post().guard(command::<group::SendMsgException>()).to(
                        move |_: Callback<group::SendMsgException>| {
                            let calls = calls.clone();
                            async move {
                                calls.hit();
                                Ack
                            }
                        },
                    ),
                ),
        );
    }
}

/// The recommended server: no lingering read after a reply to an unread body.
fn closing_server(calls: &Counter) -> TestServer {
    TestServer::start_with(
        ServerOptions {
            workers: 1,
            client_disconnect_timeout: Some(Duration::ZERO),
        },
        configure(calls.clone()),
    )
}

fn signed_uri(extra: &str) -> String {
    exception_uri(&format!("&{}{extra}", signed_query(TOKEN, now_secs())))
}

/// Streams the rest of a 1 GiB body in 64 KiB writes until the server stops taking
/// bytes (the connection is closed, or a write blocks for the guard timeout) or 1 GiB is
/// sent. Returns the bytes written after the reply.
fn stream_rest(stream: &mut TcpStream, piece: &[u8], already: u64) -> u64 {
    // A write that blocks this long means the server stopped reading: that is a bound
    // too, reached by buffers filling up, and the loop ends on it.
    stream
        .set_write_timeout(Some(Duration::from_secs(2)))
        .expect("write timeout");
    let mut written = 0u64;
    while already + written < GIB {
        match stream.write(piece) {
            Ok(0) => break,
            Ok(n) => written += n as u64,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    written
}

/// A request head declaring `Content-Length: 1 GiB`.
fn gib_head(method: &str, uri: &str) -> Vec<u8> {
    format!("{method} {uri} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {GIB}\r\n\r\n")
        .into_bytes()
}

fn assert_next_valid_callback_is_served(server: &TestServer, calls: &Counter) {
    let before = calls.get();
    let request = request_bytes("POST", &signed_uri(""), &[], SEED.as_bytes());
    let res = exchange(server.addr(), &request, false).expect("valid callback");
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.text(), OK_JSON);
    assert_eq!(calls.get(), before + 1);
}

/// Sends the head and [`FIRST`] bytes of a 1 GiB body, and reads the reply: it must come
/// while 1 GiB - 1 KiB is still unsent.
fn reply_to_a_gib_body(server: &TestServer, method: &str, uri: &str) -> (TcpStream, RawResponse) {
    let mut stream = connect(server.addr()).expect("connect");
    stream.write_all(&gib_head(method, uri)).expect("head");
    stream.write_all(&[b' '; FIRST]).expect("first KiB");
    let res = read_response(&mut stream, false).expect("a reply before the body is sent");
    (stream, res)
}

#[test]
fn foreign_app_id_with_a_1_gib_body_is_answered_after_1_kib() {
    let calls = Counter::new();
    // actix-web's default settings: the reply does not wait for the body either.
    let server = TestServer::start(1, configure(calls.clone()));
    let uri = format!(
        "{PATH}?SdkAppid={}&CallbackCommand={SEND_MSG_EXCEPTION}&{}",
        APP_ID + 1,
        signed_query(TOKEN, now_secs())
    );

    let (_stream, res) = reply_to_a_gib_body(&server, "POST", &uri);

    assert_eq!(res.status, 403, "{}", res.text());
    assert_eq!(res.header("content-type"), Some("application/json"));
    assert_fail_body(&res.body, 40303);
    // actix-http will not keep a connection whose body nobody read.
    assert_eq!(res.header("connection"), Some("close"));
    assert_eq!(calls.get(), 0);
    assert_next_valid_callback_is_served(&server, &calls);
}

/// Each early rejection, with a declared 1 GiB body: the reply comes after 1 KiB, and
/// the server then takes no more than its socket buffers hold.
#[test]
fn early_rejections_take_a_bounded_number_of_bytes_of_a_1_gib_body() {
    let calls = Counter::new();
    let server = closing_server(&calls);
    let now = now_secs();
    let time = now.to_string();
    let rejections = [
        (
            "foreign SdkAppid",
            "POST",
            format!(
                "{PATH}?SdkAppid={}&CallbackCommand={SEND_MSG_EXCEPTION}&{}",
                APP_ID + 1,
                signed_query(TOKEN, now)
            ),
            403,
            40303,
        ),
        (
            "missing SdkAppid",
            "POST",
            format!("{PATH}?CallbackCommand={SEND_MSG_EXCEPTION}"),
            403,
            40301,
        ),
        ("no signature", "POST", exception_uri(""), 401, 40101),
        (
            "forged signature",
            "POST",
            exception_uri(&format!("&RequestTime={time}&Sign={}", "0".repeat(64))),
            401,
            40104,
        ),
        (
            "replayed signature",
            "POST",
            exception_uri(&format!("&{}", signed_query(TOKEN, now - 3600))),
            401,
            40103,
        ),
        ("GET", "GET", signed_uri(""), 405, 40501),
        // Valid and signed, but the declared length is over the body limit: the
        // extractor rejects it by `Content-Length` without reading.
        (
            "valid, declared over the limit",
            "POST",
            signed_uri(""),
            413,
            41301,
        ),
    ];
    let piece = vec![b' '; 64 * 1024];
    for (name, method, uri, status, code) in rejections {
        let (mut stream, res) = reply_to_a_gib_body(&server, method, &uri);
        assert_eq!(res.status, status, "{name}: {}", res.text());
        assert_fail_body(&res.body, code);

        let after = stream_rest(&mut stream, &piece, FIRST as u64);

        eprintln!("{name}: {after} bytes taken after the reply (of {GIB} declared)");
        assert!(
            after < SOCKET_BUFFERS_BOUND,
            "{name}: the server took {after} bytes after its reply"
        );
        assert_eq!(calls.get(), 0, "{name}: the handler was not invoked");
    }
    assert_next_valid_callback_is_served(&server, &calls);
}

/// A valid request whose chunked body trickles in: the server answers 413 as soon as the
/// body passes the limit, without waiting for the rest of it.
#[test]
fn slow_chunked_body_on_a_valid_request_is_cut_at_the_body_limit() {
    let calls = Counter::new();
    let server = TestServer::start(1, configure(calls.clone()));
    let mut stream = connect(server.addr()).expect("connect");
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n",
        signed_uri("")
    );
    stream.write_all(head.as_bytes()).expect("head");

    // One KiB at a time, each its own write, up to one KiB past the limit; the body is
    // never finished.
    let piece = [b' '; 1024];
    let mut sent = 0usize;
    while sent <= LIMIT {
        let mut chunk = format!("{:x}\r\n", piece.len()).into_bytes();
        chunk.extend_from_slice(&piece);
        chunk.extend_from_slice(b"\r\n");
        stream.write_all(&chunk).expect("chunk");
        sent += piece.len();
        std::thread::sleep(Duration::from_millis(2));
    }
    let res = read_response(&mut stream, false).expect("413 before the body ends");

    assert_eq!(sent, LIMIT + 1024);
    assert_eq!(res.status, 413, "{}", res.text());
    assert_fail_body(&res.body, 41301);
    assert_eq!(calls.get(), 0);
    drop(stream);
    assert_next_valid_callback_is_served(&server, &calls);
}

/// The control for the test above: the same trickle, within the limit, is accepted.
#[test]
fn slow_chunked_body_within_the_limit_is_accepted() {
    let calls = Counter::new();
    let server = TestServer::start(1, configure(calls.clone()));
    let mut stream = connect(server.addr()).expect("connect");
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n",
        signed_uri("")
    );
    stream.write_all(head.as_bytes()).expect("head");
    for part in SEED.as_bytes().chunks(64) {
        let mut chunk = format!("{:x}\r\n", part.len()).into_bytes();
        chunk.extend_from_slice(part);
        chunk.extend_from_slice(b"\r\n");
        stream.write_all(&chunk).expect("chunk");
        std::thread::sleep(Duration::from_millis(1));
    }
    stream.write_all(b"0\r\n\r\n").expect("last chunk");
    let res = read_response(&mut stream, false).expect("reply");

    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.text(), OK_JSON);
    assert_eq!(calls.get(), 1);
}

/// A rejected request with an endless *chunked* body: the reply comes after 1 KiB and the
/// server stops reading. actix-http 3.20 drains a *dropped* chunked payload to its end to
/// keep the connection alive (it read the whole gigabyte before the fix); the middleware
/// keeps the payload alive in the FAIL reply's body, so actix-http closes instead.
#[test]

fn rejected_chunked_body_is_not_drained_to_its_end() {
    let calls = Counter::new();
    let server = closing_server(&calls);
    let uri = format!(
        "{PATH}?SdkAppid={}&CallbackCommand={SEND_MSG_EXCEPTION}",
        APP_ID + 1
    );
    let piece = {
        let data = [b' '; 64 * 1024];
        let mut chunk = format!("{:x}\r\n", data.len()).into_bytes();
        chunk.extend_from_slice(&data);
        chunk.extend_from_slice(b"\r\n");
        chunk
    };
    let mut stream = connect(server.addr()).expect("connect");
    let head =
        format!("POST {uri} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n");
    stream.write_all(head.as_bytes()).expect("head");
    stream.write_all(&piece).expect("first chunk");
    let res = read_response(&mut stream, false).expect("reply");
    assert_eq!(res.status, 403);
    assert_fail_body(&res.body, 40303);

    let after = stream_rest(&mut stream, &piece, piece.len() as u64);

    assert!(
        after < SOCKET_BUFFERS_BOUND,
        "the server took {after} bytes of a chunked body after rejecting the request"
    );
}

/// The callback scope of [`configure`] plus a route whose handler expects another
/// command than it is routed for (`Test.Unexpected`).
fn configure_past_the_middleware(
    calls: Counter,
) -> impl Fn(&mut web::ServiceConfig) + Send + Clone + 'static {
    move |cfg: &mut web::ServiceConfig| {
        let calls = calls.clone();
        let unexpected = calls.clone();
        cfg.service(
            web::scope(PATH)
                .wrap(TimCallback::new(
                    CallbackConfig::new(APP_ID).token(TOKEN).body_limit(LIMIT),
                ))
                .route(
                    "",
                    web::post().guard(command::<group::SendMsgException>()).to(
                        move |_: Callback<group::SendMsgException>| {
                            let calls = calls.clone();
                            async move {
                                calls.hit();
                                Ack
                            }
                        },
                    ),
                )
                .route(
                    "",
                    web::post()
                        .guard(actix_tim_callback::command_named("Test.Unexpected"))
                        .to(move |_: Callback<group::SendMsgException>| {
                            let calls = unexpected.clone();
                            async move {
                                calls.hit();
                                Ack
                            }
                        }),
                ),
        );
    }
}

fn chunk_of(data: &[u8]) -> Vec<u8> {
    let mut chunk = format!("{:x}\r\n", data.len()).into_bytes();
    chunk.extend_from_slice(data);
    chunk.extend_from_slice(b"\r\n");
    chunk
}

/// Requests that pass the signature check, for a handled, an unexpected and an unhandled
/// command, with an endless chunked body: the middleware reads the body before any route
/// runs, so each is cut at the body limit with a 413, and the server stops reading
/// (actix-http would otherwise read a dropped chunked payload to its end).
#[test]
fn chunked_bodies_past_the_middleware_are_not_drained_to_their_end() {
    let calls = Counter::new();
    let server = TestServer::start_with(
        ServerOptions {
            workers: 1,
            client_disconnect_timeout: Some(Duration::ZERO),
        },
        configure_past_the_middleware(calls.clone()),
    );
    let signed = |command: &str| {
        format!(
            "{PATH}?SdkAppid={APP_ID}&CallbackCommand={command}&{}",
            signed_query(TOKEN, now_secs())
        )
    };
    let piece = chunk_of(&[b' '; 64 * 1024]);
    for (name, uri, status, code) in [
        (
            "over the limit while streaming",
            signed(SEND_MSG_EXCEPTION),
            413,
            Some(41301),
        ),
        (
            "unexpected command",
            signed("Test.Unexpected"),
            413,
            Some(41301),
        ),
        ("unhandled command", signed("Test.Nobody"), 413, Some(41301)),
    ] {
        let mut stream = connect(server.addr()).expect("connect");
        let head =
            format!("POST {uri} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        stream.write_all(head.as_bytes()).expect("head");
        stream.write_all(&piece).expect("first chunk");
        let res = read_response(&mut stream, false).expect("reply");
        assert_eq!(res.status, status, "{name}: {}", res.text());
        match code {
            Some(code) => {
                assert_fail_body(&res.body, code);
            }
            None => assert_eq!(res.text(), OK_JSON, "{name}"),
        }

        let after = stream_rest(&mut stream, &piece, piece.len() as u64);

        eprintln!("{name}: {after} bytes taken after the reply");
        assert!(
            after < SOCKET_BUFFERS_BOUND,
            "{name}: the server took {after} bytes of a chunked body after its reply"
        );
    }
    assert_eq!(calls.get(), 0, "no handler ran");
    assert_next_valid_callback_is_served(&server, &calls);
}

/// An acked callback whose small body nobody read keeps its connection: the middleware
/// reads it (within the body limit) and the next callback comes on the same connection.
#[test]
fn unread_body_within_the_limit_keeps_the_connection_alive() {
    let calls = Counter::new();
    let server = TestServer::start(1, configure_past_the_middleware(calls.clone()));
    let mut stream = connect(server.addr()).expect("connect");
    let unhandled = format!(
        "{PATH}?SdkAppid={APP_ID}&CallbackCommand=Test.Nobody&{}",
        signed_query(TOKEN, now_secs())
    );
    let mut request = format!(
        "POST {unhandled} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    request.extend_from_slice(&chunk_of(seed_without_command().as_bytes()));
    request.extend_from_slice(b"0\r\n\r\n");
    stream.write_all(&request).expect("first request");
    let first = read_response(&mut stream, false).expect("first reply");
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.text(), OK_JSON);
    assert_ne!(first.header("connection"), Some("close"));

    let second = request_bytes("POST", &signed_uri(""), &[], SEED.as_bytes());
    stream
        .write_all(&second)
        .expect("second request, same connection");
    let res = read_response(&mut stream, false).expect("second reply");
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.text(), OK_JSON);
    assert_eq!(calls.get(), 1);
}

/// The harness the soak's heap check relies on: the test server counts a connection open
/// from its accept until it drops it (waited for as states, capped only against a hang).
#[test]
fn the_test_server_counts_the_connections_it_holds() {
    let calls = Counter::new();
    let server = TestServer::start(1, configure(calls.clone()));
    let wait_for = |open: usize| {
        let started = std::time::Instant::now();
        while server.open_connections() != open {
            assert!(
                started.elapsed() < IO_TIMEOUT,
                "never {open} open connections"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    };
    let stream = connect(server.addr()).expect("connect");
    wait_for(1);
    drop(stream);
    wait_for(0);
}
