//! The contract between the portal's client and server.
//!
//! Two halves:
//! - **values** that parse themselves (`Email::parse`, `BirthNumber::parse`, …): the client runs the
//!   parsers for inline errors, the server runs the same ones to enforce. A value that exists is valid.
//! - **wire types** ([`wire`]): the JSON bodies of the HTTP API, including the error body.
//!
//! No IO lives here, so the crate compiles for wasm32 and native alike.

pub mod error;
pub mod wire;

pub mod email;
pub mod money;
pub mod phone;

pub use email::Email;
pub use error::ParseError;
pub use money::Amount;
pub use phone::PhoneNumber;
