//! What can go wrong talking to the server, in terms the views act on.

use portal_domain::wire::{ErrorBody, FieldErrorBody, Loa};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 401: the view sends the user to the login page.
    Unauthenticated,
    /// 404, e.g. demo personas on a town that is not the demo.
    NotFound,
    /// 400 / 422 with per-field errors (codes like `email.invalid`).
    Invalid {
        code: String,
        fields: Vec<FieldErrorBody>,
    },
    /// 403 `loa_required`: the action needs a stronger login (step-up to this level).
    LoaRequired(Loa),
    /// Any other error status, with the server's code when it sent one.
    Server { status: u16, code: Option<String> },
    /// The request did not get an answer (offline, server down).
    Network,
    /// The answer was not the JSON we expected.
    Decode,
}

impl ApiError {
    pub fn from_status(status: u16, body: Option<ErrorBody>) -> ApiError {
        match (status, body) {
            // A refused login (e.g. the kiosk's `card_signature`) keeps its reason.
            (401, Some(body)) if body.code != "unauthenticated" => ApiError::Server {
                status,
                code: Some(body.code),
            },
            (401, _) => ApiError::Unauthenticated,
            (404, _) => ApiError::NotFound,
            (
                403,
                Some(ErrorBody {
                    required_loa: Some(loa),
                    ..
                }),
            ) => ApiError::LoaRequired(loa),
            (400 | 422, Some(body)) => ApiError::Invalid {
                code: body.code,
                fields: body.fields,
            },
            (status, body) => ApiError::Server {
                status,
                code: body.map(|b| b.code),
            },
        }
    }

    /// The catalog code to show the user (`error.<code>` in the catalogs).
    pub fn message_code(&self) -> &str {
        match self {
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::NotFound => "not_found",
            ApiError::LoaRequired(_) => "loa_required",
            ApiError::Invalid { code, .. } => code,
            ApiError::Server {
                code: Some(code), ..
            } => code,
            ApiError::Server { .. } => "server",
            ApiError::Network => "network",
            ApiError::Decode => "decode",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(code: &str) -> ErrorBody {
        ErrorBody {
            code: code.into(),
            message: String::new(),
            fields: vec![],
            required_loa: None,
        }
    }

    #[test]
    fn statuses_map_to_kinds() {
        assert_eq!(
            ApiError::from_status(401, Some(body("unauthenticated"))),
            ApiError::Unauthenticated
        );
        assert_eq!(ApiError::from_status(404, None), ApiError::NotFound);
        assert!(matches!(
            ApiError::from_status(422, Some(body("validation"))),
            ApiError::Invalid { .. }
        ));
        assert_eq!(
            ApiError::from_status(403, Some(body("csrf"))).message_code(),
            "csrf"
        );
        assert_eq!(ApiError::from_status(500, None).message_code(), "server");
    }
}
