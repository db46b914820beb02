//! The Terraform plugin protocol 6 server behind dbrail's provider.
//!
//! This crate knows nothing of AWS or of dbrail's resources. It turns the wire protocol
//! (go-plugin handshake, mTLS, gRPC, msgpack values) into typed Rust calls on a
//! [`framework::Provider`] and its resources, and turns their results and errors back into what
//! Terraform expects: planned values and diagnostics that point at the user's configuration.
//!
//! - [`plugin`]: process entry point — handshake, socket, AutoMTLS, logging, `-debug`.
//! - [`framework`]: the typed `Resource` trait and its opt-in capabilities.
//! - [`schema`], [`value`], [`path`], [`diagnostics`]: the vocabulary resources speak.
//! - `server` (private): one thin adapter per RPC.

mod proto;
mod server;

pub mod diagnostics;
pub mod framework;
pub mod path;
pub mod plugin;
pub mod schema;
pub mod value;

pub use server::Services;
