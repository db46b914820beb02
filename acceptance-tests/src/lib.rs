//! Acceptance-test harness for dbrail: the real `terraform` CLI drives the real provider
//! binary, which talks through the AWS SDK to a real AWS API emulator (moto's server).
//!
//! Nothing is mocked, so a passing test means the protocol, the schema, the plan logic and the
//! AWS calls all work together the way a user will run them. Each test owns its emulator and its
//! temp dirs and can run in parallel with the others; every external command is bounded in time;
//! and a failure prints the command, its exit code and all of its output.
//!
//! ```no_run
//! use dbrail_acceptance_tests::{Emulator, EmulatorRds, Workspace};
//! # fn main() -> Result<(), dbrail_acceptance_tests::HarnessError> {
//! let emulator = Emulator::start()?;
//! let ws = Workspace::new(&[("main.tf", "# configuration under test")], &emulator)?;
//! ws.init()?;
//! ws.apply()?;
//! let rds = EmulatorRds::connect(&emulator)?;
//! assert!(rds.cluster_parameter_group("orders-pg16-cluster")?.is_some());
//! # Ok(()) }
//! ```

mod assert;
mod aws;
mod backup;
mod emulator;
mod error;
pub mod faults;
mod http;
mod iam;
pub mod knobs;
mod process;
mod provider;
mod sdk;
mod terraform;
pub mod tfjson;

pub use assert::{assert_contains, assert_not_contains, contains_normalized, normalize};
pub use aws::{
    ClusterMember, ClusterSnapshotView, ClusterView, EmulatorRds, InstanceView, ParameterGroup,
};
pub use backup::{EmulatorBackup, PlanView, VaultView};
pub use emulator::Emulator;
pub use error::{CommandFailure, CommandTimeout, HarnessError};
pub use iam::EmulatorIam;
pub use provider::{
    PROVIDER_PACKAGE, PROVIDER_SHORT_SOURCE, PROVIDER_SOURCE, PROVIDER_VERSION, ProviderMirror,
    cli_config_text, config_header, hcl_string, os_arch, provider_binary, workspace_root,
};
pub use terraform::{
    ACCESS_KEY_ID, DEFAULT_COMMAND_TIMEOUT, Output, PlanResult, REGION, SECRET_ACCESS_KEY,
    Workspace,
};

/// Prints a step marker to the test's output, so a failure shows how far a scenario got.
pub fn step(description: &str) {
    eprintln!("[dbrail-acc] step: {description}");
}
