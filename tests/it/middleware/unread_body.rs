//! Rejected requests leave the body unread.

use super::*;

/// Sends the seed as a poll-counting stream; returns (status, body, polls, handler calls).
async fn streamed(
    config: CallbackConfig,
    method: Method,
    uri: &str,
) -> (StatusCode, Vec<u8>, usize, usize) {
    let seen = Seen::default();
    let polls = Counter::new();
    let app = init_service(scoped_app(config, recording(&seen))).await;
    let (req, _) = TestRequest::default()
        .method(method)
        .uri(uri)
        .to_request()
        .replace_payload(counting_payload(chunks_of(SEED, 64), &polls));

    let res = call_service(&app, req).await;

    let status = res.status();
    let body = read_body(res).await.to_vec();
    (status, body, polls.get(), seen.count())
}

#[actix_web::test]
async fn valid_streamed_request_is_read_which_shows_the_poll_counter_works() {
    let (status, body, polls, calls) = streamed(
        signed_config(),
        Method::POST,
        &exception_uri(&format!("&{}", signed_query(TOKEN, now_secs()))),
    )
    .await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, OK_JSON.as_bytes());
    assert!(polls > 0, "the body was read");
    assert_eq!(calls, 1);
}

#[actix_web::test]
async fn foreign_app_id_is_rejected_without_reading_the_body() {
    let uri = format!(
        "{PATH}?SdkAppid=1400000001&CallbackCommand={SEND_MSG_EXCEPTION}&{}",
        signed_query(TOKEN, now_secs())
    );
    let (status, body, polls, calls) = streamed(signed_config(), Method::POST, &uri).await;

    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_fail_body(&body, 40303);
    assert_eq!(polls, 0, "body not polled");
    assert_eq!(calls, 0);
}

#[actix_web::test]
async fn wrong_signature_is_rejected_without_reading_the_body() {
    let uri = exception_uri(&format!("&{}", signed_query("another-token", now_secs())));
    let (status, body, polls, calls) = streamed(signed_config(), Method::POST, &uri).await;

    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_fail_body(&body, 40104);
    assert_eq!(polls, 0, "body not polled");
    assert_eq!(calls, 0);
}

#[actix_web::test]
async fn expired_signature_is_rejected_without_reading_the_body() {
    let uri = exception_uri(&format!("&{}", signed_query(TOKEN, now_secs() - 120)));
    let (status, body, polls, calls) = streamed(signed_config(), Method::POST, &uri).await;

    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_fail_body(&body, 40103);
    assert_eq!(polls, 0, "body not polled");
    assert_eq!(calls, 0);
}

#[actix_web::test]
async fn get_is_rejected_without_reading_the_body() {
    let uri = exception_uri(&format!("&{}", signed_query(TOKEN, now_secs())));
    let (status, body, polls, calls) = streamed(signed_config(), Method::GET, &uri).await;

    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_fail_body(&body, 40501);
    assert_eq!(polls, 0, "body not polled");
    assert_eq!(calls, 0);
}

/// The middleware reads the body (within the limit) before any route, then the extractor
/// refuses a command its type does not take.
#[actix_web::test]
async fn unexpected_command_is_rejected_by_the_extractor() {
    let seen = Seen::default();
    let polls = Counter::new();
    let route = web::post().to({
        let seen = seen.clone();
        move |cb: Callback<group::SendMsgException>| {
            let seen = seen.clone();
            async move {
                seen.0.lock().unwrap().push(cb);
                Ack
            }
        }
    });
    let app = init_service(scoped_app(config(), route)).await;
    let (req, _) = TestRequest::post()
        .uri(&callback_uri("Group.CallbackAfterSendMsg", ""))
        .to_request()
        .replace_payload(counting_payload(chunks_of(SEED, 64), &polls));

    let res = call_service(&app, req).await;

    assert_fail(res, StatusCode::BAD_REQUEST, 40003).await;
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn declared_oversized_body_is_rejected_without_reading_it() {
    let seen = Seen::default();
    let polls = Counter::new();
    let app = init_service(scoped_app(config().body_limit(64), recording(&seen))).await;
    let (req, _) = TestRequest::post()
        .uri(&exception_uri(""))
        .insert_header((header::CONTENT_LENGTH, SEED.len()))
        .to_request()
        .replace_payload(counting_payload(chunks_of(SEED, 64), &polls));

    let res = call_service(&app, req).await;

    assert_fail(res, StatusCode::PAYLOAD_TOO_LARGE, 41301).await;
    assert_eq!(polls.get(), 0, "body not polled");
    assert_eq!(seen.count(), 0);
}
