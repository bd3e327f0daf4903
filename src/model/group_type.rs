use super::serde_helpers::string_enum;

/// The group's type (`Type`). Old and new names both arrive; callbacks in the wild use
/// the old ones, which [`as_str`](Self::as_str) writes back.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, serde_with::DeserializeFromStr, serde_with::SerializeDisplay,
)]
#[non_exhaustive]
pub enum GroupType {
    /// `Public`: a public group.
    Public,
    /// `Private`, also sent as `Work`: a work group.
    Private,
    /// `ChatRoom`, also sent as `Meeting`: a meeting group.
    ChatRoom,
    /// `AVChatRoom`: a live-streaming group.
    AvChatRoom,
    /// `BChatRoom`: a legacy broadcast chat room.
    BChatRoom,
    /// `Community`: a community group.
    Community,
    /// A type this crate does not know, kept as sent.
    Other(String),
}

string_enum!(GroupType {
    Public => "Public",
    Private => "Private" | "Work",
    ChatRoom => "ChatRoom" | "Meeting",
    AvChatRoom => "AVChatRoom",
    BChatRoom => "BChatRoom",
    Community => "Community",
});
