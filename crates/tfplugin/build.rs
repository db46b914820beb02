//! Generates the Rust gRPC bindings for Terraform's plugin protocol 6 and go-plugin's
//! internal services from the `.proto` files in the workspace's `proto/` directory.
//!
//! No system `protoc` is needed: `protox` parses the files (it also ships the
//! `google/protobuf/*.proto` well-known types) into a `FileDescriptorSet`, and
//! `tonic-prost-build` turns that into messages, server traits and clients in `OUT_DIR`.
//! Clients are generated as well as servers because in-process tests drive the servers
//! through them.

use std::error::Error;
use std::path::PathBuf;

/// The `.proto` files to compile, relative to the proto directory.
const PROTOS: [&str; 4] = [
    "tfplugin6.proto",
    "plugin/grpc_controller.proto",
    "plugin/grpc_stdio.proto",
    "plugin/grpc_broker.proto",
];

fn main() -> Result<(), Box<dyn Error>> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let proto_dir = manifest_dir.join("..").join("..").join("proto");

    // A directory path makes Cargo rerun this script when anything beneath it changes.
    println!("cargo:rerun-if-changed={}", proto_dir.display());

    let files: Vec<PathBuf> = PROTOS.iter().map(|p| proto_dir.join(p)).collect();
    let fds = protox::compile(&files, [&proto_dir])?;

    tonic_prost_build::configure()
        .build_server(true)
        .build_client(true)
        // RPCs dbrail does not serve (functions, actions, state stores, ...) answer
        // Unimplemented without a hand-written stub each.
        .generate_default_stubs(true)
        // The crate does not depend on prost-types, so the two well-known types used
        // (Timestamp, Empty) are generated into a local `google.protobuf` module instead.
        .compile_well_known_types(true)
        .compile_fds(fds)?;

    Ok(())
}
