//! The one error every domain parser returns.

/// Why a text could not become a domain value.
///
/// `code` is a stable, language-neutral key (`"email.invalid"`): the server sends it in the field
/// errors of its JSON error body, and the client looks it up in its translation catalogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{code}")]
pub struct ParseError {
    pub code: &'static str,
}

impl ParseError {
    pub const fn new(code: &'static str) -> Self {
        Self { code }
    }
}
