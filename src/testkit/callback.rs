//! Ready callback requests for testing handlers without a Tencent account.

use actix_web::{http::Method, test::TestRequest, web::Bytes};
use serde::Serialize;

use crate::{
    log::unix_now,
    model::{catalogue, AnyEvent, CallbackEvent},
    signature::sign,
};

const SEND_MSG_EXCEPTION: &str = include_str!("../../tests/fixtures/send_msg_exception.json");
const GROUP_BEFORE_SEND_MSG: &str = include_str!("../../tests/fixtures/group_before_send_msg.json");
const GROUP_AFTER_SEND_MSG: &str = include_str!("../../tests/fixtures/group_after_send_msg.json");
const C2C_BEFORE_SEND_MSG: &str = include_str!("../../tests/fixtures/c2c_before_send_msg.json");
const C2C_AFTER_SEND_MSG: &str = include_str!("../../tests/fixtures/c2c_after_send_msg.json");

/// `[(command, Tencent's sample body of the command)]` for every command of the catalogue,
/// from `tests/fixtures/samples/`: a command without a sample file does not build.
macro_rules! samples {
    ($($command:literal => $variant:ident($family:ident::$ty:ident): $reply:ident $(<$codes:ident>)?,)*) => {
        [$((
            $command,
            include_str!(concat!("../../tests/fixtures/samples/", $command, ".json")),
        ),)*]
    };
}

/// Tencent's sample body of every callback command, by command.
const SAMPLES: [(&str, &str); AnyEvent::COMMANDS.len()] = catalogue!(samples);

/// A callback request as the IM backend sends it, for tests (feature `test-util`).
///
/// Starts from Tencent's documented sample of a command (or a body of your own), with
/// the query string the backend writes, and signs it when given a token. Every part can
/// be broken on purpose to test rejections. Add the feature to your dev-dependencies:
///
/// ```toml
/// [dev-dependencies]
/// actix-tim-callback = { version = "0.1", features = ["test-util"] }
/// ```
///
/// - **Build**: [`sample(command)`](Self::sample) (Tencent's sample of any command of the
///   catalogue; [`commands`](Self::commands) lists them), [`send_msg_exception`](Self::send_msg_exception)
///   and the other message fixtures, [`event(&your_event)`](Self::event),
///   [`new(command, body)`](Self::new); change the body with [`edit_json`](Self::edit_json).
/// - **Break**: [`sdk_app_id`](Self::sdk_app_id), [`raw_sdk_app_id`](Self::raw_sdk_app_id),
///   [`without_sdk_app_id`](Self::without_sdk_app_id), [`signed("wrong")`](Self::signed),
///   [`request_time`](Self::request_time), [`sign`](Self::sign),
///   [`without_sign`](Self::without_sign), [`without_request_time`](Self::without_request_time),
///   [`query_param`](Self::query_param), [`body`](Self::body), [`method`](Self::method).
///
/// In your tests (the body of an `#[actix_web::test] async fn`):
///
/// ```
/// use actix_tim_callback::{command, model::group, Ack, Callback, CallbackConfig, testkit::TestCallback, TimCallback};
/// use actix_web::{test, web, App};
///
/// # actix_web::rt::System::new().block_on(async {
/// let app = test::init_service(App::new().service(
///     web::scope("/im/callback")
///         .wrap(TimCallback::new(CallbackConfig::new(1400000000).token("token")))
///         .route("", web::post().guard(command::<group::SendMsgException>()).to(|_: Callback<group::SendMsgException>| async { Ack })),
/// )).await;
///
/// let req = TestCallback::send_msg_exception().path("/im/callback").signed("token").to_request();
/// let res = test::call_service(&app, req).await;
/// assert_eq!(res.status(), 200);
///
/// let forged = TestCallback::send_msg_exception().path("/im/callback").signed("guess").to_request();
/// assert_eq!(test::call_service(&app, forged).await.status(), 401);
/// # });
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
#[derive(Debug, Clone)]
pub struct TestCallback {
    method: Method,
    path: String,
    sdk_app_id: Option<String>,
    command: Option<String>,
    client_ip: Option<String>,
    platform: Option<String>,
    token: Option<String>,
    request_time: Option<String>,
    sign: Option<String>,
    without_request_time: bool,
    without_sign: bool,
    extra_query: Vec<(String, String)>,
    body: Bytes,
}

impl TestCallback {
    /// The SDKAppID the requests carry unless told otherwise.
    pub const DEFAULT_SDK_APP_ID: u64 = 1400000000;

    /// A callback of `command` with `body` as its JSON body.
    pub fn new(command: &str, body: impl Into<Bytes>) -> Self {
        Self {
            method: Method::POST,
            path: "/".to_owned(),
            sdk_app_id: Some(Self::DEFAULT_SDK_APP_ID.to_string()),
            command: Some(command.to_owned()),
            client_ip: Some("127.0.0.1".to_owned()),
            platform: Some("Web".to_owned()),
            token: None,
            request_time: None,
            sign: None,
            without_request_time: false,
            without_sign: false,
            extra_query: Vec::new(),
            body: body.into(),
        }
    }

    /// A callback carrying `event`, with its command.
    ///
    /// # Panics
    ///
    /// When `event` does not serialise to JSON (as actix-web's `TestRequest::set_json`):
    /// a test should fail where its input is wrong, not in the handler it tests.
    #[track_caller]
    pub fn event<E: CallbackEvent + Serialize>(event: &E) -> Self {
        match serde_json::to_vec(event) {
            Ok(body) => Self::new(E::COMMAND, body),
            Err(err) => panic!(
                "TestCallback::event: {} does not serialise: {err}",
                E::COMMAND
            ),
        }
    }

    /// Tencent's sample body of `command`, as printed on the command's page, sent with
    /// that command; `None` for a command the crate has no sample of (see
    /// [`commands`](Self::commands)).
    ///
    /// ```
    /// use actix_tim_callback::testkit::TestCallback;
    ///
    /// let state_change = TestCallback::sample("State.StateChange").expect("a sample");
    /// assert!(state_change.query_string().contains("CallbackCommand=State.StateChange"));
    /// ```
    pub fn sample(command: &str) -> Option<Self> {
        SAMPLES
            .iter()
            .find(|(name, _)| *name == command)
            .map(|(name, body)| Self::new(name, *body))
    }

    /// Every command [`sample`](Self::sample) has a body for: every command of the
    /// catalogue ([`AnyEvent::COMMANDS`](crate::model::AnyEvent::COMMANDS)), in its order.
    pub fn commands() -> impl Iterator<Item = &'static str> {
        SAMPLES.iter().map(|(name, _)| *name)
    }

    /// Tencent's sample `Group.CallbackSendMsgException` (a rate-limited message).
    pub fn send_msg_exception() -> Self {
        Self::new("Group.CallbackSendMsgException", SEND_MSG_EXCEPTION)
    }

    /// Tencent's sample `Group.CallbackBeforeSendMsg`.
    pub fn group_before_send_msg() -> Self {
        Self::new("Group.CallbackBeforeSendMsg", GROUP_BEFORE_SEND_MSG)
    }

    /// Tencent's sample `Group.CallbackAfterSendMsg`.
    pub fn group_after_send_msg() -> Self {
        Self::new("Group.CallbackAfterSendMsg", GROUP_AFTER_SEND_MSG)
    }

    /// Tencent's sample `C2C.CallbackBeforeSendMsg`.
    pub fn c2c_before_send_msg() -> Self {
        Self::new("C2C.CallbackBeforeSendMsg", C2C_BEFORE_SEND_MSG)
    }

    /// Tencent's sample `C2C.CallbackAfterSendMsg`.
    pub fn c2c_after_send_msg() -> Self {
        Self::new("C2C.CallbackAfterSendMsg", C2C_AFTER_SEND_MSG)
    }

    /// The path the request goes to (default `/`).
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// The `SdkAppid` to send (default [`DEFAULT_SDK_APP_ID`](Self::DEFAULT_SDK_APP_ID)).
    pub fn sdk_app_id(self, sdk_app_id: u64) -> Self {
        self.raw_sdk_app_id(sdk_app_id.to_string())
    }

    /// Sends `SdkAppid` as written, e.g. `"abc"` to test a malformed one.
    pub fn raw_sdk_app_id(mut self, value: impl Into<String>) -> Self {
        self.sdk_app_id = Some(value.into());
        self
    }

    /// Sends no `SdkAppid`.
    pub fn without_sdk_app_id(mut self) -> Self {
        self.sdk_app_id = None;
        self
    }

    /// The `CallbackCommand` to send; `None` sends none.
    pub fn command(mut self, command: Option<&str>) -> Self {
        self.command = command.map(str::to_owned);
        self
    }

    /// The `ClientIP` to send (default `127.0.0.1`).
    pub fn client_ip(mut self, client_ip: impl Into<String>) -> Self {
        self.client_ip = Some(client_ip.into());
        self
    }

    /// The `OptPlatform` to send (default `Web`).
    pub fn platform(mut self, platform: impl Into<String>) -> Self {
        self.platform = Some(platform.into());
        self
    }

    /// Signs the request with `token`, at the current time unless
    /// [`request_time`](Self::request_time) says otherwise.
    pub fn signed(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The `RequestTime` to send, in Unix seconds (e.g. two minutes ago to test replays).
    pub fn request_time(self, unix_seconds: u64) -> Self {
        self.raw_request_time(unix_seconds.to_string())
    }

    /// Sends `RequestTime` as written, e.g. `"soon"`.
    pub fn raw_request_time(mut self, value: impl Into<String>) -> Self {
        self.request_time = Some(value.into());
        self
    }

    /// Sends this `Sign` instead of the right one.
    pub fn sign(mut self, sign: impl Into<String>) -> Self {
        self.sign = Some(sign.into());
        self
    }

    /// Sends no `Sign`.
    pub fn without_sign(mut self) -> Self {
        self.without_sign = true;
        self
    }

    /// Sends no `RequestTime`.
    pub fn without_request_time(mut self) -> Self {
        self.without_request_time = true;
        self
    }

    /// Appends a query parameter, e.g. a second `SdkAppid`.
    pub fn query_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_query.push((name.into(), value.into()));
        self
    }

    /// The body to send instead of the sample.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// Changes the sample's JSON, e.g. `|body| body["ErrorCode"] = 80001.into()`.
    ///
    /// The body is written again, with keys in alphabetical order. Leaves a body that is
    /// not JSON as it is.
    pub fn edit_json(mut self, edit: impl FnOnce(&mut serde_json::Value)) -> Self {
        if let Ok(mut json) = serde_json::from_slice::<serde_json::Value>(&self.body) {
            edit(&mut json);
            self.body = Bytes::from(json.to_string());
        }
        self
    }

    /// Sends the request with this method instead of `POST`.
    pub fn method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// The query string, as the IM backend writes it.
    pub fn query_string(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        let mut append = |name: &str, value: Option<&str>| {
            if let Some(value) = value {
                query.append_pair(name, value);
            }
        };
        append("SdkAppid", self.sdk_app_id.as_deref());
        append("CallbackCommand", self.command.as_deref());
        append("contenttype", Some("json"));
        append("ClientIP", self.client_ip.as_deref());
        append("OptPlatform", self.platform.as_deref());
        let request_time = self.request_time.clone().or_else(|| {
            let signing = self.token.is_some() || self.sign.is_some();
            signing.then(|| unix_now().as_secs().to_string())
        });
        if !self.without_request_time {
            append("RequestTime", request_time.as_deref());
        }
        let sign = match (&self.sign, &self.token, &request_time) {
            (Some(sign), _, _) => Some(sign.clone()),
            (None, Some(token), Some(time)) => Some(sign(token, time)),
            _ => None,
        };
        if !self.without_sign {
            append("Sign", sign.as_deref());
        }
        for (name, value) in &self.extra_query {
            append(name, Some(value));
        }
        query.finish()
    }

    /// The path and query string.
    pub fn uri(&self) -> String {
        format!("{}?{}", self.path, self.query_string())
    }

    /// The body.
    pub fn body_bytes(&self) -> Bytes {
        self.body.clone()
    }

    /// The request, without a `Content-Type` header, as Tencent sends it.
    pub fn to_request(&self) -> actix_http::Request {
        self.to_test_request().to_request()
    }

    /// The request as a [`TestRequest`], to change further.
    pub fn to_test_request(&self) -> TestRequest {
        TestRequest::default()
            .method(self.method.clone())
            .uri(&self.uri())
            .set_payload(self.body.clone())
    }
}
