//! Methods other than `POST`.

use super::*;

#[actix_web::test]
async fn methods_other_than_post_are_405_with_allow_post() {
    for method in [
        Method::GET,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
    ] {
        let seen = Seen::default();
        let app = init_service(scoped_app(config(), recording(&seen))).await;
        let req = TestRequest::default()
            .method(method.clone())
            .uri(&exception_uri(""))
            .set_payload(SEED)
            .to_request();

        let res = call_service(&app, req).await;

        assert_eq!(
            header_str(&res, header::ALLOW).as_deref(),
            Some("POST"),
            "{method}"
        );
        let info = assert_fail(res, StatusCode::METHOD_NOT_ALLOWED, 40501).await;
        assert!(info.contains("POST"), "{method}: {info}");
        assert_eq!(seen.count(), 0, "{method}: handler not invoked");
    }
}

#[actix_web::test]
async fn head_is_405_with_allow_post_and_never_ok() {
    let seen = Seen::default();
    let app = init_service(scoped_app(config(), recording(&seen))).await;
    let req = TestRequest::default()
        .method(Method::HEAD)
        .uri(&exception_uri(""))
        .to_request();

    let res = call_service(&app, req).await;

    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(header_str(&res, header::ALLOW).as_deref(), Some("POST"));
    // The HTTP layer drops the body of a HEAD reply; in this in-process service the
    // middleware's FAIL body is still there, and it must be the FAIL reply, not the OK.
    let body = read_body(res).await;
    assert_fail_body(&body, 40501);
    assert_eq!(seen.count(), 0);
}
