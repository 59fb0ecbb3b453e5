//! API tests: each test starts the real application on port 0 with a fresh SQLite file.

/// The server binary's allocator (see `src/main.rs`): the benchmarks here run the portal in this
/// process and should measure what runs in production.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod authorization;
mod bad_input;
mod baskets;
mod card_payments;
mod dashboard;
mod helpers;
mod identity;
mod kiosk;
mod migrations;
mod oidc;
mod payments;
mod payments_payer;
mod payments_staff;
mod profile;
mod registers;
mod reversals;
mod staff;
mod towns;
mod web;
mod yearly_run;
