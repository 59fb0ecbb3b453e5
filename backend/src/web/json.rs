//! `ApiJson<T>`: axum's JSON extractor, but every rejection becomes an `ApiError` that names
//! the offending field, so clients get the portal's error body and never a plain-text 4xx.

use crate::error::ApiError;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use portal_domain::wire::FieldErrorBody;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            });
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                bad_request(
                    "unreadable_body",
                    "The request body could not be read.".into(),
                    vec![],
                )
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return bad_request("malformed_json", format!("Malformed JSON: {inner}"), vec![]);
        }
        let text = inner.to_string();
        let (field, code) = if let Some(name) = quoted_after(&text, "unknown field `") {
            (join_path(&path, &name), "unknown_field")
        } else if let Some(name) = quoted_after(&text, "missing field `") {
            (join_path(&path, &name), "missing_field")
        } else {
            (path, "invalid_type")
        };
        let message = format!("{field}: {text}");
        bad_request(
            "invalid_body",
            message.clone(),
            vec![FieldErrorBody {
                field,
                code: code.to_owned(),
                message,
            }],
        )
    })?;
    de.end()
        .map_err(|e| bad_request("malformed_json", format!("Malformed JSON: {e}"), vec![]))?;
    Ok(value)
}

fn bad_request(code: &'static str, message: String, fields: Vec<FieldErrorBody>) -> ApiError {
    ApiError::BadRequest {
        code,
        message,
        fields,
    }
}

/// `unknown field `x`, expected …` → `x`
fn quoted_after(text: &str, prefix: &str) -> Option<String> {
    let rest = &text[text.find(prefix)? + prefix.len()..];
    Some(rest[..rest.find('`')?].to_owned())
}

/// serde_path_to_error already ends the path with an unknown field's name, not a missing one's.
fn join_path(parent: &str, name: &str) -> String {
    if parent == name || parent.ends_with(&format!(".{name}")) {
        parent.to_owned()
    } else if parent.is_empty() || parent == "." {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_domain::wire::ContactSettings;

    fn field_of(err: ApiError) -> (String, String) {
        let body = err.body();
        (body.fields[0].field.clone(), body.fields[0].code.clone())
    }

    #[test]
    fn unknown_and_missing_fields_are_named() {
        let err =
            parse_json::<ContactSettings>(br#"{"email":null,"phone":null,"fax":1}"#).unwrap_err();
        assert_eq!(field_of(err), ("fax".into(), "unknown_field".into()));
        let err = parse_json::<portal_domain::wire::DemoLoginRequest>(br#"{}"#).unwrap_err();
        assert_eq!(field_of(err), ("persona".into(), "missing_field".into()));
    }

    #[test]
    fn wrong_types_name_the_field() {
        let err = parse_json::<ContactSettings>(br#"{"email":5}"#).unwrap_err();
        assert_eq!(field_of(err).0, "email");
    }

    #[test]
    fn syntax_errors_are_malformed_json() {
        let err = parse_json::<ContactSettings>(br#"{"email":"#).unwrap_err();
        assert_eq!(err.body().code, "malformed_json");
        let err = parse_json::<ContactSettings>(br#"{} trailing"#).unwrap_err();
        assert_eq!(err.body().code, "malformed_json");
    }
}
