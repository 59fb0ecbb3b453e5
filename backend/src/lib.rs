//! Portál občana města: the server.
//!
//! Start at [`startup::Application`]. Features live in their own folders, each with a `router()`
//! (HTTP) and a `store` (SQL); `startup::router` merges them.

pub mod audit;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod openapi;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod web;

pub mod dashboard;
pub mod health;
pub mod identity;
pub mod kiosk;
pub mod notifications;
pub mod payments;
pub mod profile;
pub mod staff;
pub mod towns;
