//! Ctrl-C during a long wait, end to end: SIGINT to terraform while the provider waits for a
//! new cluster must stop the apply promptly (terraform asks the provider to stop, and every
//! wait and retry of the provider listens for that), save state, and leave a configuration
//! that the re-run apply converges.
//!
//! Terraform marks an object whose create ended in an error as tainted and plans to replace
//! it; for a guarded cluster the deletion guard refuses that replacement (the database is never
//! destroyed), and the provider's warning tells the user to `terraform untaint` it so the
//! re-run finishes it in place. The test checks both.
//!
//! The emulator makes clusters available at once, so the wait is made long by the fault
//! proxy: it holds the first `DescribeDBClusters` after `CreateDBCluster` (the waiter's first
//! poll) for as long as the test likes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use dbrail_acceptance_tests::faults::{
    Background, FaultPlan, FaultProxy, HoldSpec, Stack, assert_converged, cluster_resource_id,
};
use dbrail_acceptance_tests::tfjson::resource_values;
use dbrail_acceptance_tests::{
    Emulator, EmulatorRds, HarnessError, Workspace, assert_contains, step,
};

/// "Promptly": from SIGINT to terraform's exit, state written.
const PROMPTLY: Duration = Duration::from_secs(10);

#[test]
fn sigint_during_the_cluster_wait_stops_promptly_and_the_rerun_converges()
-> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let subnets: Vec<String> = emulator
        .default_subnets()?
        .into_iter()
        .take(3)
        .map(|(id, _)| id)
        .collect();
    let stack = Stack::new(&subnets, &emulator.create_kms_key()?);
    let proxy = FaultProxy::start(&emulator, FaultPlan::none())?;
    let mut ws = Workspace::new(&[("main.tf", &stack.hcl())], &emulator)?;
    proxy.point(&mut ws);
    ws.init()?;

    step("apply until the provider waits for the new cluster");
    let hold = proxy.hold(HoldSpec::before("DescribeDBClusters").once("CreateDBCluster"));
    let mut apply = Background::apply(&ws, &[])?;
    if let Err(e) = hold.wait_reached(Duration::from_secs(60)) {
        apply.kill_all();
        return Err(e);
    }
    // The wait stays held: only the interrupt can end it.
    std::thread::sleep(Duration::from_millis(500));

    step("SIGINT to terraform");
    let interrupted = Instant::now();
    apply.interrupt()?;
    let out = apply.wait(Duration::from_secs(60))?;
    let took = interrupted.elapsed();
    hold.release();
    eprintln!("[cancel] terraform exited {took:?} after SIGINT");
    assert!(took < PROMPTLY, "took {took:?}:\n{}", out.combined());
    assert_ne!(out.code, Some(0), "{}", out.combined());
    let text = out.combined();
    assert_contains(&text, "Interrupt received");
    assert_contains(&text, "Waiting for cluster fx0 to become available failed");
    assert_contains(&text, "was cancelled");
    assert_contains(&text, "Cluster fx0 exists but is not complete");
    assert_contains(&text, "terraform untaint dbrail_cluster.");

    step("state was saved: the baseline, and the cluster that exists");
    let show = ws.show_json()?;
    assert!(
        resource_values(&show, "dbrail_parameter_baseline.fx0").is_some(),
        "{show:#}"
    );
    let rds = EmulatorRds::connect(&emulator)?;
    let created = cluster_resource_id(&rds, "fx0")?.expect("the cluster was created");
    assert!(
        resource_values(&show, "dbrail_cluster.fx0").is_some(),
        "the created cluster must be in state: {show:#}"
    );

    step("a plain re-run never destroys the tainted database: the deletion guard refuses");
    let out = ws.run(&["apply", "-auto-approve", "-input=false", "-no-color"])?;
    let out = out.expect_code(1)?;
    assert_contains(&out.combined(), "deletion_guard protects cluster fx0");
    assert_eq!(cluster_resource_id(&rds, "fx0")?, Some(created.clone()));

    step("untaint, as the warning says, and the re-run converges on the same cluster");
    ws.run_ok(&["untaint", "-no-color", "dbrail_cluster.fx0"])?;
    ws.apply()?;
    assert_converged(&ws, &rds, &stack)?;
    assert_eq!(cluster_resource_id(&rds, "fx0")?, Some(created));
    Ok(())
}
