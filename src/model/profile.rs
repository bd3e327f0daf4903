//! `Profile.*`: profile changes.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::serde_helpers::NumberOrString;

/// `Profile.CallbackPortraitSet`: a user's profile was updated.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/48733)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PortraitSet {
    /// `CallbackCommand`: `Profile.CallbackPortraitSet`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Operator_Account`: who made the update (the user, or an admin through the REST
    /// API).
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `From_Account`: the user whose profile was updated.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `ProfileItem`: the profile fields that were updated, with their new values.
    #[serde(default)]
    pub profile_item: Vec<ProfileItem>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// One updated profile field, an item of [`PortraitSet::profile_item`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ProfileItem {
    /// `Tag`: the profile field, e.g. `Tag_Profile_IM_Nick`, `Tag_Profile_IM_Gender`, or a
    /// custom `Tag_Profile_Custom_*` field.
    pub tag: String,
    /// `Value`: the new value, as sent: a string for most tags, a number for some (e.g.
    /// `Tag_Profile_IM_BirthDay`, `Tag_Profile_IM_Level`), depending on the tag.
    #[serde(default)]
    pub value: Value,
}
