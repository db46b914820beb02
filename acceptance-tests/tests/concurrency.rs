//! Concurrency, end to end: `terraform apply -parallelism=10` over 20 clusters, each with its
//! own parameter baseline and two access roles (40 roles, each created once its cluster's
//! resource id is known), creates every resource exactly once, each role with exactly its
//! policy, and the next plan is empty.
//! Many resources in one provider process at once is where shared mutable state would race
//! (the client, the default tags, the engine-version lookup). Other resource types join by
//! adding their HCL with [`Stack::extra`].
//!
//! The clusters have no readers so the single-process emulator stays quick; the test runs the
//! apply once (it was run repeatedly while it was written).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use dbrail_acceptance_tests::faults::{Stack, assert_converged, assert_roles_exact};
use dbrail_acceptance_tests::tfjson::resource_addresses;
use dbrail_acceptance_tests::{Emulator, EmulatorIam, EmulatorRds, HarnessError, Workspace, step};

const CLUSTERS: usize = 20;
const ROLES_PER_CLUSTER: usize = 2;

#[test]
fn twenty_clusters_with_parallelism_ten_converge() -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let subnets: Vec<String> = emulator
        .default_subnets()?
        .into_iter()
        .take(3)
        .map(|(id, _)| id)
        .collect();
    let iam = EmulatorIam::connect(&emulator)?;
    let boundary = iam.create_policy(
        "db-boundary",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"rds-db:connect","Resource":"*"}]}"#,
    )?;
    let stack = Stack::new(&subnets, &emulator.create_kms_key()?)
        .clusters(CLUSTERS)
        .access_roles(ROLES_PER_CLUSTER, &boundary);
    let ws = Workspace::new(&[("main.tf", &stack.hcl())], &emulator)?;
    ws.init()?;

    step("apply 20 clusters, 20 baselines and 40 access roles, 10 at a time");
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
    assert_roles_exact(&iam, &rds, &stack)?;
    assert_eq!(stack.roles().len(), CLUSTERS * ROLES_PER_CLUSTER);
    let addresses = resource_addresses(&ws.show_json()?);
    assert_eq!(
        addresses.len(),
        (2 + ROLES_PER_CLUSTER) * CLUSTERS,
        "{addresses:#?}"
    );
    Ok(())
}
