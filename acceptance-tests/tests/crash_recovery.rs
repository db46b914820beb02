//! Crash recovery, end to end: a cluster create (and the baseline's, before it) is stopped
//! dead at each of its points — the provider killed (SIGKILL), or terraform killed together
//! with its provider — and the re-run apply must finish the job: no duplicate and no orphaned
//! resource in the emulator, the cluster created before the crash adopted (same
//! `DbClusterResourceId`, not recreated), and an empty plan after.
//!
//! The fault proxy holds the call that marks each point ([`HoldSpec`]) and signals the test,
//! so the kill lands exactly there rather than after a guessed sleep. Each case is one call of
//! [`crash_at`] (where to stop, what to kill, what exists at that point); other resource types
//! add their own cases the same way. An access role is stopped after IAM created the role and
//! after it put the policy ([`crash_in_access_role`]): the re-run adopts the role dbrail made
//! (it carries dbrail's tier tag) instead of refusing it as someone else's.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use dbrail_acceptance_tests::faults::{
    Background, FaultPlan, FaultProxy, HoldSpec, Inventory, Stack, assert_converged,
    assert_roles_exact, cluster_resource_id,
};
use dbrail_acceptance_tests::{Emulator, EmulatorIam, EmulatorRds, HarnessError, Workspace, step};

/// How long the apply may take to reach the held call.
const REACH: Duration = Duration::from_secs(60);
/// How long terraform may take to exit once its provider is gone.
const EXIT: Duration = Duration::from_secs(60);

/// What is killed.
#[derive(Debug, Clone, Copy)]
enum Victim {
    /// The provider process; terraform sees it die and records what completed.
    Provider,
    /// terraform (SIGKILL, no chance to save anything), then its orphaned provider.
    Terraform,
}

/// `instances` instances (and the cluster) exist when the crash hits.
fn crash_at(point: HoldSpec, victim: Victim, instances: usize) -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let subnets: Vec<String> = emulator
        .default_subnets()?
        .into_iter()
        .take(3)
        .map(|(id, _)| id)
        .collect();
    let stack = Stack::new(&subnets, &emulator.create_kms_key()?).readers(1);
    let proxy = FaultProxy::start(&emulator, FaultPlan::none())?;
    let mut ws = Workspace::new(&[("main.tf", &stack.hcl())], &emulator)?;
    proxy.point(&mut ws);
    ws.init()?;

    step(&format!("apply, held at {point:?}"));
    let hold = proxy.hold(point.clone());
    let mut apply = Background::apply(&ws, &[])?;
    if let Err(e) = hold.wait_reached(REACH) {
        apply.kill_all();
        return Err(e);
    }
    match victim {
        Victim::Provider => {
            step("kill -KILL the provider");
            apply.kill_provider()?;
        }
        Victim::Terraform => {
            step("kill -KILL terraform, then its provider");
            apply.kill_terraform()?;
            apply.kill_all();
        }
    }
    hold.release();
    if let Victim::Provider = victim {
        let out = apply.wait(EXIT)?;
        assert_ne!(out.code, Some(0), "{}", out.combined());
    }

    let rds = EmulatorRds::connect(&emulator)?;
    let crashed = Inventory::of(&rds)?;
    eprintln!("[crash] left behind: {crashed:?}");
    assert_eq!(
        crashed.clusters,
        vec!["fx0"],
        "the crash point was reached: {crashed:?}"
    );
    assert_eq!(crashed.instances.len(), instances, "{crashed:?}");
    let cluster_before = cluster_resource_id(&rds, "fx0")?;

    step("re-run apply: it resumes and converges");
    ws.apply()?;
    assert_converged(&ws, &rds, &stack)?;
    if let Some(arn) = cluster_before {
        assert_eq!(
            cluster_resource_id(&rds, "fx0")?,
            Some(arn),
            "the cluster the crash left is adopted, not recreated"
        );
    }
    Ok(())
}

#[test]
fn provider_killed_after_create_db_cluster() -> Result<(), HarnessError> {
    crash_at(HoldSpec::after("CreateDBCluster"), Victim::Provider, 0)
}

#[test]
fn provider_killed_while_waiting_for_the_cluster() -> Result<(), HarnessError> {
    crash_at(
        HoldSpec::before("DescribeDBClusters").once("CreateDBCluster"),
        Victim::Provider,
        0,
    )
}

#[test]
fn provider_killed_after_the_first_create_db_instance() -> Result<(), HarnessError> {
    crash_at(HoldSpec::after("CreateDBInstance"), Victim::Provider, 1)
}

#[test]
fn provider_killed_while_waiting_for_the_writer() -> Result<(), HarnessError> {
    crash_at(
        HoldSpec::before("DescribeDBInstances").once("CreateDBInstance"),
        Victim::Provider,
        1,
    )
}

#[test]
fn terraform_killed_after_create_db_cluster() -> Result<(), HarnessError> {
    crash_at(HoldSpec::after("CreateDBCluster"), Victim::Terraform, 0)
}

#[test]
fn terraform_killed_after_the_first_create_db_instance() -> Result<(), HarnessError> {
    crash_at(HoldSpec::after("CreateDBInstance"), Victim::Terraform, 1)
}

#[test]
fn provider_killed_after_create_db_cluster_parameter_group() -> Result<(), HarnessError> {
    crash_before_the_cluster(HoldSpec::after("CreateDBClusterParameterGroup"))
}

/// A crash while the baseline is created: no cluster yet, a parameter group already made.
fn crash_before_the_cluster(point: HoldSpec) -> Result<(), HarnessError> {
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

    step(&format!(
        "apply, held at {point:?}; kill -KILL the provider"
    ));
    let hold = proxy.hold(point);
    let mut apply = Background::apply(&ws, &[])?;
    if let Err(e) = hold.wait_reached(REACH) {
        apply.kill_all();
        return Err(e);
    }
    apply.kill_provider()?;
    hold.release();
    let out = apply.wait(EXIT)?;
    assert_ne!(out.code, Some(0), "{}", out.combined());
    let rds = EmulatorRds::connect(&emulator)?;
    let crashed = Inventory::of(&rds)?;
    assert!(crashed.clusters.is_empty(), "{crashed:?}");
    assert!(!crashed.parameter_groups.is_empty(), "{crashed:?}");

    step("re-run apply: it resumes and converges");
    ws.apply()?;
    assert_converged(&ws, &rds, &stack)?;
    Ok(())
}

#[test]
fn provider_killed_after_create_role() -> Result<(), HarnessError> {
    crash_in_access_role(HoldSpec::after("CreateRole"), 0)
}

#[test]
fn provider_killed_after_put_role_policy() -> Result<(), HarnessError> {
    crash_in_access_role(HoldSpec::after("PutRolePolicy"), 1)
}

/// A crash while an access role is created (its cluster already done): the role exists with
/// `policies` inline policies when the provider dies.
fn crash_in_access_role(point: HoldSpec, policies: usize) -> Result<(), HarnessError> {
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
    let stack = Stack::new(&subnets, &emulator.create_kms_key()?).access_roles(1, &boundary);
    let proxy = FaultProxy::start(&emulator, FaultPlan::none())?;
    let mut ws = Workspace::new(&[("main.tf", &stack.hcl())], &emulator)?;
    proxy.point(&mut ws);
    ws.init()?;

    step(&format!(
        "apply, held at {point:?}; kill -KILL the provider"
    ));
    let hold = proxy.hold(point);
    let mut apply = Background::apply(&ws, &[])?;
    if let Err(e) = hold.wait_reached(REACH) {
        apply.kill_all();
        return Err(e);
    }
    apply.kill_provider()?;
    hold.release();
    let out = apply.wait(EXIT)?;
    assert_ne!(out.code, Some(0), "{}", out.combined());
    assert_eq!(
        iam.role_names()?
            .into_iter()
            .filter(|n| n == "fx0-app0")
            .count(),
        1,
        "the crash point was reached: the role exists"
    );
    assert_eq!(iam.role_policy_names("fx0-app0")?.len(), policies);

    step("re-run apply: it adopts the role dbrail created and converges");
    ws.apply()?;
    let rds = EmulatorRds::connect(&emulator)?;
    assert_converged(&ws, &rds, &stack)?;
    assert_roles_exact(&iam, &rds, &stack)?;
    Ok(())
}
