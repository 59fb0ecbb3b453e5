//! A card payment gateway simulator in the style of the Czech gateways (GoPay, ComGate,
//! GP webpay), and the protocol it speaks. `PROTOCOL.md` describes the protocol.
//!
//! - [`protocol`]: wire types and HMAC-SHA256 signatures. The portal's gateway adapter uses this
//!   module (depend on the crate with `default-features = false` to get only it).
//! - [`spawn`] (feature `server`, on by default): starts the simulator in-process on port 0;
//!   the `gateway-sim` binary is the same server behind a command line.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use gateway_sim::{Config, Merchant};
//! let mut config = Config::new(vec![Merchant::new("town", "a-long-shared-secret")]);
//! config.test_controls = true;
//! let sim = gateway_sim::spawn(config).await?;
//! println!("{}", sim.url("/health"));
//! sim.shutdown().await?;
//! # Ok(()) }
//! ```

pub mod protocol;

#[cfg(feature = "server")]
pub mod server;

#[cfg(feature = "server")]
pub use server::{Config, Faults, Merchant, NotifyConfig, Running, StartError, TestPayment, spawn};
