//! The replies Tencent reads: each gives Tencent's exact JSON, refuses codes outside the
//! documented ranges, and passes through the middleware unchanged.

use crate::common::{APP_ID, PATH, TOKEN};
use actix_tim_callback::{
    model::{chatbot, group, official_account, sns},
    reply::ApprovalReply,
    reply::AssignAgentReply,
    reply::BeforeSendReply,
    reply::C2cCodes,
    reply::ChatbotReply,
    reply::FriendCheckReply,
    reply::FriendCodes,
    reply::GroupCodes,
    reply::RefusalCode,
    reply::ReplyCodeError,
    testkit::TestCallback,
    Callback, CallbackConfig, TimCallback,
};
use actix_web::{
    test::{call_service, init_service, read_body},
    web, App, Route,
};
use serde_json::{json, Value};

fn json_of(reply: &impl serde::Serialize) -> Value {
    serde_json::to_value(reply).expect("serialises")
}

#[test]
fn approval_replies_are_tencents_json() {
    assert_eq!(
        json_of(&ApprovalReply::<GroupCodes>::allow()),
        json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""})
    );
    assert_eq!(
        json_of(&ApprovalReply::<GroupCodes>::refuse()),
        json!({"ActionStatus": "OK", "ErrorCode": 1, "ErrorInfo": ""})
    );
    assert_eq!(
        json_of(&ApprovalReply::<GroupCodes>::refuse_with(
            RefusalCode::of(10100),
            "no more groups today"
        )),
        json!({"ActionStatus": "OK", "ErrorCode": 10100, "ErrorInfo": "no more groups today"})
    );
    assert_eq!(
        json_of(&ApprovalReply::<GroupCodes>::refuse_members([
            "bot_1", "bot_2"
        ])),
        json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "RefusedMembers_Account": ["bot_1", "bot_2"]})
    );
    assert_eq!(
        json_of(&ApprovalReply::<C2cCodes>::refuse_subscribers(vec![
            "spam".to_owned()
        ])),
        json!({
            "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "",
            "RefusedMembers_Account": ["spam"], "RefusedSubscribers_Account": ["spam"]
        })
    );
}

#[test]
fn refusal_codes_are_checked_against_their_familys_range() {
    fn accepted<F: actix_tim_callback::reply::CodeFamily>(code: u32) -> bool {
        RefusalCode::<F>::new(code).is_ok()
    }
    for code in [10100, 10150, 10200] {
        assert!(accepted::<GroupCodes>(code), "{code}");
        assert!(
            !accepted::<C2cCodes>(code) && !accepted::<FriendCodes>(code),
            "{code}"
        );
    }
    for code in [120001, 125000, 130000] {
        assert!(accepted::<C2cCodes>(code), "{code}");
        assert!(
            !accepted::<GroupCodes>(code) && !accepted::<FriendCodes>(code),
            "{code}"
        );
    }
    for code in [38000, 38500, 39000] {
        assert!(accepted::<FriendCodes>(code), "{code}");
        assert!(
            !accepted::<GroupCodes>(code) && !accepted::<C2cCodes>(code),
            "{code}"
        );
    }
    for code in [
        0,
        1,
        2,
        10016,
        10099,
        10201,
        37999,
        39001,
        120000,
        130001,
        u32::MAX,
    ] {
        for ok in [
            accepted::<GroupCodes>(code),
            accepted::<C2cCodes>(code),
            accepted::<FriendCodes>(code),
        ] {
            assert!(!ok, "{code}");
        }
    }
    let err: ReplyCodeError = RefusalCode::<GroupCodes>::new(10201).expect_err("out of range");
    assert_eq!(err.code, 10201);
    assert_eq!(err.allowed, 10100..=10200);
    assert_eq!(
        err.to_string(),
        "reply code 10201 is outside the range [10100, 10200] Tencent documents for its family"
    );
    assert_eq!(
        RefusalCode::<GroupCodes>::try_from(10100).map(RefusalCode::get),
        Ok(10100)
    );
}

// Before the fix `BeforeSendReply::refuse_with(code, ..)` took any `u32`: 7, or a
// one-to-one code for a group message, went to Tencent as a refusal of the app's own.
#[test]
fn before_send_refusals_only_take_their_familys_codes() {
    assert!(RefusalCode::<GroupCodes>::new(7).is_err());
    assert!(RefusalCode::<GroupCodes>::new(120001).is_err());
    assert!(RefusalCode::<C2cCodes>::new(10100).is_err());
    let group = BeforeSendReply::<GroupCodes>::refuse_with(RefusalCode::of(10100), "no");
    assert_eq!((group.error_code(), group.error_info()), (10100, "no"));
    let c2c = BeforeSendReply::<C2cCodes>::refuse_with(RefusalCode::of(120001), "no");
    assert_eq!(c2c.error_code(), 120001);
}

// Before the fix `ApprovalReply::refuse_with(120001, ..)` was accepted for a group
// callback, whose documented range is [10100, 10200] only.
#[test]
fn group_approvals_refuse_one_to_one_codes() {
    let err = RefusalCode::<GroupCodes>::new(120001).expect_err("a C2C code");
    assert_eq!(err.allowed, 10100..=10200);
    let reply = ApprovalReply::<C2cCodes>::refuse_with(RefusalCode::of(120001), "full");
    assert_eq!(reply.error_code(), 120001);
}

// Before the fix a bad code made `FriendCheckReply::refuse` fail and consume the reply:
// its doc example (`unwrap_or_else(|_| FriendCheckReply::new())`) dropped every verdict
// already added. Now the code is checked before the reply is touched.
#[test]
fn a_bad_friend_code_keeps_the_verdicts_already_added() {
    let reply = FriendCheckReply::new().allow("alice").allow("carol");
    let reply = match RefusalCode::<FriendCodes>::new(40000) {
        Ok(code) => reply.refuse("bob", code, "no"),
        Err(_) => reply.refuse("bob", RefusalCode::of(38000), "no"),
    };
    let accounts: Vec<&str> = reply
        .results()
        .iter()
        .map(|r| r.to_account.as_str())
        .collect();
    assert_eq!(accounts, ["alice", "carol", "bob"]);
    assert_eq!(reply.results()[2].result_code, 38000);
}

#[test]
fn friend_check_replies_are_tencents_json() {
    let reply = FriendCheckReply::new().allow("alice").refuse(
        "vip_bob",
        RefusalCode::of(38001),
        "VIPs accept no requests",
    );
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

#[test]
fn assign_agent_replies_are_tencents_json() {
    assert_eq!(
        json_of(&AssignAgentReply::group(6521).with_agents(["penn_svc", "dramon_svc"])),
        json!({
            "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "",
            "AgentGroupId": 6521, "AgentIdList": ["penn_svc", "dramon_svc"]
        })
    );
    assert_eq!(
        json_of(&AssignAgentReply::agents(["svc1@example.com"])),
        json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "AgentIdList": ["svc1@example.com"]})
    );
    assert_eq!(
        json_of(&AssignAgentReply::any_agent()),
        json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""})
    );
    assert_eq!(AssignAgentReply::group(7).agent_group_id(), Some(7));
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
        web::post().to(|_: Callback<group::BeforeCreateGroup>| async {
            ApprovalReply::<GroupCodes>::refuse_with(RefusalCode::of(10150), "quota")
        }),
    )
    .await;
    assert_eq!(
        body,
        json_of(&ApprovalReply::<GroupCodes>::refuse_with(
            RefusalCode::of(10150),
            "quota"
        ))
    );

    let body = through_the_middleware(
        "Group.CallbackBeforeInviteJoinGroup",
        web::post().to(|cb: Callback<group::BeforeInviteJoinGroup>| async move {
            let first = cb.destination_members[0].member_account.clone();
            ApprovalReply::<GroupCodes>::refuse_members([first])
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
        web::post().to(|_: Callback<official_account::BeforeAddSubscriber>| async {
            ApprovalReply::<C2cCodes>::refuse_subscribers(["spam"])
        }),
    )
    .await;
    assert_eq!(body["RefusedSubscribers_Account"], json!(["spam"]));

    let body = through_the_middleware(
        "Sns.CallbackPrevFriendAdd",
        web::post().to(|cb: Callback<sns::PrevFriendAdd>| async move {
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
            .to(|_: Callback<chatbot::OnC2cSignalMessage>| async { ChatbotReply::send("pong") }),
    )
    .await;
    assert_eq!(body, json_of(&ChatbotReply::send("pong")));
}

/// `RefusalCode::of` out of range names the family's range (in a `const`, that is the build
/// error; at run time, the panic).
#[test]
fn refusal_code_of_out_of_range_names_the_allowed_range() {
    use actix_tim_callback::reply::{C2cCodes, FriendCodes, GroupCodes, RefusalCode};
    let message = |f: fn()| {
        let panic = std::panic::catch_unwind(f).expect_err("out of range panics");
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    };
    assert!(message(|| {
        RefusalCode::<GroupCodes>::of(120001);
    })
    .contains("[10100, 10200] (GroupCodes"));
    assert!(message(|| {
        RefusalCode::<C2cCodes>::of(10100);
    })
    .contains("[120001, 130000] (C2cCodes"));
    assert!(message(|| {
        RefusalCode::<FriendCodes>::of(1);
    })
    .contains("[38000, 39000] (FriendCodes"));
}
