//! `CallbackMeta`.

use super::*;

#[actix_web::test]
async fn callback_meta_carries_the_query_parameters() {
    let metas: Arc<Mutex<Vec<(CallbackMeta, CallbackMeta)>>> = Arc::default();
    let m = metas.clone();
    let route = exception_route().to(
        move |cb: Callback<group::SendMsgException>, meta: CallbackMeta| {
            let m = m.clone();
            async move {
                m.lock().unwrap().push((cb.meta, meta));
                Ack
            }
        },
    );
    let app = init_service(scoped_app(signed_config(), route)).await;
    let now = now_secs();

    let uri = exception_uri(&format!(
        "&ClientIP=%3A%3A1&OptPlatform=iOS&{}",
        signed_query(TOKEN, now)
    ));
    let res = call_service(&app, post(&uri, SEED).to_request()).await;

    assert_ok(res).await;
    let metas = metas.lock().unwrap();
    assert_eq!(metas.len(), 1);
    let (from_callback, standalone) = &metas[0];
    assert_eq!(
        from_callback, standalone,
        "both extractors see the same meta"
    );
    assert_eq!(from_callback.sdk_app_id, APP_ID);
    assert_eq!(from_callback.command.as_deref(), Some(SEND_MSG_EXCEPTION));
    assert_eq!(from_callback.client_ip.as_deref(), Some("::1"));
    assert_eq!(from_callback.platform, Some(Platform::Ios));
    assert_eq!(from_callback.request_time, Some(now));
}

#[actix_web::test]
async fn callback_meta_platform_variants_and_absent_parameters() {
    let cases = [
        ("&OptPlatform=IOS", Some(Platform::Ios)),
        ("&OptPlatform=macOS", Some(Platform::Mac)),
        ("&OptPlatform=RESTAPI", Some(Platform::RestApi)),
        (
            "&OptPlatform=HarmonyOS",
            Some(Platform::Other("HarmonyOS".to_owned())),
        ),
        ("&OptPlatform=Web&OptPlatform=Android", None),
        ("", None),
    ];
    for (extra, platform) in cases {
        let seen = Seen::default();
        let app = init_service(scoped_app(config(), recording(&seen))).await;

        let res = call_service(&app, post(&exception_uri(extra), SEED).to_request()).await;

        assert_ok(res).await;
        let meta = seen.only().meta;
        assert_eq!(meta.platform, platform, "{extra}");
        assert_eq!(meta.client_ip, None, "{extra}");
        assert_eq!(meta.request_time, None, "{extra}");
    }
}

#[actix_web::test]
async fn request_time_is_reported_only_when_verified() {
    let received = std::sync::Arc::new(Mutex::new(Vec::new()));
    let app_with = |config: CallbackConfig| {
        let received = received.clone();
        App::new().service(web::scope(PATH).wrap(TimCallback::new(config)).route(
            "",
            web::post().to(move |meta: CallbackMeta| {
                let received = received.clone();
                async move {
                    received.lock().unwrap().push(meta.request_time);
                    Ack
                }
            }),
        ))
    };
    let unsigned = init_service(app_with(CallbackConfig::new(APP_ID))).await;
    let req = TestCallback::send_msg_exception()
        .request_time(1)
        .sign("0")
        .path(PATH)
        .to_request();
    assert_eq!(call_service(&unsigned, req).await.status(), StatusCode::OK);

    let signed = init_service(app_with(CallbackConfig::new(APP_ID).token(TOKEN))).await;
    let now = now_secs();
    let req = TestCallback::send_msg_exception()
        .signed(TOKEN)
        .request_time(now)
        .path(PATH)
        .to_request();
    assert_eq!(call_service(&signed, req).await.status(), StatusCode::OK);

    assert_eq!(*received.lock().unwrap(), vec![None, Some(now)]);
}
