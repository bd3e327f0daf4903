//! Tencent's sample body of each callback command (`tests/fixtures/samples/`), and the
//! check that a decoded and re-serialised body kept every field of its sample.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Every command of the catalogue, from the sample files' names.
pub(crate) fn commands() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/samples");
    let mut commands: Vec<String> = std::fs::read_dir(dir)
        .expect("tests/fixtures/samples")
        .map(|entry| {
            let name = entry.expect("a sample file").file_name();
            let name = name.to_str().expect("a UTF-8 file name");
            name.strip_suffix(".json")
                .expect("a .json sample")
                .to_owned()
        })
        .collect();
    commands.sort();
    commands
}

/// The sample body of `command`, as Tencent prints it.
pub(crate) fn sample(command: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/samples")
        .join(format!("{command}.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// The sample body of `command` as JSON.
pub(crate) fn sample_json(command: &str) -> Value {
    serde_json::from_str(&sample(command)).expect("samples are valid JSON")
}

/// `tests/fixtures/versions/`: the samples other versions of Tencent's pages print.
pub(crate) fn versions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/versions")
}

/// The text of the version sample `file` (a file name in [`versions_dir`]).
pub(crate) fn version_text(file: &str) -> String {
    let path = versions_dir().join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// The version sample `file` as JSON.
pub(crate) fn version_json(file: &str) -> Value {
    serde_json::from_str(&version_text(file)).unwrap_or_else(|err| panic!("{file}: {err}"))
}

/// The version sample `file` decoded as `T`, from Tencent's text.
pub(crate) fn decode_version<T: DeserializeOwned>(file: &str) -> T {
    serde_json::from_str(&version_text(file)).unwrap_or_else(|err| panic!("{file}: {err}"))
}

/// `body` decoded as `T` from its text, as a request's body is.
pub(crate) fn decode_json<T: DeserializeOwned>(body: &Value) -> T {
    serde_json::from_str(&body.to_string()).unwrap_or_else(|err| panic!("{body}: {err}"))
}

/// Fails unless every leaf of `sample` is in `written` at the same path with the same
/// value. A number written for a string of digits (`EventTime`) counts as the same value,
/// and so does an absent key for a `null`, or a one-element array for a lone string.
pub(crate) fn assert_keeps_every_field(sample: &Value, written: &Value) {
    let mut lost = Vec::new();
    compare(sample, written, &mut String::new(), &mut lost);
    assert!(
        lost.is_empty(),
        "fields lost or changed: {lost:#?}\nsample: {sample}\nwritten: {written}"
    );
}

fn compare(sample: &Value, written: &Value, path: &mut String, lost: &mut Vec<String>) {
    match (sample, written) {
        (Value::Object(sample), Value::Object(written)) => {
            for (key, value) in sample {
                let len = path.len();
                path.push('.');
                path.push_str(key);
                match written.get(key) {
                    Some(written) => compare(value, written, path, lost),
                    None if value.is_null() => {}
                    None => lost.push(format!("{path}: missing")),
                }
                path.truncate(len);
            }
        }
        (Value::Array(sample), Value::Array(written)) => {
            if sample.len() != written.len() {
                lost.push(format!(
                    "{path}: {} items, written {}",
                    sample.len(),
                    written.len()
                ));
                return;
            }
            for (at, (sample, written)) in sample.iter().zip(written).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{at}]"));
                compare(sample, written, path, lost);
                path.truncate(len);
            }
        }
        (Value::String(text), Value::Number(number)) if text.trim() == number.to_string() => {}
        (Value::String(text), Value::Array(items)) if items.len() == 1 && items[0] == *text => {}
        (sample, written) if sample == written => {}
        (sample, written) => lost.push(format!("{path}: {sample} written as {written}")),
    }
}
