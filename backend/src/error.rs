//! One error type for every handler. Responses carry `ErrorBody` JSON and never internals:
//! the cause of a 500 goes to the log, the client gets a generic message.

use crate::db::DbError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use portal_domain::ParseError;
use portal_domain::wire::{ErrorBody, FieldErrorBody};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not what the endpoint takes (syntax, type, unknown or missing field).
    #[error("{message}")]
    BadRequest {
        code: &'static str,
        message: String,
        fields: Vec<FieldErrorBody>,
    },
    /// The request was well-formed but some fields hold invalid values.
    #[error("invalid fields")]
    Validation(Vec<FieldErrorBody>),
    #[error("not logged in")]
    Unauthenticated,
    /// A login attempt that did not prove who it is (the code says why, e.g. a card login's
    /// `card_signature`).
    #[error("login refused: {0}")]
    LoginRefused(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    /// The action needs a login at this level of assurance or higher (step-up).
    #[error("this action needs a login at level {0:?} or higher")]
    LoaRequired(portal_domain::wire::Loa),
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("expected Content-Type: application/json")]
    UnsupportedMediaType,
    #[error("{0}")]
    Conflict(&'static str),
    /// Too many attempts from this address; retry after this many seconds.
    #[error("too many attempts; try again in {0} s")]
    TooManyRequests(u64),
    /// A service we depend on (the card gateway) failed or refused; the cause goes to the log.
    #[error("upstream failure: {cause}")]
    BadGateway { code: &'static str, cause: String },
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthenticated | ApiError::LoginRefused(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::LoaRequired(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::BadGateway { .. } => StatusCode::BAD_GATEWAY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. } => code,
            ApiError::Validation(_) => "validation",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::LoginRefused(code) => code,
            ApiError::Forbidden(code) => code,
            ApiError::LoaRequired(_) => "loa_required",
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::Conflict(code) => code,
            ApiError::TooManyRequests(_) => "rate_limited",
            ApiError::BadGateway { code, .. } => code,
            ApiError::Internal(_) => "internal",
        }
    }

    pub fn body(&self) -> ErrorBody {
        let message = match self {
            ApiError::Internal(_) => "Something went wrong on our side; please try again.".into(),
            ApiError::BadGateway { .. } => {
                "The payment service did not answer as expected; please try again later.".into()
            }
            ApiError::Forbidden(_) => "You may not do this.".into(),
            ApiError::Conflict(_) => "The request conflicts with the current state.".into(),
            other => other.to_string(),
        };
        let fields = match self {
            ApiError::BadRequest { fields, .. } | ApiError::Validation(fields) => fields.clone(),
            _ => Vec::new(),
        };
        ErrorBody {
            code: self.code().to_owned(),
            message,
            fields,
            required_loa: match self {
                ApiError::LoaRequired(loa) => Some(*loa),
                _ => None,
            },
        }
    }

    /// One invalid field, from a domain parser's error.
    pub fn invalid_field(field: &str, error: ParseError) -> ApiError {
        ApiError::Validation(vec![field_error(field, error)])
    }
}

pub fn field_error(field: &str, error: ParseError) -> FieldErrorBody {
    FieldErrorBody {
        field: field.to_owned(),
        code: error.code.to_owned(),
        message: format!("{field}: invalid value ({})", error.code),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            tracing::error!(%cause, "request failed");
        }
        if let ApiError::BadGateway { cause, .. } = &self {
            tracing::warn!(%cause, "upstream service failed");
        }
        let mut response = (self.status_code(), Json(self.body())).into_response();
        if let ApiError::TooManyRequests(secs) = self {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(secs),
            );
        }
        response
    }
}

impl From<DbError> for ApiError {
    fn from(error: DbError) -> Self {
        ApiError::Internal(error.to_string())
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(error: rusqlite::Error) -> Self {
        ApiError::Internal(error.to_string())
    }
}
