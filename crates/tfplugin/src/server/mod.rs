//! The gRPC services a go-plugin provider process exposes, as thin adapters.
//!
//! Each Terraform RPC is decoded here into framework types (values decoded against the
//! schema), handed to the provider or resource, and its result encoded back. No resource logic
//! lives in this module. Every call into provider code runs under [`guard::guarded`], so a panic
//! becomes an error diagnostic and the server keeps serving.

mod codec;
mod controller;
mod guard;
mod rpc_data_source;
mod rpc_provider;
mod rpc_resource;
mod rpc_schema;
mod schema_wire;
mod service;
mod state;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_data_source;

pub(crate) use guard::panic_message;
pub use service::Services;
