//! The contract between the portal's client and server.
//!
//! Two halves:
//! - **values** that parse themselves (`Email::parse`, `BirthNumber::parse`, …): the client runs
//!   the parsers for inline errors, the server runs the same ones to enforce. A value that exists
//!   is valid.
//!   Every failure is a [`ParseError`] whose code is listed in [`ALL_ERROR_CODES`].
//! - **wire types** ([`wire`]): the JSON bodies of the HTTP API, including the error body. Values
//!   travel there as plain strings in their `as_str()` form.
//!
//! No IO and no clock live here, so the crate compiles for wasm32 and native alike.

pub mod error;
pub mod wire;

pub mod birth_number;
pub mod date;
pub mod email;
pub mod iban;
pub mod ico;
pub mod money;
pub mod phone;
pub mod psc;
pub mod symbols;

pub use birth_number::BirthNumber;
pub use date::{format_czech_date, format_english_date, parse_czech_date};
pub use email::Email;
pub use error::{ALL_ERROR_CODES, ParseError};
pub use iban::Iban;
pub use ico::Ico;
pub use money::Amount;
pub use phone::PhoneNumber;
pub use psc::Psc;
pub use symbols::{ConstantSymbol, SpecificSymbol, VariableSymbol};
