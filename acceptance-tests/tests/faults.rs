//! Applies under injected AWS faults, end to end: real terraform, the real provider, and the
//! emulator behind the harness's fault-injecting proxy.
//!
//! 1. The example stack (`examples/cluster`: a parameter baseline and a cluster with a writer
//!    and two readers) applied with 30 % of calls throttled and 10 % failing with HTTP 5xx
//!    converges to what a clean apply on a second emulator builds, and the next plan (no
//!    faults) is empty.
//! 2. A fault that outlasts the budget (every `CreateDBCluster` fails with HTTP 500, under a
//!    20 s create timeout) fails the apply with a diagnostic naming the operation and the AWS
//!    error; state records what was created (the baseline); the re-run, faults off, converges
//!    without duplicates.
//! 3. Every create does its work but loses its answer once (the connection closes instead),
//!    and 10 % of all calls are dropped or slowed by 2 s: the retries find what the lost calls
//!    created, so nothing exists twice.
//!
//! The configure-time identity probe (`GetCallerIdentity`) is exempt from the rate faults: it
//! makes 3 attempts by design, to report bad credentials fast, so 40 % faults would fail one
//! configure in 16; every call a resource makes is subject to them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use dbrail_acceptance_tests::faults::{
    Calls, Fault, FaultPlan, FaultProxy, Inventory, Stack, Trigger, assert_converged,
};
use dbrail_acceptance_tests::tfjson::resource_values;
use dbrail_acceptance_tests::{
    Emulator, EmulatorRds, HarnessError, Workspace, assert_contains, step, workspace_root,
};
use serde_json::Value;

const CLUSTER: &str = "dbrail_cluster.orders";
const BASELINE: &str = "dbrail_parameter_baseline.orders";
/// The seed of the rate faults; printed so a failure can be replayed.
const SEED: u64 = 0x6_2026;

/// Three subnets in distinct zones and a KMS key, as `terraform.tfvars` for the example.
fn tfvars(emulator: &Emulator) -> Result<String, HarnessError> {
    let subnets = emulator.default_subnets()?;
    let ids: Vec<String> = subnets
        .iter()
        .take(3)
        .map(|(id, _)| format!("\"{id}\""))
        .collect();
    Ok(format!(
        "subnet_ids = [{}]\nkms_key_id = \"{}\"\n",
        ids.join(", "),
        emulator.create_kms_key()?
    ))
}

fn example(emulator: &Emulator) -> Result<Workspace, HarnessError> {
    let ws = Workspace::from_fixture_dir(&workspace_root().join("examples/cluster"), emulator)?;
    ws.write_file("terraform.tfvars", &tfvars(emulator)?)?;
    Ok(ws)
}

/// Attribute values that identify the emulator rather than the configuration: ARNs and
/// resource ids (and the final snapshot name made of one) carry random parts, endpoints its host names, the KMS key and
/// subnets are per emulator. Everything else must match.
fn comparable(values: &Value) -> Value {
    const PER_EMULATOR: &[&str] = &[
        "arn",
        "cluster_resource_id",
        "resource_id",
        "endpoint",
        "reader_endpoint",
        "kms_key_id",
        "subnet_ids",
        "availability_zones",
        "master_user_secret_arn",
        "final_snapshot_identifier",
        "id",
    ];
    match values {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !PER_EMULATOR.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), comparable(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(comparable).collect()),
        other => other.clone(),
    }
}

fn values_of(ws: &Workspace, address: &str) -> Result<Value, HarnessError> {
    let show = ws.show_json()?;
    Ok(comparable(resource_values(&show, address).unwrap_or_else(
        || panic!("{address} is not in state: {show:#}"),
    )))
}

/// The rate faults of the first scenario, on every call but the identity probe.
fn throttling_and_server_errors() -> FaultPlan {
    let calls = || Calls::except(["GetCallerIdentity"]);
    FaultPlan::seeded(SEED)
        .at_rate(Fault::Throttle, 0.3, calls())
        .at_rate(Fault::ServerError(500), 0.05, calls())
        .at_rate(Fault::ServerError(503), 0.05, calls())
}

/// Applies the example through a proxy injecting `plan`.
fn faulted_apply(
    emulator: &Emulator,
    plan: FaultPlan,
) -> Result<(Workspace, FaultProxy), HarnessError> {
    let proxy = FaultProxy::start(emulator, plan)?;
    let mut ws = example(emulator)?;
    proxy.point(&mut ws);
    ws.init()?;
    let started = std::time::Instant::now();
    ws.apply()?;
    let stats = proxy.stats();
    eprintln!(
        "[faults] apply under faults took {:?}; {} faults injected: {:?}",
        started.elapsed(),
        stats.injected_total(),
        stats.injected
    );
    Ok((ws, proxy))
}

#[test]
fn the_example_converges_under_throttling_and_server_errors() -> Result<(), HarnessError> {
    let clean_emulator = Emulator::start()?;
    let faulty_emulator = Emulator::start()?;

    step(&format!(
        "apply the example with 30 % throttling and 10 % 5xx (seed {SEED:#x}), and \
         alongside it a clean apply on an emulator of its own"
    ));
    let clean = example(&clean_emulator)?;
    let (faulted, clean_applied) = std::thread::scope(|scope| {
        let clean_apply = scope.spawn(|| -> Result<(), HarnessError> {
            clean.init()?;
            clean.apply()?;
            Ok(())
        });
        let faulted = faulted_apply(&faulty_emulator, throttling_and_server_errors());
        (faulted, clean_apply.join())
    });
    clean_applied.expect("the clean apply's thread")?;
    let (faulty, proxy) = faulted?;
    let stats = proxy.stats();
    assert!(
        stats.injected_total() >= 10,
        "the faults must have happened: {stats:?}"
    );

    step("the faulted apply built exactly what the clean one built");
    let clean_rds = EmulatorRds::connect(&clean_emulator)?;
    let faulty_rds = EmulatorRds::connect(&faulty_emulator)?;
    let expected = Inventory::of(&clean_rds)?;
    assert_eq!(
        expected.instance_ids(),
        vec!["orders-1", "orders-2", "orders-3"]
    );
    assert_eq!(Inventory::of(&faulty_rds)?, expected);
    for address in [CLUSTER, BASELINE] {
        assert_eq!(
            values_of(&faulty, address)?,
            values_of(&clean, address)?,
            "{address} differs from the clean apply"
        );
    }

    step("with faults off, the next plan is empty");
    proxy.set_plan(FaultPlan::none());
    faulty.plan_detailed()?.expect_no_changes()?;
    Ok(())
}

#[test]
fn a_fault_outlasting_the_budget_fails_clearly_and_the_rerun_converges() -> Result<(), HarnessError>
{
    let emulator = Emulator::start()?;
    let subnets: Vec<String> = emulator
        .default_subnets()?
        .into_iter()
        .take(3)
        .map(|(id, _)| id)
        .collect();
    let stack = Stack::new(&subnets, &emulator.create_kms_key()?).create_timeout("20s");
    let proxy = FaultProxy::start(
        &emulator,
        FaultPlan::none().always(Fault::ServerError(500), "CreateDBCluster"),
    )?;
    let mut ws = Workspace::new(&[("main.tf", &stack.hcl())], &emulator)?;
    proxy.point(&mut ws);
    ws.init()?;

    step("every CreateDBCluster fails with HTTP 500: the apply fails within the create timeout");
    let started = std::time::Instant::now();
    let out = ws.run(&["apply", "-auto-approve", "-input=false", "-no-color"])?;
    let took = started.elapsed();
    let out = out.expect_code(1)?;
    assert!(took < std::time::Duration::from_secs(90), "{took:?}");
    let text = out.combined();
    assert_contains(&text, "CreateDBCluster");
    assert_contains(&text, "InternalFailure");
    assert_contains(&text, "with dbrail_cluster.fx0");
    assert!(proxy.stats().injected_total() >= 2, "{:?}", proxy.stats());

    step("state records what was created: the baseline, and no cluster");
    let rds = EmulatorRds::connect(&emulator)?;
    let show = ws.show_json()?;
    assert!(
        resource_values(&show, "dbrail_parameter_baseline.fx0").is_some(),
        "{show:#}"
    );
    assert!(
        resource_values(&show, "dbrail_cluster.fx0").is_none(),
        "{show:#}"
    );
    let after_failure = Inventory::of(&rds)?;
    assert!(after_failure.clusters.is_empty(), "{after_failure:?}");
    assert_eq!(after_failure.parameter_groups, stack.parameter_groups());

    step("faults off: the re-run converges without duplicates");
    proxy.set_plan(FaultPlan::none());
    ws.apply()?;
    assert_converged(&ws, &rds, &stack)?;
    Ok(())
}

#[test]
fn lost_answers_dropped_connections_and_slow_calls_create_nothing_twice() -> Result<(), HarnessError>
{
    let emulator = Emulator::start()?;
    let subnets: Vec<String> = emulator
        .default_subnets()?
        .into_iter()
        .take(3)
        .map(|(id, _)| id)
        .collect();
    let stack = Stack::new(&subnets, &emulator.create_kms_key()?).readers(1);
    let creates = Calls::only([
        "CreateDBClusterParameterGroup",
        "CreateDBParameterGroup",
        "CreateDBSubnetGroup",
        "CreateDBCluster",
        "CreateDBInstance",
    ]);
    let others = || Calls::except(["GetCallerIdentity"]);
    // The first call of every create does its work but loses its answer; the retry (or the
    // next step) finds the resource already there.
    let plan = FaultPlan::seeded(SEED)
        .rule(Fault::LoseResponse, creates, Trigger::FirstNEach(1))
        .at_rate(Fault::Drop, 0.1, others())
        .at_rate(Fault::Slow(Duration::from_secs(2)), 0.1, others());
    let proxy = FaultProxy::start(&emulator, plan)?;
    let mut ws = Workspace::new(&[("main.tf", &stack.hcl())], &emulator)?;
    proxy.point(&mut ws);
    ws.init()?;

    step("apply: every create's answer is lost once, 10 % of calls dropped, 10 % slowed by 2 s");
    ws.apply()?;
    let stats = proxy.stats();
    eprintln!("[faults] injected: {:?}", stats.injected);
    for create in ["CreateDBCluster", "CreateDBInstance"] {
        assert!(
            stats.injected.get(create).copied().unwrap_or(0) >= 1,
            "{create} lost an answer: {stats:?}"
        );
    }

    step("nothing was created twice; faults off, the next plan is empty");
    proxy.set_plan(FaultPlan::none());
    let rds = EmulatorRds::connect(&emulator)?;
    assert_converged(&ws, &rds, &stack)?;
    Ok(())
}
