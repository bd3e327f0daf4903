//! The signature check: `Sign`, `RequestTime`, the replay window, the token.

use super::*;

async fn signed_case(
    config: CallbackConfig,
    extra: &str,
) -> (ServiceResponse<impl MessageBody>, Seen) {
    let seen = Seen::default();
    let app = init_service(scoped_app(config, recording(&seen))).await;
    let res = call_service(&app, post(&exception_uri(extra), SEED).to_request()).await;
    (res, seen)
}

#[actix_web::test]
async fn valid_signature_is_accepted() {
    let (res, seen) = signed_case(
        signed_config(),
        &format!("&{}", signed_query(TOKEN, now_secs())),
    )
    .await;

    assert_ok(res).await;
    assert_eq!(seen.count(), 1);
}

#[actix_web::test]
async fn missing_sign_or_request_time_is_401() {
    let now = now_secs();
    let sign = actix_tim_callback::sign(TOKEN, &now.to_string());
    for extra in [
        format!("&RequestTime={now}"),
        format!("&Sign={sign}"),
        String::new(),
    ] {
        let (res, seen) = signed_case(signed_config(), &extra).await;
        let info = assert_fail(res, StatusCode::UNAUTHORIZED, 40101).await;
        assert!(
            info.contains("Sign") && info.contains("RequestTime"),
            "{info}"
        );
        assert_eq!(seen.count(), 0, "{extra:?}: handler not invoked");
    }
}

#[actix_web::test]
async fn non_numeric_request_time_is_401() {
    let now = now_secs();
    for time in [
        "abc".to_owned(),
        format!("-{now}"),
        format!("%2B{now}"),
        format!("{now}.0"),
        format!("{now}000000000000"), // overflows u64
        String::new(),
    ] {
        let sign = actix_tim_callback::sign(TOKEN, &time);
        let (res, seen) =
            signed_case(signed_config(), &format!("&RequestTime={time}&Sign={sign}")).await;
        let info = assert_fail(res, StatusCode::UNAUTHORIZED, 40102).await;
        assert!(info.contains("RequestTime"), "{time:?}: {info}");
        assert_eq!(seen.count(), 0, "{time:?}: handler not invoked");
    }
}

#[actix_web::test]
async fn repeated_sign_or_request_time_with_different_values_is_401() {
    let now = now_secs();
    let good = signed_query(TOKEN, now);
    let other_sign = actix_tim_callback::sign(TOKEN, &(now - 1).to_string());
    for (extra, code) in [
        (format!("&{good}&Sign={other_sign}"), 40105),
        (format!("&{good}&sign={other_sign}"), 40105),
        (format!("&{good}&RequestTime={}", now - 1), 40102),
        (format!("&RequestTime={}&{good}", now - 1), 40102),
    ] {
        let (res, seen) = signed_case(signed_config(), &extra).await;
        let info = assert_fail(res, StatusCode::UNAUTHORIZED, code).await;
        assert!(info.contains("more than once"), "{extra}: {info}");
        assert_eq!(seen.count(), 0, "{extra}: handler not invoked");
    }
}

#[actix_web::test]
async fn repeated_sign_and_request_time_with_the_same_values_are_accepted() {
    let now = now_secs();
    let good = signed_query(TOKEN, now);
    let (res, seen) = signed_case(signed_config(), &format!("&{good}&{good}")).await;

    assert_ok(res).await;
    assert_eq!(seen.count(), 1);
}

#[actix_web::test]
async fn request_time_two_minutes_in_the_past_is_401() {
    let (res, seen) = signed_case(
        signed_config(),
        &format!("&{}", signed_query(TOKEN, now_secs() - 120)),
    )
    .await;

    let info = assert_fail(res, StatusCode::UNAUTHORIZED, 40103).await;
    assert!(info.contains("past"), "{info}");
    assert!(info.contains("60 s"), "names the window: {info}");
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn request_time_two_minutes_in_the_future_is_401() {
    let (res, seen) = signed_case(
        signed_config(),
        &format!("&{}", signed_query(TOKEN, now_secs() + 120)),
    )
    .await;

    let info = assert_fail(res, StatusCode::UNAUTHORIZED, 40103).await;
    assert!(info.contains("future"), "{info}");
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn far_away_request_times_are_401_not_a_panic() {
    for time in [0, u64::MAX, i64::MAX as u64 + 1] {
        let (res, seen) =
            signed_case(signed_config(), &format!("&{}", signed_query(TOKEN, time))).await;
        assert_fail(res, StatusCode::UNAUTHORIZED, 40103).await;
        assert_eq!(seen.count(), 0, "{time}");
    }
}

#[actix_web::test]
async fn request_time_within_the_window_is_accepted() {
    for offset in [-30i64, 30] {
        let time = now_secs().checked_add_signed(offset).unwrap();
        let (res, seen) =
            signed_case(signed_config(), &format!("&{}", signed_query(TOKEN, time))).await;
        assert_ok(res).await;
        assert_eq!(seen.count(), 1, "offset {offset}");
    }
}

#[actix_web::test]
async fn custom_replay_window_expires_earlier() {
    let short = || signed_config().replay_window(Duration::from_secs(5));

    let (res, seen) = signed_case(
        short(),
        &format!("&{}", signed_query(TOKEN, now_secs() - 30)),
    )
    .await;
    let info = assert_fail(res, StatusCode::UNAUTHORIZED, 40103).await;
    assert!(info.contains("5 s"), "names the window: {info}");
    assert_eq!(seen.count(), 0);

    let (res, seen) = signed_case(
        short(),
        &format!("&{}", signed_query(TOKEN, now_secs() - 1)),
    )
    .await;
    assert_ok(res).await;
    assert_eq!(seen.count(), 1);
}

#[actix_web::test]
async fn signature_made_with_another_token_is_401() {
    let (res, seen) = signed_case(
        signed_config(),
        &format!("&{}", signed_query("another-token", now_secs())),
    )
    .await;

    let info = assert_fail(res, StatusCode::UNAUTHORIZED, 40104).await;
    assert!(info.contains("Sign"), "{info}");
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn malformed_variants_of_the_right_sign_are_401() {
    let now = now_secs();
    let right = actix_tim_callback::sign(TOKEN, &now.to_string());
    for sign in [
        right.to_uppercase(),
        right[..63].to_owned(),
        format!("{right}0"),
        String::new(),
    ] {
        let (res, seen) =
            signed_case(signed_config(), &format!("&RequestTime={now}&Sign={sign}")).await;
        assert_fail(res, StatusCode::UNAUTHORIZED, 40104).await;
        assert_eq!(seen.count(), 0, "{sign:?}: handler not invoked");
    }
}

#[actix_web::test]
async fn sign_of_another_second_is_401() {
    let now = now_secs();
    let sign = actix_tim_callback::sign(TOKEN, &(now - 1).to_string());
    let (res, seen) =
        signed_case(signed_config(), &format!("&RequestTime={now}&Sign={sign}")).await;

    assert_fail(res, StatusCode::UNAUTHORIZED, 40104).await;
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn token_and_sign_never_appear_in_fail_replies() {
    let now = now_secs();
    let right = actix_tim_callback::sign(TOKEN, &now.to_string());
    let other = actix_tim_callback::sign("another-token", &now.to_string());
    let cases = [
        (format!("&RequestTime={now}&Sign={other}"), 40104),
        (
            format!("&RequestTime={now}&Sign={}", right.to_uppercase()),
            40104,
        ),
        (format!("&{}", signed_query(TOKEN, now - 120)), 40103),
        (
            format!("&RequestTime={now}&Sign={right}&Sign={other}"),
            40105,
        ),
        (format!("&Sign={right}"), 40101),
    ];
    for (extra, code) in cases {
        let (res, _) = signed_case(signed_config(), &extra).await;
        let status = res.status();
        let body = read_body(res).await;
        let text = String::from_utf8_lossy(&body).to_lowercase();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{extra}");
        assert_fail_body(&body, code);
        assert!(
            !text.contains(&TOKEN.to_lowercase()),
            "token leaked: {text}"
        );
        assert!(!text.contains(&right), "right sign leaked: {text}");
        assert!(!text.contains(&other), "sent sign leaked: {text}");
    }
}

#[actix_web::test]
async fn without_a_token_sign_and_request_time_are_not_checked() {
    let (res, seen) = signed_case(config(), "&RequestTime=1&Sign=not-a-signature").await;

    assert_ok(res).await;
    assert_eq!(seen.count(), 1);
}

#[actix_web::test]
async fn an_empty_or_blank_token_refuses_to_start_the_app() {
    captured_warnings();
    for token in ["", "   ", "\t"] {
        let config = CallbackConfig::new(APP_ID).token(token);
        assert_eq!(config.validate(), Err(ConfigError::EmptyToken));
        // What `App::wrap` does when a worker builds the app: the middleware refuses.
        let middleware = TimCallback::new(config).new_transform(ok_service()).await;
        assert!(
            middleware.is_err(),
            "token {token:?} must not make a working app"
        );
    }
    let lines = captured_warnings().lock().unwrap().clone();
    assert!(
        lines
            .iter()
            .any(|line| line.contains("token is empty or blank")),
        "the refusal is logged: {lines:?}"
    );
}
