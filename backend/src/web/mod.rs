//! HTTP plumbing shared by every feature: the JSON extractor, security headers, the web client.

mod client_ip;
mod headers;
mod json;
mod static_files;

pub use client_ip::ClientIp;
pub use headers::security_headers;
pub use json::{ApiJson, parse_json};
pub use static_files::web_client;
