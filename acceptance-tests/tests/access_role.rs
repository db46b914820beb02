//! `dbrail_access_role`, end to end: the real terraform CLI drives the real provider against the
//! emulator, and each role's policies are read back from the emulator's IAM independently of
//! the provider.
//!
//! Roles do not need a real cluster to exist: the `rds-db:connect` resource names a cluster
//! resource id, which IAM does not check, so a fixed `cluster-…` id keeps these tests fast.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use dbrail_acceptance_tests::{
    Emulator, EmulatorIam, EmulatorRds, HarnessError, REGION, Workspace, assert_contains,
    config_header, step,
};
use serde_json::{Value, json};

const ACCOUNT: &str = "123456789012";
const CLUSTER: &str = "cluster-ABCDEFGHIJKLMNOPQRSTUVWXY0";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-abc-AbCdEf";
const APP_ROLE: &str = "arn:aws:iam::123456789012:role/orders-app";
const POLICY: &str = "dbrail-access";
/// (resource label, role name, tier, db user)
const ROLES: [(&str, &str, &str, &str); 4] = [
    ("ro", "orders-ro", "read_only", "orders_ro"),
    ("rw", "orders-rw", "read_write", "orders_rw"),
    ("mig", "orders-migration", "migration", "orders_ddl"),
    ("bg", "orders-break-glass", "break_glass", ""),
];

fn connect_arn(user: &str) -> String {
    format!("arn:aws:rds-db:{REGION}:{ACCOUNT}:dbuser:{CLUSTER}/{user}")
}

/// One role's configuration; `extra` is added inside the block.
fn role_block(
    label: &str,
    name: &str,
    tier: &str,
    user: &str,
    boundary: &str,
    extra: &str,
) -> String {
    let target = if tier == "break_glass" {
        format!("  master_secret_arn = \"{SECRET}\"\n")
    } else {
        format!(
            "  engine              = \"aurora-postgresql\"\n  cluster_resource_id = \"{CLUSTER}\"\n  db_user             = \"{user}\"\n"
        )
    };
    format!(
        r#"resource "dbrail_access_role" "{label}" {{
  name                     = "{name}"
  tier                     = "{tier}"
{target}  trusted_role_arns        = ["{APP_ROLE}"]
  permissions_boundary_arn = "{boundary}"
{extra}}}

"#
    )
}

fn config(boundary: &str, labels: &[&str]) -> String {
    let mut out = config_header();
    for (label, name, tier, user) in ROLES {
        if labels.contains(&label) {
            out.push_str(&role_block(label, name, tier, user, boundary, ""));
        }
    }
    out
}

fn expected_connect_policy(user: &str) -> Value {
    json!({"Version": "2012-10-17", "Statement": {
        "Effect": "Allow", "Action": "rds-db:connect", "Resource": connect_arn(user)}})
}

fn ours(iam: &EmulatorIam) -> Result<Vec<String>, HarnessError> {
    let mut names = iam.role_names()?;
    names.retain(|n| n.starts_with("orders-"));
    Ok(names)
}

fn assert_policies_are_exact(iam: &EmulatorIam) -> Result<(), HarnessError> {
    for (_, name, tier, user) in ROLES {
        assert_eq!(iam.role_policy_names(name)?, [POLICY], "{name}");
        let policy = iam
            .role_policy(name, POLICY)?
            .unwrap_or_else(|| panic!("{name} has no {POLICY} policy"));
        if tier == "break_glass" {
            let statement = &policy["Statement"];
            assert_eq!(statement["Resource"], SECRET, "{policy:#}");
            assert_eq!(
                statement["Action"],
                json!([
                    "secretsmanager:DescribeSecret",
                    "secretsmanager:GetSecretValue"
                ]),
                "{policy:#}"
            );
            let trust = iam.trust_policy(name)?.expect("trust policy");
            assert_eq!(
                trust["Statement"]["Condition"]["Bool"]["aws:MultiFactorAuthPresent"], "true",
                "{trust:#}"
            );
        } else {
            assert_eq!(policy, expected_connect_policy(user), "{name}");
            let trust = iam.trust_policy(name)?.expect("trust policy");
            assert_eq!(
                trust["Statement"]["Principal"]["AWS"], APP_ROLE,
                "{trust:#}"
            );
        }
    }
    Ok(())
}

#[test]
fn every_tier_is_created_exact_repaired_imported_and_destroyed() -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let iam = EmulatorIam::connect(&emulator)?;
    let boundary = iam.create_policy(
        "db-boundary",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["rds-db:connect","secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],"Resource":"*"}]}"#,
    )?;
    let all = ["ro", "rw", "mig", "bg"];
    let ws = Workspace::new(&[("main.tf", &config(&boundary, &all))], &emulator)?;
    ws.init()?;

    step("plan shows each role's exact policy and grant_sql before anything exists");
    let plan = ws.plan_detailed()?.expect_changes()?;
    assert_contains(&plan.stdout, "Plan: 4 to add, 0 to change, 0 to destroy.");
    assert_contains(&plan.stdout, &connect_arn("orders_ro"));
    assert_contains(&plan.stdout, "GRANT rds_iam TO");
    assert!(ours(&iam)?.is_empty(), "plan must not create anything");

    step("apply creates a role per tier whose one inline policy grants exactly its resource");
    let apply = ws.apply()?;
    assert_contains(
        &apply.stdout,
        "Apply complete! Resources: 4 added, 0 changed, 0 destroyed.",
    );
    assert_policies_are_exact(&iam)?;
    ws.plan_detailed()?.expect_no_changes()?;

    step("an inline policy edited out of band shows as a diff and is repaired");
    iam.put_role_policy(
        "orders-ro",
        POLICY,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"rds-db:connect","Resource":"*"}]}"#,
    )?;
    let plan = ws.plan_detailed()?.expect_changes()?;
    assert_contains(
        &plan.stdout,
        "dbrail_access_role.ro will be updated in-place",
    );
    assert_contains(&plan.stdout, "policy_json");
    let apply = ws.apply()?;
    assert_contains(
        &apply.stdout,
        "Apply complete! Resources: 0 added, 1 changed, 0 destroyed.",
    );
    assert_policies_are_exact(&iam)?;
    ws.plan_detailed()?.expect_no_changes()?;

    step("a policy attached out of band is a warning naming the least-privilege rule");
    iam.attach_new_policy(
        "orders-rw",
        "orders-extra",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
    )?;
    let plan = ws.plan_detailed()?.expect_no_changes()?;
    let said = plan.combined();
    assert_contains(&said, "DB-ACCESS-LEAST-PRIVILEGE");
    assert_contains(&said, "orders-extra");

    step("import by role name into a fresh working directory gives an empty plan");
    let fresh = Workspace::new(&[("main.tf", &config(&boundary, &["ro", "bg"]))], &emulator)?;
    fresh.init()?;
    assert_contains(
        &fresh.import("dbrail_access_role.ro", "orders-ro")?.stdout,
        "Import successful!",
    );
    assert_contains(
        &fresh
            .import("dbrail_access_role.bg", "orders-break-glass")?
            .stdout,
        "Import successful!",
    );
    fresh.plan_detailed()?.expect_no_changes()?;

    step("destroy leaves no role behind");
    let destroy = fresh.destroy()?;
    assert_contains(&destroy.stdout, "Destroy complete! Resources: 2 destroyed.");
    let destroy = ws.destroy()?;
    assert_contains(&destroy.stdout, "Destroy complete!");
    let left = ours(&iam)?;
    assert!(left.is_empty(), "roles left behind: {left:?}");
    Ok(())
}

#[test]
fn guardrails_fail_at_plan_time_on_the_attribute() -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let iam = EmulatorIam::connect(&emulator)?;
    let boundary = format!("arn:aws:iam::{ACCOUNT}:policy/db-boundary");
    let ws = Workspace::new(&[("main.tf", &config(&boundary, &["ro"]))], &emulator)?;
    ws.init()?;

    step("control: the valid configuration plans");
    ws.plan_detailed()?.expect_changes()?;

    step("a wildcard database user is refused");
    let header = config_header();
    let wildcard = role_block("ro", "orders-ro", "read_only", "*", &boundary, "");
    ws.write_file("main.tf", &format!("{header}{wildcard}"))?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "DB-IAM-WILDCARD");
    assert_contains(&failed.stderr, "db_user             = \"*\"");

    step("production without a permissions boundary is refused");
    let no_boundary = role_block("ro", "orders-ro", "read_only", "orders_ro", &boundary, "")
        .replace(
            &format!("  permissions_boundary_arn = \"{boundary}\"\n"),
            "",
        );
    ws.write_file("main.tf", &format!("{header}{no_boundary}"))?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "DB-ACCESS-BOUNDARY");
    assert_contains(&failed.stderr, "permissions_boundary_arn");

    step("a migration session over one hour is refused");
    let long = role_block(
        "ro",
        "orders-migration",
        "migration",
        "orders_ddl",
        &boundary,
        "  max_session_duration     = 7200\n",
    );
    ws.write_file("main.tf", &format!("{header}{long}"))?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "DB-ACCESS-SESSION");
    assert_contains(&failed.stderr, "max_session_duration     = 7200");

    step("a reserved database user name is refused for the engine");
    let reserved = role_block("ro", "orders-ro", "read_only", "rdsadmin", &boundary, "");
    ws.write_file("main.tf", &format!("{header}{reserved}"))?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "DB-ACCESS-DB-USER");

    step("nothing was created along the way");
    assert!(ours(&iam)?.is_empty());

    step("a role someone else created under the same name is not taken over");
    iam.block_on(
        iam.client()
            .create_role()
            .role_name("orders-ro")
            .assume_role_policy_document(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#,
            )
            .send(),
    )
    .map_err(|e| HarnessError::Aws {
        operation: "CreateRole(foreign)".to_owned(),
        detail: format!("{e:?}"),
    })?;
    ws.write_file("main.tf", &config(&boundary, &["ro"]))?;
    let failed = ws.run(&["apply", "-auto-approve", "-input=false", "-no-color"])?;
    assert_ne!(failed.code, Some(0), "{}", failed.stdout);
    assert_contains(&failed.stderr, "already exists");
    assert_contains(&failed.stderr, "terraform import");
    assert!(
        iam.role_policy_names("orders-ro")?.is_empty(),
        "the foreign role must be left untouched"
    );
    Ok(())
}

#[test]
fn a_role_for_a_real_dbrail_cluster_names_its_resource_id_and_secret() -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let iam = EmulatorIam::connect(&emulator)?;
    let rds = EmulatorRds::connect(&emulator)?;
    let subnets = emulator
        .default_subnets()?
        .into_iter()
        .take(3)
        .map(|(id, _)| format!("\"{id}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let header = config_header();
    let hcl = format!(
        r#"{header}resource "dbrail_parameter_baseline" "pg" {{
  name   = "orders-pg16"
  family = "aurora-postgresql16"
}}

resource "dbrail_cluster" "orders" {{
  name                = "orders"
  engine              = "aurora-postgresql"
  engine_version      = "16"
  tier                = "development"
  instance_class      = "db.r6g.large"
  readers             = 0
  subnet_ids          = [{subnets}]
  monitoring_role_arn = "arn:aws:iam::{ACCOUNT}:role/rds-monitoring"
  parameter_baseline  = dbrail_parameter_baseline.pg
}}

resource "dbrail_access_role" "app" {{
  name                = "orders-app"
  tier                = "read_write"
  environment         = "development"
  engine              = "aurora-postgresql"
  cluster_resource_id = dbrail_cluster.orders.cluster_resource_id
  db_user             = "orders_app"
  trusted_services    = ["ecs-tasks.amazonaws.com"]
}}

resource "dbrail_access_role" "oncall" {{
  name              = "orders-oncall"
  tier              = "break_glass"
  environment       = "development"
  master_secret_arn = dbrail_cluster.orders.master_user_secret_arn
  trusted_role_arns = ["arn:aws:iam::{ACCOUNT}:role/dba-oncall"]
}}
"#
    );
    let ws = Workspace::new(&[("main.tf", &hcl)], &emulator)?;
    ws.init()?;

    step("without a boundary in development the rule warns; the policy waits for the cluster");
    let plan = ws.plan_detailed()?.expect_changes()?;
    assert_contains(&plan.combined(), "DB-ACCESS-BOUNDARY");

    step("apply: the roles name the cluster's resource id and its master secret");
    ws.apply()?;
    let described = rds
        .block_on(
            rds.client()
                .describe_db_clusters()
                .db_cluster_identifier("orders")
                .send(),
        )
        .map_err(|e| HarnessError::Aws {
            operation: "DescribeDBClusters(orders)".to_owned(),
            detail: format!("{e:?}"),
        })?;
    let cluster = &described.db_clusters()[0];
    let resource_id = cluster.db_cluster_resource_id().expect("resource id");
    assert!(resource_id.starts_with("cluster-"), "{resource_id}");
    let secret = cluster
        .master_user_secret()
        .and_then(|s| s.secret_arn())
        .expect("master secret");
    let app = iam.role_policy("orders-app", POLICY)?.expect("app policy");
    assert_eq!(
        app["Statement"]["Resource"],
        format!("arn:aws:rds-db:{REGION}:{ACCOUNT}:dbuser:{resource_id}/orders_app"),
        "{app:#}"
    );
    let oncall = iam
        .role_policy("orders-oncall", POLICY)?
        .expect("oncall policy");
    assert_eq!(oncall["Statement"]["Resource"], secret, "{oncall:#}");
    ws.plan_detailed()?.expect_no_changes()?;
    Ok(())
}
