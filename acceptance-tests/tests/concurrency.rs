//! Concurrency, end to end: `terraform apply -parallelism=10` over 20 clusters, each with its
//! own parameter baseline, creates every resource exactly once, and the next plan is empty.
//! Many resources in one provider process at once is where shared mutable state would race
//! (the client, the default tags, the engine-version lookup). Other resource types join by
//! adding their HCL with [`Stack::extra`].
//!
//! The clusters have no readers so the single-process emulator stays quick; the test runs the
//! apply once (it was run repeatedly while it was written).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use dbrail_acceptance_tests::faults::{Stack, assert_converged};
use dbrail_acceptance_tests::tfjson::resource_addresses;
use dbrail_acceptance_tests::{Emulator, EmulatorRds, HarnessError, Workspace, step};

const CLUSTERS: usize = 20;

#[test]
fn twenty_clusters_with_parallelism_ten_converge() -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let subnets: Vec<String> = emulator
        .default_subnets()?
        .into_iter()
        .take(3)
        .map(|(id, _)| id)
        .collect();
    let stack = Stack::new(&subnets, &emulator.create_kms_key()?).clusters(CLUSTERS);
    let ws = Workspace::new(&[("main.tf", &stack.hcl())], &emulator)?;
    ws.init()?;

    step("apply 20 clusters and 20 baselines, 10 at a time");
    let started = std::time::Instant::now();
    ws.run_ok(&[
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
        "-parallelism=10",
    ])?;
    eprintln!("[concurrency] apply took {:?}", started.elapsed());

    step("every resource exactly once, in the emulator and in state; the next plan is empty");
    let rds = EmulatorRds::connect(&emulator)?;
    assert_converged(&ws, &rds, &stack)?;
    let addresses = resource_addresses(&ws.show_json()?);
    assert_eq!(addresses.len(), 2 * CLUSTERS, "{addresses:#?}");
    Ok(())
}
