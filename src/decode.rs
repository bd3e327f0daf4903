//! The one decode of a callback's body into its event, shared by the extractors and the
//! duplicate key (which takes the ids of a few commands from the decoded event).

use crate::{error::CallbackError, model::CallbackBody};

/// Decodes a JSON body as `T` for `command`; trailing characters are an error.
pub(crate) fn decode_event<T: CallbackBody>(body: &[u8], command: &str) -> serde_json::Result<T> {
    // A body checked as UTF-8 once, as a whole, spares serde_json a check per string
    // (measured in benches/README.md).
    match std::str::from_utf8(body) {
        Ok(text) => decode_all(serde_json::Deserializer::from_str(text), command),
        Err(_) => decode_all(serde_json::Deserializer::from_slice(body), command),
    }
}

/// [`decode_event`], and on failure a decode again to find where it failed (only bad input
/// pays for the path tracking).
pub(crate) fn decode<T: CallbackBody>(body: &[u8], command: &str) -> Result<T, CallbackError> {
    decode_event(body, command).map_err(|_| {
        let mut json = serde_json::Deserializer::from_slice(body);
        let mut track = serde_path_to_error::Track::new();
        let tracked = serde_path_to_error::Deserializer::new(&mut json, &mut track);
        let message = match T::deserialize_command(command, tracked) {
            Err(err) => err.to_string(),
            Ok(_) => "trailing characters after the JSON value".to_owned(),
        };
        CallbackError::InvalidJson {
            path: track.path().to_string(),
            message,
        }
    })
}

fn decode_all<'de, R, T>(
    mut json: serde_json::Deserializer<R>,
    command: &str,
) -> serde_json::Result<T>
where
    R: serde_json::de::Read<'de>,
    T: CallbackBody,
{
    let value = T::deserialize_command(command, &mut json)?;
    json.end()?;
    Ok(value)
}
