//! `terraform-provider-dbrail`: the process Terraform starts for `source = "dbrail/dbrail"`.
//!
//! All protocol work (handshake, mTLS, gRPC, logging) lives in `dbrail-tfplugin`; this binary
//! only supplies the provider: its configuration and its resources.

mod client;
mod config;
mod data_sources;
mod diagnostics;
mod provider;
mod resources;
mod rules_bridge;
mod tag_text;

use std::process::ExitCode;

fn main() -> ExitCode {
    dbrail_tfplugin::plugin::run(
        provider::DbrailProvider,
        dbrail_tfplugin::plugin::ServeOptions {
            address: "registry.terraform.io/dbrail/dbrail",
            version: env!("CARGO_PKG_VERSION"),
        },
    )
}
