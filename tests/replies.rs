//! The replies Tencent reads: each gives Tencent's exact JSON, refuses codes outside the
//! documented ranges, and passes through the middleware unchanged.

mod common;

use actix_tim_callback::{
    model::{
        BeforeCreateGroup, BeforeInviteJoinGroup, ChatbotOnC2cSignalMessage,
        OfficialAccountBeforeAddSubscriber, PrevFriendAdd,
    },
    ApprovalReply, Callback, CallbackConfig, ChatbotReply, FriendCheckReply, ReplyCodeError,
    TestCallback, TimCallback,
};
use actix_web::{
    test::{call_service, init_service, read_body},
    web, App, Route,
};
use common::{APP_ID, PATH, TOKEN};
use serde_json::{json, Value};

fn json_of(reply: &impl serde::Serialize) -> Value {
    serde_json::to_value(reply).expect("serialises")
}

#[test]
fn approval_replies_are_tencents_json() {
    assert_eq!(
        json_of(&ApprovalReply::allow()),
        json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""})
    );
    assert_eq!(
        json_of(&ApprovalReply::refuse()),
        json!({"ActionStatus": "OK", "ErrorCode": 1, "ErrorInfo": ""})
    );
    assert_eq!(
        json_of(&ApprovalReply::refuse_with(10100, "no more groups today").expect("in range")),
        json!({"ActionStatus": "OK", "ErrorCode": 10100, "ErrorInfo": "no more groups today"})
    );
    assert_eq!(
        json_of(&ApprovalReply::refuse_members(["bot_1", "bot_2"])),
        json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "RefusedMembers_Account": ["bot_1", "bot_2"]})
    );
    assert_eq!(
        json_of(&ApprovalReply::refuse_subscribers(vec!["spam".to_owned()])),
        json!({
            "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "",
            "RefusedMembers_Account": ["spam"], "RefusedSubscribers_Account": ["spam"]
        })
    );
}

#[test]
fn approval_codes_outside_the_documented_ranges_are_refused() {
    for code in [10100, 10200, 120001, 130000] {
        let reply = ApprovalReply::refuse_with(code, "x").expect("documented");
        assert_eq!(reply.error_code(), code);
        assert_eq!(reply.error_info(), "x");
    }
    for code in [0, 1, 2, 10016, 10099, 10201, 120000, 130001, 38000] {
        let err = ApprovalReply::refuse_with(code, "x").expect_err("undocumented");
        assert_eq!(err.code, code);
        assert!(
            err.to_string().contains("outside the documented range"),
            "{err}"
        );
    }
}

#[test]
fn friend_check_replies_are_tencents_json() {
    let reply = FriendCheckReply::new()
        .allow("alice")
        .refuse("vip_bob", 38001, "VIPs accept no requests")
        .expect("in range");
    assert_eq!(
        json_of(&reply),
        json!({
            "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "",
            "ResultItem": [
                {"To_Account": "alice", "ResultCode": 0, "ResultInfo": ""},
                {"To_Account": "vip_bob", "ResultCode": 38001, "ResultInfo": "VIPs accept no requests"}
            ]
        })
    );
    assert_eq!(reply.results().len(), 2);
    assert_eq!(
        json_of(&FriendCheckReply::default()),
        json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "ResultItem": []})
    );
    for code in [37999, 39001, 0, 1] {
        let err: ReplyCodeError = FriendCheckReply::new()
            .refuse("x", code, "no")
            .expect_err("undocumented");
        assert_eq!(err.code, code);
    }
    assert!(FriendCheckReply::new().refuse("x", 39000, "no").is_ok());
}

#[test]
fn chatbot_replies_are_tencents_json() {
    assert_eq!(
        json_of(&ChatbotReply::send(r#"{"msg":"pong"}"#)),
        json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "RspData": "{\"msg\":\"pong\"}"})
    );
    assert_eq!(
        json_of(&ChatbotReply::ignore()),
        json!({"ActionStatus": "OK", "ErrorCode": 1, "ErrorInfo": "", "RspData": ""})
    );
}

/// Posts `command`'s sample to an app whose one route is `route`; returns the body the
/// IM backend gets.
async fn through_the_middleware(command: &str, route: Route) -> Value {
    let app = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID).token(TOKEN)))
                .route("", route),
        ),
    )
    .await;
    let req = TestCallback::sample(command)
        .expect("a sample")
        .path(PATH)
        .signed(TOKEN)
        .to_request();
    let res = call_service(&app, req).await;
    assert_eq!(res.status(), 200, "{command}");
    assert_eq!(
        res.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"application/json"[..])
    );
    serde_json::from_slice(&read_body(res).await).expect("JSON")
}

#[actix_web::test]
async fn each_reply_passes_through_the_middleware_unchanged() {
    let body = through_the_middleware(
        "Group.CallbackBeforeCreateGroup",
        web::post().to(|_: Callback<BeforeCreateGroup>| async {
            ApprovalReply::refuse_with(10150, "quota").expect("in range")
        }),
    )
    .await;
    assert_eq!(
        body,
        json_of(&ApprovalReply::refuse_with(10150, "quota").expect("in range"))
    );

    let body = through_the_middleware(
        "Group.CallbackBeforeInviteJoinGroup",
        web::post().to(|cb: Callback<BeforeInviteJoinGroup>| async move {
            let first = cb.destination_members[0].member_account.clone();
            ApprovalReply::refuse_members([first])
        }),
    )
    .await;
    assert_eq!(body["ErrorCode"], 0);
    assert_eq!(
        body["RefusedMembers_Account"].as_array().map(Vec::len),
        Some(1)
    );

    let body = through_the_middleware(
        "OfficialAccount.CallbackBeforeAddSubscriber",
        web::post().to(|_: Callback<OfficialAccountBeforeAddSubscriber>| async {
            ApprovalReply::refuse_subscribers(["spam"])
        }),
    )
    .await;
    assert_eq!(body["RefusedSubscribers_Account"], json!(["spam"]));

    let body = through_the_middleware(
        "Sns.CallbackPrevFriendAdd",
        web::post().to(|cb: Callback<PrevFriendAdd>| async move {
            let mut reply = FriendCheckReply::new();
            for item in &cb.friend_item {
                reply = reply.allow(item.to_account.clone());
            }
            reply
        }),
    )
    .await;
    assert_eq!(body["ResultItem"][0]["ResultCode"], 0);
    assert!(body["ResultItem"][0]["To_Account"].is_string());

    let body = through_the_middleware(
        "Chatbot.OnC2CSignalMessage",
        web::post()
            .to(|_: Callback<ChatbotOnC2cSignalMessage>| async { ChatbotReply::send("pong") }),
    )
    .await;
    assert_eq!(body, json_of(&ChatbotReply::send("pong")));
}
