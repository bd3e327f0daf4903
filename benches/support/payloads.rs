//! Payloads for the decode benchmark: a large, realistic `Group.CallbackSendMsgException`
//! body, with its keys in the order Tencent writes them (`MsgType` before `MsgContent`).

// Each user of this module uses a part of it.
#![allow(dead_code)]

use serde::ser::{Serialize, SerializeMap, Serializer};

/// The `MsgList` of the large payload is at least this many bytes of JSON.
pub(crate) const MSG_LIST_BYTES: usize = 12 * 1024;

/// A JSON value whose objects keep their keys in the order written (`serde_json::Value`
/// sorts them, which would put `MsgContent` before `MsgType`).
enum J {
    Obj(Vec<(&'static str, J)>),
    Arr(Vec<J>),
    Str(String),
    Num(u64),
}

impl Serialize for J {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            J::Obj(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (key, value) in fields {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
            J::Arr(items) => items.serialize(serializer),
            J::Str(s) => serializer.serialize_str(s),
            J::Num(n) => serializer.serialize_u64(*n),
        }
    }
}

fn s(value: impl Into<String>) -> J {
    J::Str(value.into())
}

fn n(value: u64) -> J {
    J::Num(value)
}

fn element(msg_type: &str, content: Vec<(&'static str, J)>) -> J {
    J::Obj(vec![
        ("MsgType", s(msg_type)),
        ("MsgContent", J::Obj(content)),
    ])
}

fn text(text: impl Into<String>) -> J {
    element("TIMTextElem", vec![("Text", s(text))])
}

fn image(i: u64) -> J {
    let rendition = |kind: u64, size: u64, width: u64, height: u64| {
        J::Obj(vec![
            ("Type", n(kind)),
            ("Size", n(size)),
            ("Width", n(width)),
            ("Height", n(height)),
            (
                "URL",
                s(format!(
                    "https://cos.ap-shanghai.myqcloud.com/1400000000/im/{i:08}/{kind}/6a3f1e0b9c2d4e5f8a7b.jpg"
                )),
            ),
        ])
    };
    element(
        "TIMImageElem",
        vec![
            (
                "UUID",
                s(format!("1400000000_user{i}_6a3f1e0b9c2d4e5f8a7b.jpg")),
            ),
            ("ImageFormat", n(1)),
            (
                "ImageInfoArray",
                J::Arr(vec![
                    rendition(1, 1_853_095, 2448, 3264),
                    rendition(2, 484_177, 720, 960),
                    rendition(3, 31_009, 198, 264),
                ]),
            ),
        ],
    )
}

fn video(i: u64) -> J {
    let url =
        |file: &str| format!("https://cos.ap-shanghai.myqcloud.com/1400000000/im/{i:08}/{file}");
    element(
        "TIMVideoFileElem",
        vec![
            ("VideoUrl", s(url("video.mp4"))),
            (
                "VideoUUID",
                s(format!("1400000000_user{i}_video_5e1d0c3b.mp4")),
            ),
            ("VideoSize", n(1_553_728)),
            ("VideoSecond", n(10)),
            ("VideoFormat", s("mp4")),
            ("VideoDownloadFlag", n(2)),
            ("ThumbUrl", s(url("thumb.jpg"))),
            (
                "ThumbUUID",
                s(format!("1400000000_user{i}_thumb_5e1d0c3b.jpg")),
            ),
            ("ThumbSize", n(13_907)),
            ("ThumbWidth", n(720)),
            ("ThumbHeight", n(1280)),
            ("ThumbFormat", s("JPG")),
            ("ThumbDownloadFlag", n(2)),
        ],
    )
}

/// A compact `Group.CallbackSendMsgException` body (14 KB) whose `MsgBody` holds a text,
/// an image, a video and a `TIMRelayElem` with a 12 KB `MsgList` of forwarded text,
/// image and video messages.
pub(crate) fn large_payload() -> String {
    let mut msg_list = Vec::new();
    let mut list_bytes = 0;
    while list_bytes < MSG_LIST_BYTES {
        let i = msg_list.len() as u64;
        let body = match i % 8 {
            3 => image(i),
            6 => video(i),
            _ => text(format!(
                "message {i} of the forwarded chat: the rate limit hit at 10:0{} again, retry later",
                i % 10
            )),
        };
        let msg = J::Obj(vec![
            ("From_Account", s(format!("user{:04}", i % 7))),
            ("GroupId", s("@TGS#2J4SZEAEL")),
            ("MsgSeq", n(10_000 + i)),
            ("MsgRandom", n(2_804_799_576 - i)),
            ("MsgTimeStamp", n(1_670_574_000 + i)),
            ("MsgBody", J::Arr(vec![body])),
            ("CloudCustomData", s(r#"{"source":"relay"}"#)),
        ]);
        list_bytes += serde_json::to_string(&msg).expect("serializes").len() + 1;
        msg_list.push(msg);
    }
    let relay = element(
        "TIMRelayElem",
        vec![
            ("Title", s("Chat history of the ops group")),
            ("MsgNum", n(msg_list.len() as u64)),
            (
                "CompatibleText",
                s("Your version does not support this message; upgrade to view it."),
            ),
            (
                "AbstractList",
                J::Arr(vec![
                    s("user0000: message 0"),
                    s("user0001: message 1"),
                    s("user0002: [image]"),
                ]),
            ),
            ("MsgList", J::Arr(msg_list)),
        ],
    );
    let body = J::Obj(vec![
        ("CallbackCommand", s("Group.CallbackSendMsgException")),
        ("GroupId", s("@TGS#2J4SZEAEL")),
        ("Type", s("Public")),
        ("From_Account", s("jared")),
        ("Operator_Account", s("admin")),
        ("Random", n(2_804_799_576)),
        ("OnlineOnlyFlag", n(0)),
        (
            "MsgBody",
            J::Arr(vec![
                text("see the forwarded chat"),
                image(9_999),
                video(9_999),
                relay,
            ]),
        ),
        ("CloudCustomData", s("your cloud custom data")),
        ("ErrorCode", n(10023)),
        ("ErrorInfo", s("msg count exceeds limit,please retry later")),
        ("EventTime", n(1_670_574_414_123)),
    ]);
    serde_json::to_string(&body).expect("serializes")
}
