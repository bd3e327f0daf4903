//! Decoding and encoding of `MsgBody` elements.

use actix_tim_callback::model::{
    CustomElem, FaceElem, FileElem, ImageElem, ImageInfo, LocationElem, MsgElement, RelayElem,
    RelayedMsg, SoundElem, TextElem, VideoFileElem,
};
use serde::Deserialize;
use serde_json::{json, Value};

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

fn error_path(text: &str) -> String {
    let de = &mut serde_json::Deserializer::from_str(text);
    let err = serde_path_to_error::deserialize::<_, Envelope>(de).expect_err("decoding must fail");
    err.path().to_string()
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
    MsgElement::Text(TextElem {
        text: Some("hello world".into()),
    })
}

fn sample_image() -> MsgElement {
    MsgElement::Image(ImageElem {
        uuid: Some("1853095_D61040894AC3DE44CDFFFB3EC7EB720F".into()),
        image_format: Some(1),
        image_info_array: Some(vec![
            ImageInfo {
                kind: Some(1),
                size: Some(1853095),
                width: Some(2448),
                height: Some(3264),
                url: Some("http://example.com/orig.jpg".into()),
            },
            ImageInfo {
                kind: Some(3),
                size: Some(2565),
                width: Some(198),
                height: Some(198),
                url: None,
            },
        ]),
    })
}

fn all_samples() -> Vec<MsgElement> {
    vec![
        sample_text(),
        MsgElement::Text(TextElem::default()),
        MsgElement::Location(LocationElem {
            desc: Some("Shenzhen".into()),
            latitude: Some(22.54),
            longitude: Some(113.93),
        }),
        MsgElement::Face(FaceElem {
            index: Some(-3),
            data: Some("content".into()),
        }),
        MsgElement::Custom(CustomElem {
            data: Some("{\"k\":1}".into()),
            desc: Some("notification".into()),
            ext: Some("url".into()),
            sound: Some("dingdong.aiff".into()),
        }),
        MsgElement::Sound(SoundElem {
            url: Some("https://example.com/a.silk".into()),
            uuid: Some("sound-uuid".into()),
            size: Some(62351),
            second: Some(4),
            download_flag: Some(2),
        }),
        sample_image(),
        MsgElement::File(FileElem {
            url: None,
            uuid: Some("file-uuid".into()),
            file_size: Some(1773552),
            file_name: Some("report.pdf".into()),
            download_flag: Some(2),
        }),
        MsgElement::VideoFile(VideoFileElem {
            video_url: Some("https://example.com/v.mp4".into()),
            video_uuid: Some("v-uuid".into()),
            video_size: Some(1),
            video_second: Some(2),
            video_format: Some("mp4".into()),
            video_download_flag: Some(2),
            thumb_url: Some("https://example.com/t.jpg".into()),
            thumb_uuid: Some("t-uuid".into()),
            thumb_size: Some(3),
            thumb_width: Some(4),
            thumb_height: Some(5),
            thumb_format: Some("JPG".into()),
            thumb_download_flag: Some(2),
        }),
        MsgElement::Relay(RelayElem {
            title: Some("Chat history".into()),
            msg_num: Some(2),
            compatible_text: Some("upgrade".into()),
            abstract_list: Some(vec!["a: hi".into(), "b: [image]".into()]),
            msg_list: Some(vec![
                RelayedMsg {
                    from_account: Some("a".into()),
                    to_account: Some("b".into()),
                    group_id: None,
                    msg_seq: Some(1),
                    msg_random: Some(2),
                    msg_time_stamp: Some(1_700_000_000),
                    msg_body: Some(vec![sample_text(), sample_image()]),
                    cloud_custom_data: Some("ccd".into()),
                },
                RelayedMsg {
                    group_id: Some("@TGS#1".into()),
                    msg_body: Some(vec![MsgElement::Unknown {
                        msg_type: "TIMFutureElem".into(),
                        content: json!({"X": [1, 2]}),
                    }]),
                    ..RelayedMsg::default()
                },
            ]),
            json_msg_key: None,
        }),
        MsgElement::Relay(RelayElem {
            json_msg_key: Some("key".into()),
            ..RelayElem::default()
        }),
        MsgElement::Unknown {
            msg_type: "TIMFutureElem".into(),
            content: json!({"Anything": {"nested": [1, "two", null, true, 3.5]}}),
        },
        MsgElement::Unknown {
            msg_type: "TIMBareElem".into(),
            content: Value::Null,
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
        MsgElement::Text(TextElem {
            text: Some("red packet".into())
        })
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
        MsgElement::Face(FaceElem {
            index: Some(1),
            data: Some("content".into()),
        })
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
        MsgElement::Custom(CustomElem {
            data: Some("message".into()),
            desc: Some("notification".into()),
            ext: Some("url".into()),
            sound: Some("dingdong.aiff".into()),
        })
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
        MsgElement::Sound(SoundElem {
            url: Some("https://1400000000.vod2.myqcloud.com/sound.silk".into()),
            uuid: Some("5:1400000000:sound".into()),
            size: Some(62351),
            second: Some(1),
            download_flag: Some(2),
        })
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
        MsgElement::Sound(SoundElem {
            url: None,
            uuid: Some("305c0201".into()),
            size: Some(62351),
            second: Some(1),
            download_flag: None,
        })
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
        MsgElement::Image(ImageElem {
            uuid: Some("1853095_D61040894AC3DE44CDFFFB3EC7EB720F".into()),
            image_format: Some(1),
            image_info_array: Some(vec![
                ImageInfo {
                    kind: Some(1),
                    size: Some(1853095),
                    width: Some(2448),
                    height: Some(3264),
                    url: Some("http://example.com/orig.jpg".into()),
                },
                ImageInfo {
                    kind: Some(2),
                    size: Some(2565),
                    width: Some(720),
                    height: Some(960),
                    url: Some("http://example.com/large.jpg".into()),
                },
                ImageInfo {
                    kind: Some(3),
                    size: Some(12565),
                    width: Some(198),
                    height: Some(264),
                    url: Some("http://example.com/thumb.jpg".into()),
                },
            ]),
        })
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
        MsgElement::Image(ImageElem {
            uuid: None,
            image_format: None,
            image_info_array: Some(vec![
                ImageInfo {
                    kind: Some(3),
                    ..ImageInfo::default()
                },
                ImageInfo::default(),
            ]),
        })
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
        MsgElement::File(FileElem {
            url: Some("https://example.com/file.txt".into()),
            uuid: Some("5:1400000000:file".into()),
            file_size: Some(1773552),
            file_name: Some("file:///private/var/Application/tmp/trim.B75D5F9B.txt".into()),
            download_flag: Some(2),
        })
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
        MsgElement::File(FileElem {
            url: None,
            uuid: Some("1c3c4b".into()),
            file_size: Some(10),
            file_name: Some("a.txt".into()),
            download_flag: None,
        })
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
        MsgElement::VideoFile(VideoFileElem {
            video_url: Some("https://example.com/video.mp4".into()),
            video_uuid: Some("5:1400000000:video".into()),
            video_size: Some(1194603),
            video_second: Some(5),
            video_format: Some("mp4".into()),
            video_download_flag: Some(2),
            thumb_url: Some("https://example.com/thumb.jpg".into()),
            thumb_uuid: Some("5:1400000000:thumb".into()),
            thumb_size: Some(13907),
            thumb_width: Some(720),
            thumb_height: Some(1280),
            thumb_format: Some("JPG".into()),
            thumb_download_flag: Some(2),
        })
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
        MsgElement::VideoFile(VideoFileElem {
            video_url: None,
            video_uuid: Some("v1".into()),
            video_size: Some(100),
            video_second: Some(7),
            video_format: Some("mp4".into()),
            video_download_flag: None,
            thumb_url: None,
            thumb_uuid: Some("t1".into()),
            thumb_size: Some(200),
            thumb_width: Some(36),
            thumb_height: Some(64),
            thumb_format: Some("JPG".into()),
            thumb_download_flag: None,
        })
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
    let expected = MsgElement::Relay(RelayElem {
        title: Some("Chat history of A and B".into()),
        msg_num: Some(2),
        compatible_text: Some("Please upgrade to view this message".into()),
        abstract_list: Some(vec!["A: hello".into(), "B: [image]".into()]),
        msg_list: Some(vec![
            RelayedMsg {
                from_account: Some("A".into()),
                to_account: Some("B".into()),
                group_id: None,
                msg_seq: Some(1021),
                msg_random: Some(3049521),
                msg_time_stamp: Some(1_700_000_000),
                msg_body: Some(vec![MsgElement::Text(TextElem {
                    text: Some("hello".into()),
                })]),
                cloud_custom_data: Some("your cloud custom data".into()),
            },
            RelayedMsg {
                from_account: Some("B".into()),
                to_account: None,
                group_id: Some("@TGS#2C5SZEAEF".into()),
                msg_seq: Some(1022),
                msg_random: Some(7),
                msg_time_stamp: Some(1_700_000_060),
                msg_body: Some(vec![MsgElement::Image(ImageElem {
                    uuid: Some("img-1".into()),
                    image_format: Some(3),
                    image_info_array: Some(vec![ImageInfo {
                        kind: Some(1),
                        size: Some(100),
                        width: Some(10),
                        height: Some(20),
                        url: Some("https://example.com/1.png".into()),
                    }]),
                })]),
                cloud_custom_data: None,
            },
        ]),
        json_msg_key: None,
    });
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
        MsgElement::Relay(RelayElem {
            title: None,
            msg_num: None,
            compatible_text: None,
            abstract_list: None,
            msg_list: None,
            json_msg_key: Some("a4f6d3b5c2e1_relay_key".into()),
        })
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
        MsgElement::Text(TextElem {
            text: Some("hi".into())
        })
    );

    let element = decode(json!({
        "MsgType": "TIMSoundElem",
        "MsgContent": { "UUID": "u", "Second": 3, "Extra": [true] }
    }));
    assert_eq!(
        element,
        MsgElement::Sound(SoundElem {
            uuid: Some("u".into()),
            second: Some(3),
            ..SoundElem::default()
        })
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
        MsgElement::Face(FaceElem {
            index: Some(5),
            data: None,
        })
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
        MsgElement::Location(LocationElem {
            desc: Some("here".into()),
            latitude: Some(1.5),
            longitude: Some(-2.25),
        })
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
fn content_before_type_still_reports_errors() {
    let err = decode_err(r#"{"MsgContent":{"Latitude":"north"},"MsgType":"TIMLocationElem"}"#);
    assert!(err.contains("invalid type"), "{err}");
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
fn wrong_field_type_is_an_error_with_path() {
    let err = decode_err(r#"{"MsgType":"TIMLocationElem","MsgContent":{"Latitude":"north"}}"#);
    assert!(err.contains("invalid type: string \"north\""), "{err}");

    let path = error_path(
        r#"{"MsgBody":[{"MsgType":"TIMLocationElem","MsgContent":{"Desc":"x","Latitude":"north"}}]}"#,
    );
    assert_eq!(path, "MsgBody[0].MsgContent.Latitude");

    let path = error_path(
        r#"{"MsgBody":[
            {"MsgType":"TIMTextElem","MsgContent":{"Text":"ok"}},
            {"MsgType":"TIMSoundElem","MsgContent":{"Size":-1}}
        ]}"#,
    );
    assert_eq!(path, "MsgBody[1].MsgContent.Size");

    let path = error_path(
        r#"{"MsgBody":[{"MsgType":"TIMImageElem","MsgContent":{"ImageInfoArray":[{"Type":1},{"Width":"wide"}]}}]}"#,
    );
    assert_eq!(path, "MsgBody[0].MsgContent.ImageInfoArray[1].Width");
}

#[test]
fn nested_relay_error_path() {
    let path = error_path(
        r#"{"MsgBody":[{"MsgType":"TIMRelayElem","MsgContent":{"MsgList":[
            {"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":7}}]}
        ]}}]}"#,
    );
    assert_eq!(
        path,
        "MsgBody[0].MsgContent.MsgList[0].MsgBody[0].MsgContent.Text"
    );
}

#[test]
fn invalid_shapes_are_errors() {
    let err = decode_err(r#"{"MsgType":7,"MsgContent":{}}"#);
    assert!(err.contains("invalid type: integer `7`"), "{err}");

    let err = decode_err(r#"["TIMTextElem",{"Text":"a"}]"#);
    assert!(err.contains("invalid type: sequence"), "{err}");

    let err = decode_err(r#"{"MsgType":"TIMTextElem","MsgContent":"text"}"#);
    assert!(err.contains("invalid type: string \"text\""), "{err}");
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
            MsgElement::Text(TextElem {
                text: Some("hello ".into())
            }),
            MsgElement::Face(FaceElem {
                index: Some(1),
                data: Some("smile".into()),
            }),
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
        MsgElement::Text(TextElem {
            text: Some("a\"b\n".into())
        })
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

    let value = serde_json::to_value(MsgElement::Sound(SoundElem {
        uuid: Some("u".into()),
        size: Some(1),
        second: Some(2),
        download_flag: Some(2),
        url: None,
    }))
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

    let value = serde_json::to_value(MsgElement::Relay(RelayElem {
        msg_list: Some(vec![RelayedMsg {
            from_account: Some("a".into()),
            to_account: Some("b".into()),
            group_id: Some("g".into()),
            msg_seq: Some(1),
            msg_random: Some(2),
            msg_time_stamp: Some(3),
            msg_body: Some(vec![]),
            cloud_custom_data: Some("c".into()),
        }]),
        ..RelayElem::default()
    }))
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

    let value = serde_json::to_value(MsgElement::VideoFile(VideoFileElem {
        video_url: Some("a".into()),
        video_uuid: Some("b".into()),
        video_size: Some(1),
        video_second: Some(2),
        video_format: Some("c".into()),
        video_download_flag: Some(3),
        thumb_url: Some("d".into()),
        thumb_uuid: Some("e".into()),
        thumb_size: Some(4),
        thumb_width: Some(5),
        thumb_height: Some(6),
        thumb_format: Some("f".into()),
        thumb_download_flag: Some(7),
    }))
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
    let text = serde_json::to_string(&MsgElement::Location(LocationElem {
        desc: Some("d".into()),
        latitude: Some(1.5),
        longitude: Some(2.0),
    }))
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
    let value = serde_json::to_value(MsgElement::Custom(CustomElem {
        data: Some("1".into()),
        desc: Some("2".into()),
        ext: Some("3".into()),
        sound: Some("4".into()),
    }))
    .expect("serialize");
    assert_eq!(
        value["MsgContent"],
        json!({ "Data": "1", "Desc": "2", "Ext": "3", "Sound": "4" })
    );

    let value = serde_json::to_value(MsgElement::File(FileElem {
        url: Some("u".into()),
        uuid: Some("i".into()),
        file_size: Some(1),
        file_name: Some("n".into()),
        download_flag: Some(2),
    }))
    .expect("serialize");
    assert_eq!(
        value["MsgContent"],
        json!({ "Url": "u", "UUID": "i", "FileSize": 1, "FileName": "n", "Download_Flag": 2 })
    );

    let value = serde_json::to_value(MsgElement::Relay(RelayElem {
        title: Some("t".into()),
        msg_num: Some(1),
        compatible_text: Some("c".into()),
        abstract_list: Some(vec!["a".into()]),
        msg_list: None,
        json_msg_key: Some("k".into()),
    }))
    .expect("serialize");
    assert_eq!(
        value["MsgContent"],
        json!({ "Title": "t", "MsgNum": 1, "CompatibleText": "c", "AbstractList": ["a"], "JsonMsgKey": "k" })
    );
}
