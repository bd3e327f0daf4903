//! The extractors without the middleware.

use super::*;

#[actix_web::test]
async fn callback_extractor_without_middleware_is_500() {
    for guarded in [false, true] {
        let seen = Seen::default();
        let route = if guarded {
            recording(&seen)
        } else {
            unguarded(&seen)
        };
        let app = init_service(App::new().route(PATH, route)).await;

        let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

        let info = assert_fail(res, StatusCode::INTERNAL_SERVER_ERROR, 50001).await;
        assert!(info.contains("TimCallback"), "{info}");
        assert_eq!(seen.count(), 0, "guarded: {guarded}: handler not invoked");
    }
}

#[actix_web::test]
async fn callback_meta_extractor_without_middleware_is_500() {
    let calls = Counter::new();
    let c = calls.clone();
    let route = web::post().to(move |_: CallbackMeta| {
        let c = c.clone();
        async move {
            c.hit();
            Ack
        }
    });
    let app = init_service(App::new().route(PATH, route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_fail(res, StatusCode::INTERNAL_SERVER_ERROR, 50001).await;
    assert_eq!(calls.get(), 0);
}
