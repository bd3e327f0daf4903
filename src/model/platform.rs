use super::serde_helpers::string_enum;

/// The client platform (`OptPlatform`).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, serde_with::DeserializeFromStr, serde_with::SerializeDisplay,
)]
#[non_exhaustive]
pub enum Platform {
    /// `RESTAPI`: the app's server, through the REST API.
    RestApi,
    /// `Web`.
    Web,
    /// `Android`.
    Android,
    /// `iOS`, also sent as `IOS`.
    Ios,
    /// `Windows`.
    Windows,
    /// `Mac`, also sent as `macOS`.
    Mac,
    /// `iPad`.
    IPad,
    /// `Unknown`: Tencent's own value for an unknown platform.
    Unknown,
    /// A value this crate does not know, kept as sent.
    Other(String),
}

string_enum!(Platform {
    RestApi => "RESTAPI",
    Web => "Web",
    Android => "Android",
    Ios => "iOS" | "IOS",
    Windows => "Windows",
    Mac => "Mac" | "macOS",
    IPad => "iPad",
    Unknown => "Unknown",
});
