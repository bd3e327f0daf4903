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
