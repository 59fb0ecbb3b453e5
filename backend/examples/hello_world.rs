//! The baseline for `scripts/bench.sh`: a bare axum 0.8 server on the same tokio runtime setup as
//! `portal-backend` (`#[tokio::main]`, multi-threaded), answering "Hello, World!" on `/`.
//!
//! `cargo run --release -p portal-backend --example hello_world [ADDR]`; ADDR defaults to
//! `127.0.0.1:0` (a free port). Prints `listening on http://ADDR/` once it accepts connections.

use axum::Router;
use axum::routing::get;
use std::net::SocketAddr;
use tokio::net::TcpListener;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr: SocketAddr = std::env::args()
        .nth(1)
        .as_deref()
        .unwrap_or("127.0.0.1:0")
        .parse()
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let listener = TcpListener::bind(addr).await?;
    println!("listening on http://{}/", listener.local_addr()?);
    let app = Router::new().route("/", get(|| async { "Hello, World!" }));
    axum::serve(listener, app).await
}
