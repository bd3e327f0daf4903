//! Decoding and encoding of `MsgBody` elements.

use actix_tim_callback::model::{
    CustomElem, FaceElem, FileElem, ImageElem, ImageInfo, LocationElem, MsgElement, RelayElem,
    RelayedMsg, SoundElem, TextElem, VideoFileElem,
};
use serde::Deserialize;
use serde_json::{json, Value};

/// A default `T` changed by `f` (the content structs are `#[non_exhaustive]`).
fn with<T: Default>(f: impl FnOnce(&mut T)) -> T {
    let mut value = T::default();
    f(&mut value);
    value
}

fn decode(value: Value) -> MsgElement {
    let text = value.to_string();
    let from_str: MsgElement = serde_json::from_str(&text).expect("decode from str");
    let from_reader: MsgElement =
        serde_json::from_reader(text.as_bytes()).expect("decode from reader");
    let from_value: MsgElement = serde_json::from_value(value).expect("decode from value");
    assert_eq!(from_str, from_reader);
    assert_eq!(from_str, from_value);
    from_str
}

fn decode_err(text: &str) -> String {
    serde_json::from_str::<MsgElement>(text)
        .expect_err("decoding must fail")
        .to_string()
}

#[derive(Debug, Deserialize)]
struct Envelope {
    #[serde(rename = "MsgBody")]
    msg_body: Vec<MsgElement>,
}

fn round_trip(element: &MsgElement) {
    let value = serde_json::to_value(element).expect("serialize");
    assert_eq!(value["MsgType"], json!(element.msg_type()));
    let back: MsgElement = serde_json::from_value(value.clone()).expect("deserialize");
    assert_eq!(&back, element, "round trip through {value}");
    let text = serde_json::to_string(element).expect("serialize to string");
    let back: MsgElement = serde_json::from_str(&text).expect("deserialize from string");
    assert_eq!(&back, element, "round trip through {text}");
}

fn sample_text() -> MsgElement {
    MsgElement::Text(with(|e: &mut TextElem| {
        e.text = Some("hello world".into());
    }))
}

fn sample_image() -> MsgElement {
    MsgElement::Image(with(|e: &mut ImageElem| {
        e.uuid = Some("1853095_D61040894AC3DE44CDFFFB3EC7EB720F".into());
        e.image_format = Some(1);
        e.image_info_array = Some(vec![
            with(|e: &mut ImageInfo| {
                e.kind = Some(1);
                e.size = Some(1853095);
                e.width = Some(2448);
                e.height = Some(3264);
                e.url = Some("http://example.com/orig.jpg".into());
            }),
            with(|e: &mut ImageInfo| {
                e.kind = Some(3);
                e.size = Some(2565);
                e.width = Some(198);
                e.height = Some(198);
            }),
        ]);
    }))
}

fn all_samples() -> Vec<MsgElement> {
    vec![
        sample_text(),
        MsgElement::Text(TextElem::default()),
        MsgElement::Location(with(|e: &mut LocationElem| {
            e.desc = Some("Shenzhen".into());
            e.latitude = Some(22.54);
            e.longitude = Some(113.93);
        })),
        MsgElement::Face(with(|e: &mut FaceElem| {
            e.index = Some(-3);
            e.data = Some("content".into());
        })),
        MsgElement::Custom(with(|e: &mut CustomElem| {
            e.data = Some("{\"k\":1}".into());
            e.desc = Some("notification".into());
            e.ext = Some("url".into());
            e.sound = Some("dingdong.aiff".into());
        })),
        MsgElement::Sound(with(|e: &mut SoundElem| {
            e.url = Some("https://example.com/a.silk".into());
            e.uuid = Some("sound-uuid".into());
            e.size = Some(62351);
            e.second = Some(4);
            e.download_flag = Some(2);
        })),
        sample_image(),
        MsgElement::File(with(|e: &mut FileElem| {
            e.uuid = Some("file-uuid".into());
            e.file_size = Some(1773552);
            e.file_name = Some("report.pdf".into());
            e.download_flag = Some(2);
        })),
        MsgElement::VideoFile(with(|e: &mut VideoFileElem| {
            e.video_url = Some("https://example.com/v.mp4".into());
            e.video_uuid = Some("v-uuid".into());
            e.video_size = Some(1);
            e.video_second = Some(2);
            e.video_format = Some("mp4".into());
            e.video_download_flag = Some(2);
            e.thumb_url = Some("https://example.com/t.jpg".into());
            e.thumb_uuid = Some("t-uuid".into());
            e.thumb_size = Some(3);
            e.thumb_width = Some(4);
            e.thumb_height = Some(5);
            e.thumb_format = Some("JPG".into());
            e.thumb_download_flag = Some(2);
        })),
        MsgElement::Relay(with(|e: &mut RelayElem| {
            e.title = Some("Chat history".into());
            e.msg_num = Some(2);
            e.compatible_text = Some("upgrade".into());
            e.abstract_list = Some(vec!["a: hi".into(), "b: [image]".into()]);
            e.msg_list = Some(vec![
                with(|e: &mut RelayedMsg| {
                    e.from_account = Some("a".into());
                    e.to_account = Some("b".into());
                    e.msg_seq = Some(1);
                    e.msg_random = Some(2);
                    e.msg_time_stamp = Some(1_700_000_000);
                    e.msg_body = Some(vec![sample_text(), sample_image()]);
                    e.cloud_custom_data = Some("ccd".into());
                }),
                with(|e: &mut RelayedMsg| {
                    e.group_id = Some("@TGS#1".into());
                    e.msg_body = Some(vec![MsgElement::Unknown {
                        msg_type: "TIMFutureElem".into(),
                        content: json!({"X": [1, 2]}),
                    }]);
                }),
            ]);
        })),
        MsgElement::Relay(with(|e: &mut RelayElem| {
            e.json_msg_key = Some("key".into());
        })),
        MsgElement::Unknown {
            msg_type: "TIMFutureElem".into(),
            content: json!({"Anything": {"nested": [1, "two", null, true, 3.5]}}),
        },
        MsgElement::Unknown {
            msg_type: "TIMBareElem".into(),
            content: Value::Null,
        },
        MsgElement::Invalid {
            msg_type: "TIMTextElem".into(),
            content: json!({ "Text": 12345 }),
        },
        MsgElement::Invalid {
            msg_type: "TIMImageElem".into(),
            content: json!("not an object"),
        },
        MsgElement::Unknown {
            msg_type: String::new(),
            content: json!("scalar"),
        },
    ]
}

#[test]
fn text_full() {
    let element = decode(json!({
        "MsgType": "TIMTextElem",
        "MsgContent": { "Text": "red packet" }
    }));
    assert_eq!(
        element,
        MsgElement::Text(with(|e: &mut TextElem| {
            e.text = Some("red packet".into());
        }))
    );
    assert_eq!(element.msg_type(), "TIMTextElem");
}

#[test]
fn location_full() {
    let element = decode(json!({
        "MsgType": "TIMLocationElem",
        "MsgContent": {
            "Desc": "someinfo",
            "Latitude": 29.340656774469956,
            "Longitude": 116.77497920478824
        }
    }));
    let MsgElement::Location(loc) = &element else {
        panic!("expected location, got {element:?}");
    };
    assert_eq!(loc.desc.as_deref(), Some("someinfo"));
    assert_eq!(loc.latitude, Some(29.340656774469956));
    assert_eq!(loc.longitude, Some(116.77497920478824));
    assert_eq!(element.msg_type(), "TIMLocationElem");
}

#[test]
fn face_full() {
    let element = decode(json!({
        "MsgType": "TIMFaceElem",
        "MsgContent": { "Index": 1, "Data": "content" }
    }));
    assert_eq!(
        element,
        MsgElement::Face(with(|e: &mut FaceElem| {
            e.index = Some(1);
            e.data = Some("content".into());
        }))
    );
    assert_eq!(element.msg_type(), "TIMFaceElem");
}

#[test]
fn custom_full() {
    let element = decode(json!({
        "MsgType": "TIMCustomElem",
        "MsgContent": {
            "Data": "message",
            "Desc": "notification",
            "Ext": "url",
            "Sound": "dingdong.aiff"
        }
    }));
    assert_eq!(
        element,
        MsgElement::Custom(with(|e: &mut CustomElem| {
            e.data = Some("message".into());
            e.desc = Some("notification".into());
            e.ext = Some("url".into());
            e.sound = Some("dingdong.aiff".into());
        }))
    );
    assert_eq!(element.msg_type(), "TIMCustomElem");
}

#[test]
fn sound_full() {
    let element = decode(json!({
        "MsgType": "TIMSoundElem",
        "MsgContent": {
            "Url": "https://1400000000.vod2.myqcloud.com/sound.silk",
            "UUID": "5:1400000000:sound",
            "Size": 62351,
            "Second": 1,
            "Download_Flag": 2
        }
    }));
    assert_eq!(
        element,
        MsgElement::Sound(with(|e: &mut SoundElem| {
            e.url = Some("https://1400000000.vod2.myqcloud.com/sound.silk".into());
            e.uuid = Some("5:1400000000:sound".into());
            e.size = Some(62351);
            e.second = Some(1);
            e.download_flag = Some(2);
        }))
    );
    assert_eq!(element.msg_type(), "TIMSoundElem");
}

#[test]
fn sound_old_sdk_without_url_and_flag() {
    let element = decode(json!({
        "MsgType": "TIMSoundElem",
        "MsgContent": { "UUID": "305c0201", "Size": 62351, "Second": 1 }
    }));
    assert_eq!(
        element,
        MsgElement::Sound(with(|e: &mut SoundElem| {
            e.uuid = Some("305c0201".into());
            e.size = Some(62351);
            e.second = Some(1);
        }))
    );
}

#[test]
fn image_full() {
    let element = decode(json!({
        "MsgType": "TIMImageElem",
        "MsgContent": {
            "UUID": "1853095_D61040894AC3DE44CDFFFB3EC7EB720F",
            "ImageFormat": 1,
            "ImageInfoArray": [
                {
                    "Type": 1,
                    "Size": 1853095,
                    "Width": 2448,
                    "Height": 3264,
                    "URL": "http://example.com/orig.jpg"
                },
                {
                    "Type": 2,
                    "Size": 2565,
                    "Width": 720,
                    "Height": 960,
                    "URL": "http://example.com/large.jpg"
                },
                {
                    "Type": 3,
                    "Size": 12565,
                    "Width": 198,
                    "Height": 264,
                    "URL": "http://example.com/thumb.jpg"
                }
            ]
        }
    }));
    assert_eq!(
        element,
        MsgElement::Image(with(|e: &mut ImageElem| {
            e.uuid = Some("1853095_D61040894AC3DE44CDFFFB3EC7EB720F".into());
            e.image_format = Some(1);
            e.image_info_array = Some(vec![
                with(|e: &mut ImageInfo| {
                    e.kind = Some(1);
                    e.size = Some(1853095);
                    e.width = Some(2448);
                    e.height = Some(3264);
                    e.url = Some("http://example.com/orig.jpg".into());
                }),
                with(|e: &mut ImageInfo| {
                    e.kind = Some(2);
                    e.size = Some(2565);
                    e.width = Some(720);
                    e.height = Some(960);
                    e.url = Some("http://example.com/large.jpg".into());
                }),
                with(|e: &mut ImageInfo| {
                    e.kind = Some(3);
                    e.size = Some(12565);
                    e.width = Some(198);
                    e.height = Some(264);
                    e.url = Some("http://example.com/thumb.jpg".into());
                }),
            ]);
        }))
    );
    assert_eq!(element.msg_type(), "TIMImageElem");
}

#[test]
fn image_info_fields_are_optional() {
    let element = decode(json!({
        "MsgType": "TIMImageElem",
        "MsgContent": { "ImageInfoArray": [ { "Type": 3 }, {} ] }
    }));
    assert_eq!(
        element,
        MsgElement::Image(with(|e: &mut ImageElem| {
            e.image_info_array = Some(vec![
                with(|e: &mut ImageInfo| {
                    e.kind = Some(3);
                }),
                ImageInfo::default(),
            ]);
        }))
    );
}

#[test]
fn file_full() {
    let element = decode(json!({
        "MsgType": "TIMFileElem",
        "MsgContent": {
            "Url": "https://example.com/file.txt",
            "UUID": "5:1400000000:file",
            "FileSize": 1773552,
            "FileName": "file:///private/var/Application/tmp/trim.B75D5F9B.txt",
            "Download_Flag": 2
        }
    }));
    assert_eq!(
        element,
        MsgElement::File(with(|e: &mut FileElem| {
            e.url = Some("https://example.com/file.txt".into());
            e.uuid = Some("5:1400000000:file".into());
            e.file_size = Some(1773552);
            e.file_name = Some("file:///private/var/Application/tmp/trim.B75D5F9B.txt".into());
            e.download_flag = Some(2);
        }))
    );
    assert_eq!(element.msg_type(), "TIMFileElem");
}

#[test]
fn file_old_sdk_without_url_and_flag() {
    let element = decode(json!({
        "MsgType": "TIMFileElem",
        "MsgContent": { "UUID": "1c3c4b", "FileSize": 10, "FileName": "a.txt" }
    }));
    assert_eq!(
        element,
        MsgElement::File(with(|e: &mut FileElem| {
            e.uuid = Some("1c3c4b".into());
            e.file_size = Some(10);
            e.file_name = Some("a.txt".into());
        }))
    );
}

#[test]
fn video_full() {
    let element = decode(json!({
        "MsgType": "TIMVideoFileElem",
        "MsgContent": {
            "VideoUrl": "https://example.com/video.mp4",
            "VideoUUID": "5:1400000000:video",
            "VideoSize": 1194603,
            "VideoSecond": 5,
            "VideoFormat": "mp4",
            "VideoDownloadFlag": 2,
            "ThumbUrl": "https://example.com/thumb.jpg",
            "ThumbUUID": "5:1400000000:thumb",
            "ThumbSize": 13907,
            "ThumbWidth": 720,
            "ThumbHeight": 1280,
            "ThumbFormat": "JPG",
            "ThumbDownloadFlag": 2
        }
    }));
    assert_eq!(
        element,
        MsgElement::VideoFile(with(|e: &mut VideoFileElem| {
            e.video_url = Some("https://example.com/video.mp4".into());
            e.video_uuid = Some("5:1400000000:video".into());
            e.video_size = Some(1194603);
            e.video_second = Some(5);
            e.video_format = Some("mp4".into());
            e.video_download_flag = Some(2);
            e.thumb_url = Some("https://example.com/thumb.jpg".into());
            e.thumb_uuid = Some("5:1400000000:thumb".into());
            e.thumb_size = Some(13907);
            e.thumb_width = Some(720);
            e.thumb_height = Some(1280);
            e.thumb_format = Some("JPG".into());
            e.thumb_download_flag = Some(2);
        }))
    );
    assert_eq!(element.msg_type(), "TIMVideoFileElem");
}

#[test]
fn video_old_sdk_without_urls_and_flags() {
    let element = decode(json!({
        "MsgType": "TIMVideoFileElem",
        "MsgContent": {
            "VideoUUID": "v1",
            "VideoSize": 100,
            "VideoSecond": 7,
            "VideoFormat": "mp4",
            "ThumbUUID": "t1",
            "ThumbSize": 200,
            "ThumbWidth": 36,
            "ThumbHeight": 64,
            "ThumbFormat": "JPG"
        }
    }));
    assert_eq!(
        element,
        MsgElement::VideoFile(with(|e: &mut VideoFileElem| {
            e.video_uuid = Some("v1".into());
            e.video_size = Some(100);
            e.video_second = Some(7);
            e.video_format = Some("mp4".into());
            e.thumb_uuid = Some("t1".into());
            e.thumb_size = Some(200);
            e.thumb_width = Some(36);
            e.thumb_height = Some(64);
            e.thumb_format = Some("JPG".into());
        }))
    );
}

#[test]
fn relay_with_nested_msg_list() {
    let element = decode(json!({
        "MsgType": "TIMRelayElem",
        "MsgContent": {
            "Title": "Chat history of A and B",
            "MsgNum": 2,
            "CompatibleText": "Please upgrade to view this message",
            "AbstractList": ["A: hello", "B: [image]"],
            "MsgList": [
                {
                    "From_Account": "A",
                    "To_Account": "B",
                    "MsgSeq": 1021,
                    "MsgRandom": 3049521,
                    "MsgTimeStamp": 1_700_000_000u64,
                    "MsgBody": [
                        { "MsgType": "TIMTextElem", "MsgContent": { "Text": "hello" } }
                    ],
                    "CloudCustomData": "your cloud custom data"
                },
                {
                    "From_Account": "B",
                    "GroupId": "@TGS#2C5SZEAEF",
                    "MsgSeq": 1022,
                    "MsgRandom": 7,
                    "MsgTimeStamp": 1_700_000_060u64,
                    "MsgBody": [
                        {
                            "MsgType": "TIMImageElem",
                            "MsgContent": {
                                "UUID": "img-1",
                                "ImageFormat": 3,
                                "ImageInfoArray": [
                                    { "Type": 1, "Size": 100, "Width": 10, "Height": 20, "URL": "https://example.com/1.png" }
                                ]
                            }
                        }
                    ]
                }
            ]
        }
    }));
    let expected = MsgElement::Relay(with(|e: &mut RelayElem| {
        e.title = Some("Chat history of A and B".into());
        e.msg_num = Some(2);
        e.compatible_text = Some("Please upgrade to view this message".into());
        e.abstract_list = Some(vec!["A: hello".into(), "B: [image]".into()]);
        e.msg_list = Some(vec![
            with(|e: &mut RelayedMsg| {
                e.from_account = Some("A".into());
                e.to_account = Some("B".into());
                e.msg_seq = Some(1021);
                e.msg_random = Some(3049521);
                e.msg_time_stamp = Some(1_700_000_000);
                e.msg_body = Some(vec![MsgElement::Text(with(|e: &mut TextElem| {
                    e.text = Some("hello".into());
                }))]);
                e.cloud_custom_data = Some("your cloud custom data".into());
            }),
            with(|e: &mut RelayedMsg| {
                e.from_account = Some("B".into());
                e.group_id = Some("@TGS#2C5SZEAEF".into());
                e.msg_seq = Some(1022);
                e.msg_random = Some(7);
                e.msg_time_stamp = Some(1_700_000_060);
                e.msg_body = Some(vec![MsgElement::Image(with(|e: &mut ImageElem| {
                    e.uuid = Some("img-1".into());
                    e.image_format = Some(3);
                    e.image_info_array = Some(vec![with(|e: &mut ImageInfo| {
                        e.kind = Some(1);
                        e.size = Some(100);
                        e.width = Some(10);
                        e.height = Some(20);
                        e.url = Some("https://example.com/1.png".into());
                    })]);
                }))]);
            }),
        ]);
    }));
    assert_eq!(element, expected);
    assert_eq!(element.msg_type(), "TIMRelayElem");
}

#[test]
fn relay_with_json_msg_key_only() {
    let element = decode(json!({
        "MsgType": "TIMRelayElem",
        "MsgContent": { "JsonMsgKey": "a4f6d3b5c2e1_relay_key" }
    }));
    assert_eq!(
        element,
        MsgElement::Relay(with(|e: &mut RelayElem| {
            e.json_msg_key = Some("a4f6d3b5c2e1_relay_key".into());
        }))
    );
}

#[test]
fn unknown_msg_type_is_kept_with_raw_content() {
    let content = json!({
        "Foo": "bar",
        "Nested": { "List": [1, 2.5, "three", null, false] },
        "Big": 18446744073709551615u64
    });
    let element = decode(json!({ "MsgType": "TIMStreamElem", "MsgContent": content.clone() }));
    assert_eq!(element.msg_type(), "TIMStreamElem");
    let MsgElement::Unknown {
        msg_type,
        content: got,
    } = &element
    else {
        panic!("expected unknown, got {element:?}");
    };
    assert_eq!(msg_type, "TIMStreamElem");
    assert_eq!(got, &content);
}

#[test]
fn unknown_msg_type_with_non_object_content() {
    let element = decode(json!({ "MsgType": "TIMWeirdElem", "MsgContent": [1, "a"] }));
    assert_eq!(
        element,
        MsgElement::Unknown {
            msg_type: "TIMWeirdElem".into(),
            content: json!([1, "a"]),
        }
    );
}

#[test]
fn msg_type_match_is_case_sensitive() {
    let element = decode(json!({ "MsgType": "timtextelem", "MsgContent": { "Text": "x" } }));
    assert_eq!(
        element,
        MsgElement::Unknown {
            msg_type: "timtextelem".into(),
            content: json!({ "Text": "x" }),
        }
    );
}

#[test]
fn unknown_fields_in_content_are_ignored() {
    let element = decode(json!({
        "MsgType": "TIMTextElem",
        "MsgContent": {
            "NewField": { "deep": [1, { "x": null }] },
            "Text": "hi",
            "AnotherOne": 42
        }
    }));
    assert_eq!(
        element,
        MsgElement::Text(with(|e: &mut TextElem| {
            e.text = Some("hi".into());
        }))
    );

    let element = decode(json!({
        "MsgType": "TIMSoundElem",
        "MsgContent": { "UUID": "u", "Second": 3, "Extra": [true] }
    }));
    assert_eq!(
        element,
        MsgElement::Sound(with(|e: &mut SoundElem| {
            e.uuid = Some("u".into());
            e.second = Some(3);
        }))
    );
}

#[test]
fn unknown_top_level_keys_are_ignored() {
    let element = decode(json!({
        "Extra": { "a": [1, 2] },
        "MsgType": "TIMFaceElem",
        "Other": null,
        "MsgContent": { "Index": 5 },
        "Trailing": "x"
    }));
    assert_eq!(
        element,
        MsgElement::Face(with(|e: &mut FaceElem| {
            e.index = Some(5);
        }))
    );
}

#[test]
fn content_before_type() {
    let element: MsgElement = serde_json::from_str(
        r#"{"MsgContent":{"Desc":"here","Latitude":1.5,"Longitude":-2.25},"MsgType":"TIMLocationElem"}"#,
    )
    .expect("decode");
    assert_eq!(
        element,
        MsgElement::Location(with(|e: &mut LocationElem| {
            e.desc = Some("here".into());
            e.latitude = Some(1.5);
            e.longitude = Some(-2.25);
        }))
    );

    let element: MsgElement =
        serde_json::from_str(r#"{"MsgContent":{"A":[1]},"Other":1,"MsgType":"TIMNewElem"}"#)
            .expect("decode");
    assert_eq!(
        element,
        MsgElement::Unknown {
            msg_type: "TIMNewElem".into(),
            content: json!({ "A": [1] }),
        }
    );
}

#[test]
fn content_before_type_of_the_wrong_shape_is_kept_as_invalid() {
    let element: MsgElement =
        serde_json::from_str(r#"{"MsgContent":{"Latitude":"north"},"MsgType":"TIMLocationElem"}"#)
            .expect("decode");
    assert_eq!(
        element,
        MsgElement::Invalid {
            msg_type: "TIMLocationElem".into(),
            content: json!({ "Latitude": "north" }),
        }
    );
}

#[test]
fn known_type_without_content_gives_default() {
    for (name, expected) in [
        ("TIMTextElem", MsgElement::Text(TextElem::default())),
        (
            "TIMLocationElem",
            MsgElement::Location(LocationElem::default()),
        ),
        ("TIMFaceElem", MsgElement::Face(FaceElem::default())),
        ("TIMCustomElem", MsgElement::Custom(CustomElem::default())),
        ("TIMSoundElem", MsgElement::Sound(SoundElem::default())),
        ("TIMImageElem", MsgElement::Image(ImageElem::default())),
        ("TIMFileElem", MsgElement::File(FileElem::default())),
        (
            "TIMVideoFileElem",
            MsgElement::VideoFile(VideoFileElem::default()),
        ),
        ("TIMRelayElem", MsgElement::Relay(RelayElem::default())),
    ] {
        let element = decode(json!({ "MsgType": name }));
        assert_eq!(element, expected, "{name}");
        assert_eq!(element.msg_type(), name);
    }
    assert_eq!(
        decode(json!({ "MsgType": "TIMNewElem" })),
        MsgElement::Unknown {
            msg_type: "TIMNewElem".into(),
            content: Value::Null,
        }
    );
}

#[test]
fn known_type_with_null_content_gives_default() {
    assert_eq!(
        decode(json!({ "MsgType": "TIMTextElem", "MsgContent": null })),
        MsgElement::Text(TextElem::default())
    );
    assert_eq!(
        decode(json!({ "MsgContent": null, "MsgType": "TIMFileElem" })),
        MsgElement::File(FileElem::default())
    );
}

#[test]
fn empty_content_gives_all_none() {
    assert_eq!(
        decode(json!({ "MsgType": "TIMVideoFileElem", "MsgContent": {} })),
        MsgElement::VideoFile(VideoFileElem::default())
    );
}

#[test]
fn missing_msg_type() {
    let element = decode(json!({ "MsgContent": { "Text": "orphan" } }));
    assert_eq!(
        element,
        MsgElement::Unknown {
            msg_type: String::new(),
            content: json!({ "Text": "orphan" }),
        }
    );
    assert_eq!(element.msg_type(), "");

    assert_eq!(
        decode(json!({})),
        MsgElement::Unknown {
            msg_type: String::new(),
            content: Value::Null,
        }
    );
}

#[test]
fn duplicate_keys_are_errors() {
    let err = decode_err(
        r#"{"MsgType":"TIMTextElem","MsgType":"TIMTextElem","MsgContent":{"Text":"a"}}"#,
    );
    assert!(err.contains("duplicate field `MsgType`"), "{err}");

    let err = decode_err(
        r#"{"MsgType":"TIMTextElem","MsgContent":{"Text":"a"},"MsgContent":{"Text":"b"}}"#,
    );
    assert!(err.contains("duplicate field `MsgContent`"), "{err}");

    let err = decode_err(
        r#"{"MsgContent":{"Text":"a"},"MsgContent":{"Text":"b"},"MsgType":"TIMTextElem"}"#,
    );
    assert!(err.contains("duplicate field `MsgContent`"), "{err}");

    let err = decode_err(r#"{"MsgContent":null,"MsgContent":null}"#);
    assert!(err.contains("duplicate field `MsgContent`"), "{err}");

    let err = decode_err(r#"{"MsgType":"TIMNewElem","MsgContent":1,"MsgType":"TIMNewElem"}"#);
    assert!(err.contains("duplicate field `MsgType`"), "{err}");
}

#[test]
fn msg_body_array_decodes_in_order() {
    let envelope: Envelope = serde_json::from_str(
        r#"{"MsgBody":[
            {"MsgType":"TIMTextElem","MsgContent":{"Text":"hello "}},
            {"MsgType":"TIMFaceElem","MsgContent":{"Index":1,"Data":"smile"}},
            {"MsgType":"TIMUnheardOfElem","MsgContent":{"Z":1}}
        ]}"#,
    )
    .expect("decode");
    assert_eq!(
        envelope.msg_body,
        vec![
            MsgElement::Text(with(|e: &mut TextElem| {
                e.text = Some("hello ".into());
            })),
            MsgElement::Face(with(|e: &mut FaceElem| {
                e.index = Some(1);
                e.data = Some("smile".into());
            })),
            MsgElement::Unknown {
                msg_type: "TIMUnheardOfElem".into(),
                content: json!({ "Z": 1 }),
            },
        ]
    );
}

#[test]
fn escaped_strings_decode() {
    let element: MsgElement =
        serde_json::from_str(r#"{"MsgType":"TIM\u0054extElem","MsgContent":{"Text":"a\"b\n"}}"#)
            .expect("decode");
    assert_eq!(
        element,
        MsgElement::Text(with(|e: &mut TextElem| {
            e.text = Some("a\"b\n".into());
        }))
    );
}

#[test]
fn round_trip_every_variant() {
    let samples = all_samples();
    let names: Vec<&str> = samples.iter().map(MsgElement::msg_type).collect();
    for name in [
        "TIMTextElem",
        "TIMLocationElem",
        "TIMFaceElem",
        "TIMCustomElem",
        "TIMSoundElem",
        "TIMImageElem",
        "TIMFileElem",
        "TIMVideoFileElem",
        "TIMRelayElem",
        "TIMFutureElem",
    ] {
        assert!(names.contains(&name), "missing sample for {name}");
    }
    for element in &samples {
        round_trip(element);
    }
    let body = serde_json::to_string(&samples).expect("serialize body");
    let back: Vec<MsgElement> = serde_json::from_str(&body).expect("deserialize body");
    assert_eq!(back, samples);
}

#[test]
fn serialization_uses_wire_names() {
    let value = serde_json::to_value(sample_text()).expect("serialize");
    assert_eq!(
        value,
        json!({ "MsgType": "TIMTextElem", "MsgContent": { "Text": "hello world" } })
    );

    let value = serde_json::to_value(MsgElement::Sound(with(|e: &mut SoundElem| {
        e.uuid = Some("u".into());
        e.size = Some(1);
        e.second = Some(2);
        e.download_flag = Some(2);
    })))
    .expect("serialize");
    assert_eq!(
        value,
        json!({
            "MsgType": "TIMSoundElem",
            "MsgContent": { "UUID": "u", "Size": 1, "Second": 2, "Download_Flag": 2 }
        })
    );

    let value = serde_json::to_value(sample_image()).expect("serialize");
    assert_eq!(
        value,
        json!({
            "MsgType": "TIMImageElem",
            "MsgContent": {
                "UUID": "1853095_D61040894AC3DE44CDFFFB3EC7EB720F",
                "ImageFormat": 1,
                "ImageInfoArray": [
                    { "Type": 1, "Size": 1853095, "Width": 2448, "Height": 3264, "URL": "http://example.com/orig.jpg" },
                    { "Type": 3, "Size": 2565, "Width": 198, "Height": 198 }
                ]
            }
        })
    );

    let value = serde_json::to_value(MsgElement::Relay(with(|e: &mut RelayElem| {
        e.msg_list = Some(vec![with(|e: &mut RelayedMsg| {
            e.from_account = Some("a".into());
            e.to_account = Some("b".into());
            e.group_id = Some("g".into());
            e.msg_seq = Some(1);
            e.msg_random = Some(2);
            e.msg_time_stamp = Some(3);
            e.msg_body = Some(vec![]);
            e.cloud_custom_data = Some("c".into());
        })]);
    })))
    .expect("serialize");
    assert_eq!(
        value,
        json!({
            "MsgType": "TIMRelayElem",
            "MsgContent": { "MsgList": [ {
                "From_Account": "a", "To_Account": "b", "GroupId": "g", "MsgSeq": 1,
                "MsgRandom": 2, "MsgTimeStamp": 3, "MsgBody": [], "CloudCustomData": "c"
            } ] }
        })
    );

    let value = serde_json::to_value(MsgElement::VideoFile(with(|e: &mut VideoFileElem| {
        e.video_url = Some("a".into());
        e.video_uuid = Some("b".into());
        e.video_size = Some(1);
        e.video_second = Some(2);
        e.video_format = Some("c".into());
        e.video_download_flag = Some(3);
        e.thumb_url = Some("d".into());
        e.thumb_uuid = Some("e".into());
        e.thumb_size = Some(4);
        e.thumb_width = Some(5);
        e.thumb_height = Some(6);
        e.thumb_format = Some("f".into());
        e.thumb_download_flag = Some(7);
    })))
    .expect("serialize");
    assert_eq!(
        value,
        json!({
            "MsgType": "TIMVideoFileElem",
            "MsgContent": {
                "VideoUrl": "a", "VideoUUID": "b", "VideoSize": 1, "VideoSecond": 2,
                "VideoFormat": "c", "VideoDownloadFlag": 3, "ThumbUrl": "d", "ThumbUUID": "e",
                "ThumbSize": 4, "ThumbWidth": 5, "ThumbHeight": 6, "ThumbFormat": "f",
                "ThumbDownloadFlag": 7
            }
        })
    );

    let content = json!({ "Raw": [1, { "x": "y" }] });
    let value = serde_json::to_value(MsgElement::Unknown {
        msg_type: "TIMFutureElem".into(),
        content: content.clone(),
    })
    .expect("serialize");
    assert_eq!(
        value,
        json!({ "MsgType": "TIMFutureElem", "MsgContent": content })
    );
}

#[test]
fn serialization_key_order_is_type_then_content() {
    let text = serde_json::to_string(&MsgElement::Location(with(|e: &mut LocationElem| {
        e.desc = Some("d".into());
        e.latitude = Some(1.5);
        e.longitude = Some(2.0);
    })))
    .expect("serialize");
    assert_eq!(
        text,
        r#"{"MsgType":"TIMLocationElem","MsgContent":{"Desc":"d","Latitude":1.5,"Longitude":2.0}}"#
    );
    let text = serde_json::to_string(&MsgElement::Face(FaceElem::default())).expect("serialize");
    assert_eq!(text, r#"{"MsgType":"TIMFaceElem","MsgContent":{}}"#);
}

#[test]
fn serialization_of_all_content_field_names() {
    let value = serde_json::to_value(MsgElement::Custom(with(|e: &mut CustomElem| {
        e.data = Some("1".into());
        e.desc = Some("2".into());
        e.ext = Some("3".into());
        e.sound = Some("4".into());
    })))
    .expect("serialize");
    assert_eq!(
        value["MsgContent"],
        json!({ "Data": "1", "Desc": "2", "Ext": "3", "Sound": "4" })
    );

    let value = serde_json::to_value(MsgElement::File(with(|e: &mut FileElem| {
        e.url = Some("u".into());
        e.uuid = Some("i".into());
        e.file_size = Some(1);
        e.file_name = Some("n".into());
        e.download_flag = Some(2);
    })))
    .expect("serialize");
    assert_eq!(
        value["MsgContent"],
        json!({ "Url": "u", "UUID": "i", "FileSize": 1, "FileName": "n", "Download_Flag": 2 })
    );

    let value = serde_json::to_value(MsgElement::Relay(with(|e: &mut RelayElem| {
        e.title = Some("t".into());
        e.msg_num = Some(1);
        e.compatible_text = Some("c".into());
        e.abstract_list = Some(vec!["a".into()]);
        e.json_msg_key = Some("k".into());
    })))
    .expect("serialize");
    assert_eq!(
        value["MsgContent"],
        json!({ "Title": "t", "MsgNum": 1, "CompatibleText": "c", "AbstractList": ["a"], "JsonMsgKey": "k" })
    );
}

/// Decodes `{"MsgBody": [...]}` with `serde_path_to_error`, as the extractor does.
fn decode_tracked(text: &str) -> Result<Envelope, serde_path_to_error::Error<serde_json::Error>> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize::<_, Envelope>(de)
}

#[test]
fn content_of_the_wrong_shape_is_kept_as_invalid() {
    let element = decode(json!({ "MsgType": "TIMTextElem", "MsgContent": { "Text": 12345 } }));
    assert_eq!(
        element,
        MsgElement::Invalid {
            msg_type: "TIMTextElem".into(),
            content: json!({ "Text": 12345 }),
        }
    );
    assert_eq!(element.msg_type(), "TIMTextElem");
}

#[test]
fn every_known_type_keeps_mismatched_content_as_invalid() {
    for (msg_type, content) in [
        ("TIMTextElem", json!({ "Text": ["a"] })),
        ("TIMLocationElem", json!({ "Latitude": "north" })),
        ("TIMFaceElem", json!({ "Index": "one" })),
        ("TIMCustomElem", json!({ "Data": { "k": 1 } })),
        ("TIMSoundElem", json!({ "Size": -1 })),
        (
            "TIMImageElem",
            json!({ "ImageInfoArray": [{ "Type": 1 }, { "Width": "wide" }] }),
        ),
        ("TIMFileElem", json!({ "FileSize": "big" })),
        ("TIMVideoFileElem", json!({ "VideoSecond": 1.5 })),
        ("TIMRelayElem", json!({ "MsgList": [{ "MsgSeq": "x" }] })),
        ("TIMTextElem", json!("red packet")),
        ("TIMFaceElem", json!([1, 2])),
        ("TIMCustomElem", json!(7)),
        ("TIMFileElem", json!(true)),
    ] {
        let element = decode(json!({ "MsgType": msg_type, "MsgContent": content.clone() }));
        assert_eq!(
            element,
            MsgElement::Invalid {
                msg_type: msg_type.into(),
                content,
            },
            "{msg_type}"
        );
    }
}

#[test]
fn invalid_and_unknown_serialize_back_verbatim() {
    let content = json!({ "Text": 12345, "Extra": [null, 1.5, "x"] });
    let invalid = MsgElement::Invalid {
        msg_type: "TIMTextElem".into(),
        content: content.clone(),
    };
    let value = serde_json::to_value(&invalid).expect("serialize");
    assert_eq!(
        value,
        json!({ "MsgType": "TIMTextElem", "MsgContent": content })
    );
    round_trip(&invalid);

    let text = r#"{"MsgType":"TIMFutureElem","MsgContent":{"B":[1,{"c":null}],"A":"x"}}"#;
    let unknown: MsgElement = serde_json::from_str(text).expect("decode");
    let back: Value = serde_json::to_value(&unknown).expect("serialize");
    assert_eq!(back, serde_json::from_str::<Value>(text).expect("json"));
}

#[test]
fn a_body_with_one_invalid_element_keeps_every_element_in_order() {
    let text = r#"{"MsgBody":[
        {"MsgType":"TIMTextElem","MsgContent":{"Text":"hello"}},
        {"MsgType":"TIMTextElem","MsgContent":{"Text":12345}},
        {"MsgType":"TIMFaceElem","MsgContent":{"Index":1,"Data":"smile"}}
    ]}"#;
    let expected = vec![
        MsgElement::text("hello"),
        MsgElement::Invalid {
            msg_type: "TIMTextElem".into(),
            content: json!({ "Text": 12345 }),
        },
        MsgElement::face(1, "smile"),
    ];
    let plain: Envelope = serde_json::from_str(text).expect("from_str");
    assert_eq!(plain.msg_body, expected);
    let tracked = decode_tracked(text).expect("serde_path_to_error");
    assert_eq!(tracked.msg_body, expected);
    let value: Value = serde_json::from_str(text).expect("json");
    let from_value: Envelope = serde_json::from_value(value.clone()).expect("from_value");
    assert_eq!(from_value.msg_body, expected);
    let from_ref = Envelope::deserialize(&value).expect("from &Value");
    assert_eq!(from_ref.msg_body, expected);
    let from_slice: Envelope = serde_json::from_slice(text.as_bytes()).expect("from_slice");
    assert_eq!(from_slice.msg_body, expected);
}

#[test]
fn serde_path_to_error_and_from_value_decode_every_variant() {
    let samples = all_samples();
    let text = json!({ "MsgBody": samples }).to_string();
    let tracked = decode_tracked(&text).expect("serde_path_to_error");
    assert_eq!(tracked.msg_body, samples);
    let from_value: Envelope =
        serde_json::from_value(serde_json::from_str(&text).expect("json")).expect("from_value");
    assert_eq!(from_value.msg_body, samples);
}

#[test]
fn an_invalid_element_inside_a_relay_keeps_the_relay() {
    let element = decode(json!({
        "MsgType": "TIMRelayElem",
        "MsgContent": { "Title": "t", "MsgList": [
            { "From_Account": "a", "MsgBody": [
                { "MsgType": "TIMTextElem", "MsgContent": { "Text": 7 } },
                { "MsgType": "TIMTextElem", "MsgContent": { "Text": "ok" } }
            ] }
        ] }
    }));
    let MsgElement::Relay(relay) = &element else {
        panic!("expected a relay, got {element:?}");
    };
    assert_eq!(relay.title.as_deref(), Some("t"));
    let msg_list = relay.msg_list.as_ref().expect("MsgList");
    assert_eq!(
        msg_list[0].msg_body.as_deref(),
        Some(
            &[
                MsgElement::Invalid {
                    msg_type: "TIMTextElem".into(),
                    content: json!({ "Text": 7 }),
                },
                MsgElement::text("ok"),
            ][..]
        )
    );
}

#[test]
fn element_shape_errors_still_fail_with_their_path() {
    let err =
        decode_tracked(r#"{"MsgBody":[{"MsgType":"TIMTextElem"},{"MsgType":7,"MsgContent":{}}]}"#)
            .expect_err("MsgType is a number");
    assert_eq!(err.path().to_string(), "MsgBody[1].MsgType");
    assert!(
        err.inner()
            .to_string()
            .contains("invalid type: integer `7`"),
        "{err}"
    );

    let err =
        decode_tracked(r#"{"MsgBody":[{"MsgType":"TIMTextElem"},["TIMTextElem",{"Text":"a"}]]}"#)
            .expect_err("element is an array");
    assert_eq!(err.path().to_string(), "MsgBody[1]");
    assert!(
        err.inner().to_string().contains("invalid type: sequence"),
        "{err}"
    );

    let err = decode_err(r#"{"MsgType":7,"MsgContent":{}}"#);
    assert!(err.contains("invalid type: integer `7`"), "{err}");
    let err = decode_err(r#""TIMTextElem""#);
    assert!(err.contains("invalid type: string"), "{err}");
}

#[test]
fn content_before_type_of_every_kind() {
    let element: MsgElement = serde_json::from_str(
        r#"{"MsgContent":{"Text":"late type"},"Other":[1],"MsgType":"TIMTextElem"}"#,
    )
    .expect("decode");
    assert_eq!(element, MsgElement::text("late type"));
    let tracked = decode_tracked(
        r#"{"MsgBody":[{"MsgContent":{"Index":2,"Data":"d"},"MsgType":"TIMFaceElem"}]}"#,
    )
    .expect("serde_path_to_error");
    assert_eq!(tracked.msg_body, vec![MsgElement::face(2, "d")]);
}

/// A relay nested `depth` times around a text element.
fn nested_relay(depth: usize) -> String {
    let mut element = r#"{"MsgType":"TIMTextElem","MsgContent":{"Text":"core"}}"#.to_owned();
    for _ in 0..depth {
        element = format!(
            r#"{{"MsgType":"TIMRelayElem","MsgContent":{{"MsgList":[{{"MsgBody":[{element}]}}]}}}}"#
        );
    }
    element
}

/// The element `levels` relays down the first message of each relay.
fn inner(element: &MsgElement, levels: usize) -> &MsgElement {
    let mut element = element;
    for _ in 0..levels {
        let MsgElement::Relay(relay) = element else {
            panic!("expected a relay, got {element:?}");
        };
        element = &relay.msg_list.as_ref().expect("MsgList")[0]
            .msg_body
            .as_ref()
            .expect("MsgBody")[0];
    }
    element
}

/// The deepest relay nesting serde_json's recursion limit (128) accepts: five JSON levels a
/// relay (element, content, `MsgList`, message, `MsgBody`) around the text element and its
/// content.
const DEEPEST_RELAY: usize = 25;

/// There is no depth limit of the crate's own: nested relays decode at any depth the parser
/// accepts (they used to be kept raw below 16 levels), and written back give the input. The
/// deepest accepted nesting decodes on a 2 MiB thread stack from a string, from a `Value`,
/// from a `&Value` and through `serde_path_to_error`; one level deeper the parser refuses it.
#[test]
fn nested_relays_decode_at_any_depth_the_parser_accepts() {
    let text = nested_relay(DEEPEST_RELAY);
    let result = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let element: MsgElement = serde_json::from_str(&text).expect("from str");
            assert_eq!(inner(&element, DEEPEST_RELAY), &MsgElement::text("core"));
            let value: Value = serde_json::from_str(&text).expect("json");
            assert_eq!(
                MsgElement::deserialize(&value).expect("from &Value"),
                element
            );
            assert_eq!(
                serde_json::from_value::<MsgElement>(value.clone()).expect("from Value"),
                element
            );
            let tracked: MsgElement =
                serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(&text))
                    .expect("serde_path_to_error");
            assert_eq!(tracked, element);
            // Written back, the whole element is the input.
            assert_eq!(serde_json::to_value(&element).expect("serialize"), value);
        })
        .expect("spawn")
        .join();
    assert!(result.is_ok(), "no stack overflow or panic");

    let err = serde_json::from_str::<MsgElement>(&nested_relay(DEEPEST_RELAY + 1))
        .expect_err("one level deeper");
    assert!(err.to_string().contains("recursion limit"), "{err}");
}

#[test]
fn hostile_nesting_fails_without_overflowing_the_stack() {
    let body = nested_relay(5_000);
    let result = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            serde_json::from_str::<MsgElement>(&body)
                .map(drop)
                .map_err(|e| e.to_string())
        })
        .expect("spawn")
        .join()
        .expect("no stack overflow or panic");
    let err = result.expect_err("nesting beyond serde_json's recursion limit fails");
    assert!(err.contains("recursion limit"), "{err}");
}

#[test]
fn constructors_of_the_content_structs() {
    let cases: Vec<(Value, Value)> = vec![
        (
            serde_json::to_value(TextElem::new("hi")).unwrap(),
            json!({ "Text": "hi" }),
        ),
        (
            serde_json::to_value(LocationElem::new("here", 22.5, 113.25)).unwrap(),
            json!({ "Desc": "here", "Latitude": 22.5, "Longitude": 113.25 }),
        ),
        (
            serde_json::to_value(FaceElem::new(-3, "wink")).unwrap(),
            json!({ "Index": -3, "Data": "wink" }),
        ),
        (
            serde_json::to_value(CustomElem::new("{}")).unwrap(),
            json!({ "Data": "{}" }),
        ),
        (
            serde_json::to_value(CustomElem::new("d").desc("push").ext("x").sound("s.aiff"))
                .unwrap(),
            json!({ "Data": "d", "Desc": "push", "Ext": "x", "Sound": "s.aiff" }),
        ),
        (
            serde_json::to_value(SoundElem::new("https://e/a.silk", 100, 4)).unwrap(),
            json!({ "Url": "https://e/a.silk", "Size": 100, "Second": 4, "Download_Flag": 2 }),
        ),
        (
            serde_json::to_value(ImageInfo::new(3, 10, 20, 30, "https://e/t.jpg")).unwrap(),
            json!({ "Type": 3, "Size": 10, "Width": 20, "Height": 30, "URL": "https://e/t.jpg" }),
        ),
        (
            serde_json::to_value(ImageElem::new(
                "u",
                1,
                vec![ImageInfo::new(1, 1, 2, 3, "https://e/o.jpg")],
            ))
            .unwrap(),
            json!({ "UUID": "u", "ImageFormat": 1, "ImageInfoArray": [
                { "Type": 1, "Size": 1, "Width": 2, "Height": 3, "URL": "https://e/o.jpg" }
            ] }),
        ),
        (
            serde_json::to_value(FileElem::new("https://e/f.pdf", 42, "f.pdf")).unwrap(),
            json!({ "Url": "https://e/f.pdf", "FileSize": 42, "FileName": "f.pdf", "Download_Flag": 2 }),
        ),
        (
            serde_json::to_value(VideoFileElem::new("https://e/v.mp4", "https://e/t.jpg")).unwrap(),
            json!({
                "VideoUrl": "https://e/v.mp4", "VideoDownloadFlag": 2,
                "ThumbUrl": "https://e/t.jpg", "ThumbDownloadFlag": 2
            }),
        ),
        (
            serde_json::to_value(RelayedMsg::new("a", vec![MsgElement::text("x")])).unwrap(),
            json!({ "From_Account": "a", "MsgBody": [
                { "MsgType": "TIMTextElem", "MsgContent": { "Text": "x" } }
            ] }),
        ),
        (
            serde_json::to_value(RelayElem::new(
                "history",
                vec![RelayedMsg::new("a", vec![]), RelayedMsg::new("b", vec![])],
            ))
            .unwrap(),
            json!({ "Title": "history", "MsgNum": 2, "MsgList": [
                { "From_Account": "a", "MsgBody": [] },
                { "From_Account": "b", "MsgBody": [] }
            ] }),
        ),
    ];
    for (built, expected) in cases {
        assert_eq!(built, expected);
    }
}

#[test]
fn element_constructors() {
    assert_eq!(
        MsgElement::text("hi"),
        MsgElement::Text(TextElem::new("hi"))
    );
    assert_eq!(
        serde_json::to_value(MsgElement::text("hi")).unwrap(),
        json!({ "MsgType": "TIMTextElem", "MsgContent": { "Text": "hi" } })
    );
    assert_eq!(
        serde_json::to_value(MsgElement::custom("data", "desc", "ext")).unwrap(),
        json!({ "MsgType": "TIMCustomElem", "MsgContent": { "Data": "data", "Desc": "desc", "Ext": "ext" } })
    );
    assert_eq!(
        serde_json::to_value(MsgElement::face(5, "smile")).unwrap(),
        json!({ "MsgType": "TIMFaceElem", "MsgContent": { "Index": 5, "Data": "smile" } })
    );
    assert_eq!(
        serde_json::to_value(MsgElement::location("office", 1.5, -2.25)).unwrap(),
        json!({ "MsgType": "TIMLocationElem", "MsgContent": { "Desc": "office", "Latitude": 1.5, "Longitude": -2.25 } })
    );
    for element in [
        MsgElement::text("hi"),
        MsgElement::custom("d", "", ""),
        MsgElement::face(0, ""),
        MsgElement::location("", 0.0, 0.0),
    ] {
        round_trip(&element);
    }
}

/// A user's message: its own `Kind`, and the crate's elements in a flattened struct.
#[derive(Debug, PartialEq, Deserialize)]
struct UserMessage {
    #[serde(rename = "Kind")]
    kind: String,
    #[serde(flatten)]
    message: UserBody,
}

#[derive(Debug, PartialEq, Deserialize)]
struct UserBody {
    #[serde(rename = "MsgBody")]
    msg_body: Vec<MsgElement>,
    #[serde(rename = "Pinned")]
    pinned: MsgElement,
}

/// A user's enum without tags: a body, a single element or any other JSON.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(untagged)]
enum UserPart {
    Body {
        #[serde(rename = "MsgBody")]
        msg_body: Vec<MsgElement>,
    },
    Element(Box<MsgElement>),
    Other(Value),
}

/// Both key orders: `MsgType` first as the crate (and Tencent) writes elements, and
/// `MsgContent` first as `serde_json::Value` writes them (its maps are sorted).
fn in_both_key_orders(elements: &[MsgElement]) -> [String; 2] {
    let type_first = serde_json::to_string(elements).expect("serialize");
    let content_first = serde_json::to_value(elements)
        .expect("serialize")
        .to_string();
    assert!(type_first.find("MsgType") < type_first.find("MsgContent"));
    assert!(content_first.find("MsgContent") < content_first.find("MsgType"));
    [type_first, content_first]
}

#[test]
fn elements_decode_behind_a_users_flatten() {
    let samples = all_samples();
    let relay = samples
        .iter()
        .position(|e| matches!(e, MsgElement::Relay(_)))
        .expect("a relay sample");
    let pinned = &samples[relay..relay + 1];
    for (body, pinned_text) in in_both_key_orders(&samples)
        .into_iter()
        .zip(in_both_key_orders(pinned))
    {
        let text = format!(
            r#"{{"Kind":"forward","MsgBody":{body},"Pinned":{}}}"#,
            &pinned_text[1..pinned_text.len() - 1]
        );
        let decoded: UserMessage = serde_json::from_str(&text).expect("flattened");
        assert_eq!(decoded.kind, "forward");
        assert_eq!(decoded.message.msg_body, samples, "{text}");
        assert_eq!(decoded.message.pinned, pinned[0]);
        // The same through serde_json::Value.
        let value: Value = serde_json::from_str(&text).expect("json");
        let decoded: UserMessage = serde_json::from_value(value).expect("flattened value");
        assert_eq!(decoded.message.msg_body, samples);
    }

    let text = r#"{"Kind":"k","Pinned":{"MsgType":"TIMFaceElem","MsgContent":{"Index":"one","New":[1]}},"MsgBody":[]}"#;
    let decoded: UserMessage = serde_json::from_str(text).expect("flattened");
    assert_eq!(
        decoded.message.pinned,
        MsgElement::Invalid {
            msg_type: "TIMFaceElem".into(),
            content: json!({ "Index": "one", "New": [1] }),
        }
    );
    // The element's own shape errors still fail behind flatten.
    let err =
        serde_json::from_str::<UserMessage>(r#"{"Kind":"k","Pinned":{"MsgType":7},"MsgBody":[]}"#)
            .expect_err("MsgType is a number");
    assert!(
        err.to_string().contains("invalid type: integer `7`"),
        "{err}"
    );
}

#[test]
fn elements_decode_behind_a_users_untagged_enum() {
    let samples = all_samples();
    for body in in_both_key_orders(&samples) {
        let parts: Vec<UserPart> =
            serde_json::from_str(&format!(r#"[{{"MsgBody":{body}}}, {body}, 7]"#))
                .expect("untagged");
        assert_eq!(
            parts[0],
            UserPart::Body {
                msg_body: samples.clone()
            }
        );
        let UserPart::Other(Value::Array(elements)) = &parts[1] else {
            panic!("an array of elements is neither a body nor an element");
        };
        assert_eq!(elements.len(), samples.len());
        assert_eq!(parts[2], UserPart::Other(json!(7)));
    }
    for (element, expected) in samples.iter().zip(all_samples()) {
        for text in in_both_key_orders(std::slice::from_ref(element)) {
            let parts: Vec<UserPart> = serde_json::from_str(&text).expect("untagged");
            assert_eq!(
                parts,
                vec![UserPart::Element(Box::new(expected.clone()))],
                "{text}"
            );
        }
    }
}

/// Inside a relay with one field of the wrong type, every part decoded before is kept as
/// it was sent: explicit nulls, unknown fields and keys, missing content, an integer
/// coordinate, in any key order.
#[test]
fn a_relay_of_the_wrong_shape_keeps_its_decoded_parts_as_sent() {
    let content = json!({
        "Title": null,
        "NewRelayField": {"a": [1, null]},
        "MsgList": [
            {
                "From_Account": "a",
                "To_Account": null,
                "Extra": true,
                "MsgBody": [
                    {"MsgType": "TIMTextElem", "MsgContent": {"Text": null, "Lang": "en"}},
                    {"MsgType": "TIMLocationElem", "MsgContent": {"Latitude": 22, "Longitude": -113.5}},
                    {"MsgType": "TIMFaceElem", "MsgContent": null, "Note": "x"},
                    {"MsgType": "TIMSoundElem"},
                    {"MsgContent": {"Text": "no type"}},
                    {"MsgType": "TIMImageElem", "MsgContent": {"ImageInfoArray": [{"Type": 1, "X": 0}]}},
                    {"MsgType": "TIMFutureElem"}
                ]
            },
            {"MsgSeq": "not a number"}
        ]
    });
    // Tencent's order (`MsgType` first, by hand) and `Value`'s (sorted: content first).
    let type_first = r#"{"MsgType":"TIMRelayElem","MsgContent":{"Title":null,"NewRelayField":{"a":[1,null]},"MsgList":[{"From_Account":"a","To_Account":null,"Extra":true,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":null,"Lang":"en"}},{"MsgType":"TIMLocationElem","MsgContent":{"Latitude":22,"Longitude":-113.5}},{"MsgType":"TIMFaceElem","MsgContent":null,"Note":"x"},{"MsgType":"TIMSoundElem"},{"MsgContent":{"Text":"no type"}},{"MsgType":"TIMImageElem","MsgContent":{"ImageInfoArray":[{"Type":1,"X":0}]}},{"MsgType":"TIMFutureElem"}]},{"MsgSeq":"not a number"}]}}"#;
    let content_first =
        json!({ "MsgType": "TIMRelayElem", "MsgContent": content.clone() }).to_string();
    let expected = MsgElement::Invalid {
        msg_type: "TIMRelayElem".into(),
        content: content.clone(),
    };
    for text in [type_first, content_first.as_str()] {
        let element: MsgElement = serde_json::from_str(text).expect("decode");
        assert_eq!(element, expected, "{text}");
    }
    // One level deeper, inside the message list of a relay that decodes.
    let outer = json!({
        "MsgType": "TIMRelayElem",
        "MsgContent": {"MsgList": [{"MsgBody": [{"MsgType": "TIMRelayElem", "MsgContent": content}]}]}
    });
    let element = decode(outer);
    let MsgElement::Relay(relay) = &element else {
        panic!("the outer relay decodes, got {element:?}");
    };
    assert_eq!(
        relay.msg_list.as_ref().expect("MsgList")[0].msg_body,
        Some(vec![expected])
    );
}

/// Inside `MsgContent` everything is content: a nested element of the wrong shape (a
/// `MsgType` that is a number, an element that is not an object) makes its relay's content
/// fail to decode as `RelayElem`, and the relay is kept `Invalid` exactly as sent, so that
/// an after-callback is never lost to drift. (It used to fail the whole callback with the
/// nested element's path.) The same shapes at the top of a body still fail with their path
/// (`element_shape_errors_still_fail_with_their_path`).
#[test]
fn a_nested_element_of_the_wrong_shape_keeps_its_relay_as_sent() {
    for nested in [r#"{"MsgType":7}"#, r#""TIMTextElem""#, "[1]"] {
        let relay = format!(
            r#"{{"MsgType":"TIMRelayElem","MsgContent":{{"Title":"t","MsgList":[{{"MsgBody":[{{"MsgType":"TIMTextElem","MsgContent":{{"Text":"ok"}}}},{nested}]}}]}}}}"#
        );
        let text = format!(
            r#"{{"MsgBody":[{relay},{{"MsgType":"TIMTextElem","MsgContent":{{"Text":"after"}}}}]}}"#
        );
        let sent: Value = serde_json::from_str(&relay).expect("json");
        let expected = vec![
            MsgElement::Invalid {
                msg_type: "TIMRelayElem".into(),
                content: sent["MsgContent"].clone(),
            },
            MsgElement::text("after"),
        ];
        let tracked = decode_tracked(&text).expect("serde_path_to_error");
        assert_eq!(tracked.msg_body, expected, "{nested}");
        let plain: Envelope = serde_json::from_str(&text).expect("from_str");
        assert_eq!(plain.msg_body, expected, "{nested}");
        // Written back, the relay is the input.
        assert_eq!(serde_json::to_value(&expected[0]).expect("serialize"), sent);
        // Content first (`Value`'s sorted order) gives the same.
        assert_eq!(decode(sent), expected[0], "{nested}");
    }
}

/// A relay's content is buffered as a `Value`, which keeps the last of repeated keys: a
/// nested element with `MsgType` twice is read with the last one (at the top of a body a
/// repeated `MsgType` fails, `duplicate_keys_are_errors`).
#[test]
fn a_repeated_key_inside_a_relay_keeps_the_last() {
    let element: MsgElement = serde_json::from_str(
        r#"{"MsgType":"TIMRelayElem","MsgContent":{"MsgList":[{"MsgBody":[{"MsgType":"TIMFaceElem","MsgType":"TIMTextElem","MsgContent":{"Text":"a","Text":"b"}}]}]}}"#,
    )
    .expect("decode");
    assert_eq!(inner(&element, 1), &MsgElement::text("b"));
}

/// Each content struct's derived `Deserialize` is the one list of its fields, used inside
/// an element as well as by users decoding a content struct directly: both must agree.
#[test]
fn content_structs_decode_alone_as_inside_an_element() {
    fn alone<T: serde::de::DeserializeOwned>(element: &MsgElement) -> T {
        let json = serde_json::to_value(element).expect("serialize");
        serde_json::from_value(json["MsgContent"].clone()).expect("content alone")
    }
    let mut checked = 0;
    for element in all_samples() {
        let same = match &element {
            MsgElement::Text(c) => *c == alone(&element),
            MsgElement::Location(c) => *c == alone(&element),
            MsgElement::Face(c) => *c == alone(&element),
            MsgElement::Custom(c) => *c == alone(&element),
            MsgElement::Sound(c) => *c == alone(&element),
            MsgElement::Image(c) => *c == alone(&element),
            MsgElement::File(c) => *c == alone(&element),
            MsgElement::VideoFile(c) => *c == alone(&element),
            MsgElement::Relay(c) => *c == alone(&element),
            _ => continue,
        };
        assert!(same, "{element:?}");
        round_trip(&element);
        checked += 1;
    }
    assert!(checked >= 9);
}
