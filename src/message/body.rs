//! [`MsgBody`]: what every app reads of a message body, without matching each element.

use super::{CustomElem, MsgElement};

impl MsgElement {
    /// The text of a text element (`TIMTextElem`); `None` for any other element.
    ///
    /// ```
    /// use actix_tim_callback::model::MsgElement;
    ///
    /// assert_eq!(MsgElement::text("hi").as_text(), Some("hi"));
    /// assert_eq!(MsgElement::face(1, "smile").as_text(), None);
    /// ```
    pub fn as_text(&self) -> Option<&str> {
        match self {
            MsgElement::Text(text) => text.text.as_deref(),
            _ => None,
        }
    }

    /// The content of a custom element (`TIMCustomElem`); `None` for any other element.
    ///
    /// ```
    /// use actix_tim_callback::model::MsgElement;
    ///
    /// let element = MsgElement::custom(r#"{"gift":"rose"}"#, "a gift", "");
    /// assert_eq!(element.as_custom().and_then(|c| c.data.as_deref()), Some(r#"{"gift":"rose"}"#));
    /// ```
    pub fn as_custom(&self) -> Option<&CustomElem> {
        match self {
            MsgElement::Custom(custom) => Some(custom),
            _ => None,
        }
    }
}

/// What an app reads of a message body (a `MsgBody`, `[MsgElement]`): its texts, its text
/// as one string, the data of its custom elements.
///
/// ```
/// use actix_tim_callback::model::{MsgBody, MsgElement};
///
/// let body = vec![
///     MsgElement::text("hello "),
///     MsgElement::face(1, "smile"),
///     MsgElement::text("world"),
///     MsgElement::custom("level 7", "", ""),
/// ];
/// assert_eq!(body.texts().collect::<Vec<_>>(), ["hello ", "world"]);
/// assert_eq!(body.text(), "hello world");
/// assert_eq!(body.custom_data().collect::<Vec<_>>(), ["level 7"]);
/// ```
pub trait MsgBody {
    /// The texts of the text elements, in order.
    fn texts(&self) -> impl Iterator<Item = &str>;

    /// The texts of the text elements, in order, as one string (what a client shows).
    fn text(&self) -> String {
        self.texts().collect()
    }

    /// The `Data` of the custom elements, in order.
    fn custom_data(&self) -> impl Iterator<Item = &str>;
}

impl MsgBody for [MsgElement] {
    fn texts(&self) -> impl Iterator<Item = &str> {
        self.iter().filter_map(MsgElement::as_text)
    }

    fn custom_data(&self) -> impl Iterator<Item = &str> {
        self.iter()
            .filter_map(|element| element.as_custom()?.data.as_deref())
    }
}
