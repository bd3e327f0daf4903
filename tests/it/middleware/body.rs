//! The body: its limit, its JSON, its content type.

use super::*;

async fn body_case(
    config: CallbackConfig,
    body: impl Into<actix_web::web::Bytes>,
) -> (ServiceResponse<impl MessageBody>, Seen) {
    let seen = Seen::default();
    let app = init_service(scoped_app(config, recording(&seen))).await;
    let res = call_service(&app, post(&exception_uri(""), body).to_request()).await;
    (res, seen)
}

#[actix_web::test]
async fn body_over_the_limit_with_content_length_is_413() {
    let (res, seen) = body_case(config().body_limit(64), SEED).await;

    let info = assert_fail(res, StatusCode::PAYLOAD_TOO_LARGE, 41301).await;
    assert!(info.contains("64"), "names the limit: {info}");
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn body_of_exactly_the_limit_is_accepted_and_one_byte_less_is_413() {
    let (res, seen) = body_case(config().body_limit(SEED.len()), SEED).await;
    assert_ok(res).await;
    assert_eq!(seen.count(), 1);

    let (res, seen) = body_case(config().body_limit(SEED.len() - 1), SEED).await;
    assert_fail(res, StatusCode::PAYLOAD_TOO_LARGE, 41301).await;
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn body_over_the_limit_without_content_length_is_413() {
    let seen = Seen::default();
    let polls = Counter::new();
    let app = init_service(scoped_app(config().body_limit(64), recording(&seen))).await;
    let (req, _) = TestRequest::post()
        .uri(&exception_uri(""))
        .to_request()
        .replace_payload(counting_payload(chunks_of(SEED, 40), &polls));
    assert!(req.headers().get(header::CONTENT_LENGTH).is_none());

    let res = call_service(&app, req).await;

    assert_fail(res, StatusCode::PAYLOAD_TOO_LARGE, 41301).await;
    assert_eq!(seen.count(), 0);
    // 40 + 40 > 64: reading stops at the second chunk instead of draining the stream.
    assert_eq!(polls.get(), 2, "stops reading once over the limit");
}

#[actix_web::test]
async fn chunked_body_without_content_length_within_the_limit_is_accepted() {
    let seen = Seen::default();
    let polls = Counter::new();
    let app = init_service(scoped_app(
        config().body_limit(SEED.len()),
        recording(&seen),
    ))
    .await;
    let (req, _) = TestRequest::post()
        .uri(&exception_uri(""))
        .to_request()
        .replace_payload(counting_payload(chunks_of(SEED, 7), &polls));

    let res = call_service(&app, req).await;

    assert_ok(res).await;
    assert_eq!(seen.only().group_id, "@TGS#2J4SZEAEL");
}

#[actix_web::test]
async fn body_that_is_not_json_is_400() {
    let (res, seen) = body_case(config(), "GroupId=@TGS#2J4SZEAEL").await;

    let info = assert_fail(res, StatusCode::BAD_REQUEST, 40002).await;
    assert!(info.contains("invalid body"), "{info}");
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn json_with_trailing_garbage_is_400() {
    let (res, seen) = body_case(config(), format!("{SEED} trailing")).await;

    let info = assert_fail(res, StatusCode::BAD_REQUEST, 40002).await;
    assert!(info.contains("trailing"), "{info}");
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn json_without_group_id_is_400_naming_the_field() {
    let mut json = seed_json();
    json.as_object_mut().unwrap().remove("GroupId");
    let (res, seen) = body_case(config(), json.to_string()).await;

    let info = assert_fail(res, StatusCode::BAD_REQUEST, 40002).await;
    assert!(info.contains("GroupId"), "{info}");
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn json_with_random_as_a_string_is_400_naming_the_field() {
    let mut json = seed_json();
    json["Random"] = json!("123456");
    let (res, seen) = body_case(config(), json.to_string()).await;

    let info = assert_fail(res, StatusCode::BAD_REQUEST, 40002).await;
    assert!(info.contains("Random"), "{info}");
    assert_eq!(seen.count(), 0);
}

/// The seed with its text element turned into a location whose `Latitude` is a string;
/// `MsgType` stays before `MsgContent`, as in Tencent's payloads.
fn seed_with_string_latitude() -> String {
    let body = SEED
        .replace(r#""TIMTextElem""#, r#""TIMLocationElem""#)
        .replace(
            r#""Text": "red packet""#,
            r#""Desc": "office", "Latitude": "22.5", "Longitude": 113.9"#,
        );
    assert!(body.contains(r#""Latitude": "22.5""#) && body.contains("TIMLocationElem"));
    body
}

/// An element whose content does not match its type is kept as sent, never a 400:
/// Tencent does not retry, so a 400 would lose the callback for good.
#[actix_web::test]
async fn wrong_type_deep_in_msg_body_is_kept_as_an_invalid_element() {
    let (res, seen) = body_case(config(), seed_with_string_latitude()).await;

    assert_ok(res).await;
    let cb = seen.only();
    assert_eq!(
        cb.msg_body,
        vec![MsgElement::Invalid {
            msg_type: "TIMLocationElem".to_owned(),
            content: json!({"Desc": "office", "Latitude": "22.5", "Longitude": 113.9}),
        }]
    );
}

/// JSON object members are unordered: the content is kept whether `MsgContent` comes
/// before `MsgType` or after.
#[actix_web::test]
async fn wrong_type_deep_in_msg_body_is_kept_whatever_the_key_order() {
    let mut json = seed_json();
    json["MsgBody"] = json!([{
        "MsgType": "TIMLocationElem",
        "MsgContent": {"Desc": "office", "Latitude": "22.5", "Longitude": 113.9}
    }]);
    let body = json.to_string();
    // serde_json's map is sorted: MsgContent is written before MsgType.
    assert!(body.find("MsgContent") < body.find("MsgType"), "{body}");
    let (res, seen) = body_case(config(), body).await;

    assert_ok(res).await;
    assert!(matches!(
        &seen.only().msg_body[..],
        [MsgElement::Invalid { msg_type, .. }] if msg_type == "TIMLocationElem"
    ));
}

/// What still fails an element is its own shape: a `MsgType` that is not a string is a
/// 400 naming the element.
#[actix_web::test]
async fn element_of_the_wrong_shape_is_400_with_its_path() {
    let mut json = seed_json();
    json["MsgBody"] = json!([{"MsgType": "TIMTextElem", "MsgContent": {"Text": "hi"}}, {"MsgType": 1, "MsgContent": {}}]);
    let (res, seen) = body_case(config(), json.to_string()).await;

    let info = assert_fail(res, StatusCode::BAD_REQUEST, 40002).await;
    assert!(info.contains("MsgBody[1].MsgType"), "{info}");
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn empty_body_is_400() {
    let (res, seen) = body_case(config(), "").await;
    assert_fail(res, StatusCode::BAD_REQUEST, 40002).await;
    assert_eq!(seen.count(), 0);

    // No payload at all, not even `Content-Length: 0`.
    let seen = Seen::default();
    let app = init_service(scoped_app(config(), recording(&seen))).await;
    let res = call_service(
        &app,
        TestRequest::post().uri(&exception_uri("")).to_request(),
    )
    .await;
    assert_fail(res, StatusCode::BAD_REQUEST, 40002).await;
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn invalid_utf8_inside_a_string_is_400() {
    let body = SEED.replacen("jared", "ja\u{0}", 1).into_bytes();
    let at = body.iter().position(|&b| b == 0).unwrap();
    let mut body = body;
    body.splice(at..=at, [0xff, 0xfe]);
    assert!(std::str::from_utf8(&body).is_err());

    let (res, seen) = body_case(config(), body).await;

    assert_fail(res, StatusCode::BAD_REQUEST, 40002).await;
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn body_is_decoded_without_any_content_type() {
    let seen = Seen::default();
    let app = init_service(scoped_app(config(), recording(&seen))).await;
    let req = post(&exception_uri(""), SEED).to_request();
    assert!(req.headers().get(header::CONTENT_TYPE).is_none());

    let res = call_service(&app, req).await;

    assert_ok(res).await;
    assert_eq!(seen.only().group_id, "@TGS#2J4SZEAEL");
}

#[actix_web::test]
async fn body_is_decoded_whatever_the_content_type() {
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let seen = Seen::default();
        let app = init_service(scoped_app(config(), recording(&seen))).await;
        let req = post(&exception_uri(""), SEED)
            .insert_header((header::CONTENT_TYPE, content_type))
            .to_request();

        let res = call_service(&app, req).await;

        assert_ok(res).await;
        assert_eq!(seen.count(), 1, "{content_type}");
    }
}

#[actix_web::test]
async fn unknown_fields_and_unknown_msg_type_are_accepted() {
    let mut json = seed_json();
    json["TopicId"] = json!("@TGS#_topic");
    json["SomethingNew"] = json!({"nested": [1, 2, 3]});
    json["MsgBody"] = json!([
        {"MsgType": "TIMTextElem", "MsgContent": {"Text": "hi", "NewField": true}},
        {"MsgType": "TIMFutureElem", "MsgContent": {"Whatever": 1}}
    ]);
    let (res, seen) = body_case(config(), json.to_string()).await;

    assert_ok(res).await;
    let cb = seen.only();
    assert_eq!(cb.msg_body.len(), 2);
    match &cb.msg_body[1] {
        MsgElement::Unknown { msg_type, content } => {
            assert_eq!(msg_type, "TIMFutureElem");
            assert_eq!(content, &json!({"Whatever": 1}));
        }
        other => panic!("unknown MsgType kept raw, got {other:?}"),
    }
}
