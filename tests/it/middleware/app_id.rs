//! The `SdkAppid` check.

use super::*;

async fn app_id_case(query: &str) -> (ServiceResponse<impl MessageBody>, Seen) {
    let seen = Seen::default();
    let app = init_service(scoped_app(config(), recording(&seen))).await;
    let uri = format!("{PATH}?{query}");
    let res = call_service(&app, post(&uri, SEED).to_request()).await;
    (res, seen)
}

#[actix_web::test]
async fn missing_sdk_app_id_is_403() {
    let (res, seen) =
        app_id_case("CallbackCommand=Group.CallbackSendMsgException&contenttype=json").await;

    let info = assert_fail(res, StatusCode::FORBIDDEN, 40301).await;
    assert!(
        info.contains("SdkAppid") && info.contains("missing"),
        "{info}"
    );
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn non_numeric_sdk_app_id_is_403() {
    for value in [
        "abc",
        "%2B1400000000", // a literal `+`
        "+1400000000",   // `+` decodes to a space
        "1400000000%20",
        "%201400000000",
        "-1400000000",
        "1400000000.0",
        "0x5F5E1000",
        "",
    ] {
        let (res, seen) = app_id_case(&format!(
            "SdkAppid={value}&CallbackCommand=Group.CallbackSendMsgException"
        ))
        .await;
        let info = assert_fail(res, StatusCode::FORBIDDEN, 40302).await;
        assert!(info.contains("SdkAppid"), "{value:?}: {info}");
        assert_eq!(seen.count(), 0, "{value:?}: handler not invoked");
    }
}

#[actix_web::test]
async fn sdk_app_id_without_value_is_403() {
    let (res, seen) = app_id_case("SdkAppid&CallbackCommand=Group.CallbackSendMsgException").await;

    assert_fail(res, StatusCode::FORBIDDEN, 40302).await;
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn overflowing_sdk_app_id_is_403() {
    let (res, seen) =
        app_id_case("SdkAppid=18446744073709551616&CallbackCommand=Group.CallbackSendMsgException")
            .await;

    assert_fail(res, StatusCode::FORBIDDEN, 40302).await;
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn repeated_sdk_app_id_with_different_values_is_403() {
    for query in [
        "SdkAppid=1400000000&SdkAppid=1",
        "SdkAppid=1&SdkAppid=1400000000",
        "SdkAppid=1400000000&sdkappid=1",
        "sdkappid=1&SdkAppid=1400000000",
        "SdkAppid=1400000000&SDKAPPID=1400000001&SdkAppid=1400000000",
    ] {
        let (res, seen) = app_id_case(&format!(
            "{query}&CallbackCommand=Group.CallbackSendMsgException"
        ))
        .await;
        let info = assert_fail(res, StatusCode::FORBIDDEN, 40302).await;
        assert!(info.contains("more than once"), "{query}: {info}");
        assert_eq!(seen.count(), 0, "{query}: handler not invoked");
    }
}

#[actix_web::test]
async fn repeated_sdk_app_id_with_the_same_value_is_accepted() {
    for query in [
        "SdkAppid=1400000000&SdkAppid=1400000000",
        "SdkAppid=1400000000&sdkappid=1400000000",
    ] {
        let (res, seen) = app_id_case(&format!(
            "{query}&CallbackCommand=Group.CallbackSendMsgException"
        ))
        .await;
        assert_ok(res).await;
        assert_eq!(seen.count(), 1, "{query}");
    }
}

#[actix_web::test]
async fn foreign_sdk_app_id_is_403_naming_the_received_id() {
    for foreign in ["1400000001", "18446744073709551615", "0"] {
        let (res, seen) = app_id_case(&format!(
            "SdkAppid={foreign}&CallbackCommand=Group.CallbackSendMsgException"
        ))
        .await;
        let info = assert_fail(res, StatusCode::FORBIDDEN, 40303).await;
        assert!(info.contains(foreign), "{foreign}: {info}");
        assert_eq!(seen.count(), 0, "{foreign}: handler not invoked");
    }
}

/// Several apps on one middleware: each request is checked against its own app's tokens,
/// `CallbackMeta::sdk_app_id` says which app it was, another app's token is a wrong
/// signature, and an app the config does not take is foreign, as with one app.
#[actix_web::test]
async fn several_apps_each_with_its_own_tokens() {
    use actix_tim_callback::{testkit::TestCallback, SdkApp};
    const TEST_APP: u64 = APP_ID + 1;
    const OPEN_APP: u64 = APP_ID + 2;
    let seen = Seen::default();
    let config = CallbackConfig::new(APP_ID)
        .token(TOKEN)
        .app(
            SdkApp::new(TEST_APP)
                .token("test token")
                .previous_token("old test token"),
        )
        .app(SdkApp::new(OPEN_APP));
    let app = init_service(scoped_app(config, recording(&seen))).await;
    let send = |app_id: u64, token: Option<&str>| {
        let callback = TestCallback::send_msg_exception()
            .sdk_app_id(app_id)
            .path(PATH);
        match token {
            Some(token) => callback.signed(token).to_request(),
            None => callback.to_request(),
        }
    };

    for (app_id, token) in [
        (APP_ID, Some(TOKEN)),
        (TEST_APP, Some("test token")),
        (TEST_APP, Some("old test token")),
        (OPEN_APP, None),
    ] {
        assert_ok(call_service(&app, send(app_id, token)).await).await;
        assert_eq!(seen.only().meta.sdk_app_id, app_id, "{app_id}");
        seen.0.lock().unwrap().clear();
    }
    // Another app's token, or none where a token is set: refused as with one app.
    let res = call_service(&app, send(TEST_APP, Some(TOKEN))).await;
    assert_fail(res, StatusCode::UNAUTHORIZED, 40104).await;
    let res = call_service(&app, send(APP_ID, Some("test token"))).await;
    assert_fail(res, StatusCode::UNAUTHORIZED, 40104).await;
    let res = call_service(&app, send(APP_ID, None)).await;
    assert_fail(res, StatusCode::UNAUTHORIZED, 40101).await;
    let res = call_service(&app, send(APP_ID + 3, Some(TOKEN))).await;
    assert_fail(res, StatusCode::FORBIDDEN, 40303).await;
    assert_eq!(seen.count(), 0);
}

/// An SDKAppID given twice is a configuration mistake: refused at start-up.
#[actix_web::test]
async fn an_app_given_twice_is_refused() {
    use actix_tim_callback::{ConfigError, SdkApp};
    for config in [
        CallbackConfig::new(APP_ID).app(SdkApp::new(APP_ID)),
        CallbackConfig::new(APP_ID)
            .app(SdkApp::new(APP_ID + 1))
            .app(SdkApp::new(APP_ID + 1).token("t")),
    ] {
        assert!(matches!(
            config.validate(),
            Err(ConfigError::DuplicateApp { sdk_app_id }) if sdk_app_id == APP_ID || sdk_app_id == APP_ID + 1
        ));
        let started = actix_tim_callback::TimCallback::new(config)
            .new_transform(ok_service())
            .await;
        assert!(started.is_err(), "the middleware refuses to start");
    }
    // A blank token of an added app is refused as the first app's is.
    let config = CallbackConfig::new(APP_ID).app(SdkApp::new(APP_ID + 1).token(" "));
    assert_eq!(config.validate(), Err(ConfigError::EmptyToken));
}

/// The start-up log line says what the middleware accepts.
#[test]
fn the_start_up_line_says_what_is_accepted() {
    use actix_tim_callback::{dedup::MemoryStore, SdkApp, TimCallback};
    crate::common::capture_logs();
    let _tim = TimCallback::new(
        CallbackConfig::new(APP_ID)
            .token(TOKEN)
            .previous_token("old")
            .app(SdkApp::new(APP_ID + 7))
            .dedup(MemoryStore::default()),
    );
    let line = crate::common::records()
        .into_iter()
        .find(|line| line.contains(&format!("SdkAppid {}", APP_ID + 7)) && line.starts_with("INFO"))
        .expect("a start-up line");
    assert!(
        line.contains(&format!(
            "SdkAppid {APP_ID} (signed, 2 tokens), SdkAppid {} (unsigned); duplicates suppressed in MemoryStore (replies kept 600s); commands without a route answered OK",
            APP_ID + 7
        )),
        "{line}"
    );
}
