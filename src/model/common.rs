//! Small item types that several callbacks share.

use serde::{Deserialize, Serialize};

/// One group member in a member list (`{"Member_Account": "..."}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Member {
    /// `Member_Account`: the member's UserID.
    #[serde(rename = "Member_Account")]
    pub member_account: String,
}

impl Member {
    /// The member `member_account`.
    pub fn new(member_account: impl Into<String>) -> Self {
        Self {
            member_account: member_account.into(),
        }
    }
}

/// A key and its value (`{"Key": "...", "Value": "..."}`), e.g. an item of
/// `UserDefinedDataList`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct KeyValue {
    /// `Key`.
    pub key: String,
    /// `Value`.
    #[serde(default)]
    pub value: String,
}

impl KeyValue {
    /// The pair `key` = `value`.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// One message extension (`ExtensionList` item of the message-extension callbacks).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct MsgExtension {
    /// `Key`: the extension's key.
    pub key: String,
    /// `Value`: the extension's value (empty when it was deleted).
    #[serde(default)]
    pub value: String,
    /// `Seq`: the extension's version after the change.
    pub seq: Option<u64>,
}
