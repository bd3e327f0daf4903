//! What a handler returns, and the errors of handlers and other extractors, as Tencent reads them.

use super::*;

#[actix_web::test]
async fn handler_returning_ok_unit_gets_ok_reply_with_200_not_204() {
    let calls = Counter::new();
    let c = calls.clone();
    let route = exception_route().to(move |_: Callback<group::SendMsgException>| {
        let c = c.clone();
        async move {
            c.hit();
            actix_web::Result::<()>::Ok(())
        }
    });
    let app = init_service(scoped_app(config(), route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_ok(res).await;
    assert_eq!(calls.get(), 1);
}

#[actix_web::test]
async fn handler_returning_empty_200_gets_ok_reply() {
    let calls = Counter::new();
    let c = calls.clone();
    let route = exception_route().to(move |_: Callback<group::SendMsgException>| {
        let c = c.clone();
        async move {
            c.hit();
            HttpResponse::Ok().finish()
        }
    });
    let app = init_service(scoped_app(config(), route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_ok(res).await;
    assert_eq!(calls.get(), 1);
}

#[actix_web::test]
async fn handler_returning_its_own_json_body_is_passed_through_unchanged() {
    let reply = json!({
        "ActionStatus": "OK",
        "ErrorInfo": "",
        "ErrorCode": 0,
        "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "replaced"}}]
    });
    let calls = Counter::new();
    let c = calls.clone();
    let sent = reply.clone();
    let route = exception_route().to(move |_: Callback<group::SendMsgException>| {
        let c = c.clone();
        let sent = sent.clone();
        async move {
            c.hit();
            HttpResponse::Ok().json(sent)
        }
    });
    let app = init_service(scoped_app(config(), route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        header_str(&res, header::CONTENT_TYPE).as_deref(),
        Some("application/json")
    );
    let body = read_body(res).await;
    assert_eq!(body, serde_json::to_vec(&reply).unwrap());
    assert_eq!(calls.get(), 1);
}

/// A handler that explicitly answers an empty `404` (here through `Option::None`, which
/// actix turns into an empty 404) handled the command; the middleware must not mistake
/// it for a command without a route and answer `200 OK`.
#[actix_web::test]
async fn handler_returning_empty_404_is_not_answered_ok() {
    let calls = Counter::new();
    let c = calls.clone();
    let route = exception_route().to(move |_: Callback<group::SendMsgException>| {
        let c = c.clone();
        async move {
            c.hit();
            Option::<Ack>::None
        }
    });
    let app = init_service(scoped_app(config(), route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_eq!(calls.get(), 1, "the handler ran");
    // The handler's status is kept, with a FAIL body instead of an OK.
    assert_fail(res, StatusCode::NOT_FOUND, 40499).await;
}

#[actix_web::test]
async fn handler_returning_empty_500_gets_a_fail_body() {
    let route = exception_route().to(|_: Callback<group::SendMsgException>| async {
        HttpResponse::InternalServerError().finish()
    });
    let app = init_service(scoped_app(config(), route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_fail(res, StatusCode::INTERNAL_SERVER_ERROR, 50099).await;
}

#[actix_web::test]
async fn panicking_handler_gets_a_fail_reply_and_the_service_keeps_serving() {
    let calls = Counter::new();
    let c = calls.clone();
    let route = exception_route().to(move |cb: Callback<group::SendMsgException>| {
        let c = c.clone();
        async move {
            c.hit();
            if cb.from_account == "jared" {
                panic!("handler bug");
            }
            Ack
        }
    });
    let app = init_service(scoped_app(config(), route)).await;

    let err = actix_web::test::try_call_service(&app, post(&exception_uri(""), SEED).to_request())
        .await
        .err()
        .expect("a panic is an error, never an OK");
    let res = err.error_response();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = actix_web::body::to_bytes(res.into_body()).await.unwrap();
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["ActionStatus"], "FAIL");
    assert_eq!(body["ErrorCode"], 50002);

    let mut other = seed_json();
    other["From_Account"] = json!("someone else");
    let res = call_service(
        &app,
        post(&exception_uri(""), other.to_string()).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(read_body(res).await, OK_JSON.as_bytes());
    assert_eq!(calls.get(), 2);
}

#[actix_web::test]
async fn handler_internal_server_error_becomes_500_fail_reply() {
    let calls = Counter::new();
    let c = calls.clone();
    let route = exception_route().to(move |_: Callback<group::SendMsgException>| {
        let c = c.clone();
        async move {
            c.hit();
            Err::<Ack, _>(actix_web::error::ErrorInternalServerError("boom"))
        }
    });
    let app = init_service(scoped_app(config(), route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    let info = assert_fail(res, StatusCode::INTERNAL_SERVER_ERROR, 50099).await;
    assert!(info.contains("handler failed"), "{info}");
    assert_eq!(calls.get(), 1);
}

#[actix_web::test]
async fn handler_unit_result_error_becomes_fail_reply_not_ok() {
    let route = exception_route().to(|_: Callback<group::SendMsgException>| async {
        actix_web::Result::<()>::Err(actix_web::error::ErrorInternalServerError("boom"))
    });
    let app = init_service(scoped_app(config(), route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_fail(res, StatusCode::INTERNAL_SERVER_ERROR, 50099).await;
}

#[actix_web::test]
async fn handler_bad_request_error_becomes_400_fail_reply() {
    let route = exception_route().to(|_: Callback<group::SendMsgException>| async {
        Err::<Ack, _>(actix_web::error::ErrorBadRequest("nope"))
    });
    let app = init_service(scoped_app(config(), route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    let info = assert_fail(res, StatusCode::BAD_REQUEST, 40099).await;
    assert!(info.contains("Bad Request"), "{info}");
}

#[derive(Deserialize)]
struct Tenant {
    tenant: String,
}

#[actix_web::test]
async fn other_extractor_error_keeps_its_status_with_fail_reply() {
    let calls = Counter::new();
    let c = calls.clone();
    let route = exception_route().to(
        move |_: Callback<group::SendMsgException>, q: web::Query<Tenant>| {
            let c = c.clone();
            async move {
                c.hit();
                assert!(!q.tenant.is_empty());
                Ack
            }
        },
    );
    let app = init_service(scoped_app(config(), route)).await;

    // The query has no `tenant`.
    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_fail(res, StatusCode::BAD_REQUEST, 40099).await;
    assert_eq!(calls.get(), 0, "handler not invoked");
}
