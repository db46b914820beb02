//! `dbrail_backup_policy`, end to end: the real terraform CLI drives the real provider against
//! the emulator (moto plus dbrail's Backup selections extension), and every step is checked in
//! what terraform says and in what the emulator holds, read through the harness's own client.
//!
//! One lifecycle test covers create (vault with key and compliance lock, plan with continuous
//! backup and a cross-region copy, tag selection), the plan-time refusal to lower retention under
//! the lock, import by name and destroy leaving nothing behind. A second test covers the
//! production guardrails and configuration errors; a third a cluster opting in (tag and
//! retention follow the policy) and `dbrail_backup_status` reporting and gating on `max_age`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use dbrail_acceptance_tests::tfjson::{output_value, resource_values};
use dbrail_acceptance_tests::{
    Emulator, EmulatorBackup, EmulatorRds, HarnessError, Workspace, assert_contains, config_header,
    step,
};

const NAME: &str = "pci-gold";
const ADDRESS: &str = "dbrail_backup_policy.gold";
const ROLE: &str = "arn:aws:iam::123456789012:role/backup";
const COPY_REGION: &str = "us-west-2";

/// The policy with `retention` days, under a compliance lock with a 7-day minimum.
fn config(key: &str, retention: u32) -> String {
    let header = config_header();
    format!(
        r#"{header}resource "dbrail_backup_policy" "gold" {{
  name              = "{NAME}"
  tier              = "production"
  vault_kms_key_arn = "{key}"
  backup_role_arn   = "{ROLE}"
  retention_days    = {retention}
  continuous        = true

  copy_to {{
    region = "{COPY_REGION}"
  }}

  vault_lock {{
    mode               = "compliance"
    min_retention_days = 7
    max_retention_days = 35
  }}

  tags = {{
    team = "payments"
  }}
}}
"#
    )
}

fn assert_emulator_holds_policy(backup: &EmulatorBackup, key: &str, retention: i64) -> String {
    let vault = backup.vault(NAME).unwrap().expect("the vault exists");
    assert_eq!(vault.kms_key_arn.as_deref(), Some(key), "{vault:?}");
    assert!(vault.locked && vault.compliance, "{vault:?}");
    assert_eq!(vault.min_retention_days, Some(7), "{vault:?}");
    assert_eq!(vault.max_retention_days, Some(35), "{vault:?}");
    let plan = backup.plan(NAME).unwrap().expect("the plan exists");
    assert_eq!(plan.retention_days, Some(retention), "{plan:?}");
    assert!(plan.continuous, "{plan:?}");
    assert_eq!(
        plan.copies,
        [(
            format!("arn:aws:backup:{COPY_REGION}:123456789012:backup-vault:{NAME}"),
            Some(retention)
        )],
        "{plan:?}"
    );
    let selections = backup.selections(&plan.id).unwrap();
    assert_eq!(selections.len(), 1, "{selections:?}");
    let tags = selections.values().next().unwrap();
    assert_eq!(
        tags.get("dbrail:backup-policy").map(String::as_str),
        Some(NAME),
        "{selections:?}"
    );
    plan.id
}

#[test]
fn lifecycle_create_lock_guard_import_destroy() -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let backup = EmulatorBackup::connect(&emulator)?;
    let key = emulator.create_kms_key()?;
    let ws = Workspace::new(&[("main.tf", &config(&key, 14))], &emulator)?;
    ws.init()?;

    step("plan shows the policy and creates nothing");
    let plan = ws.plan_detailed()?.expect_changes()?;
    assert_contains(&plan.stdout, &format!("{ADDRESS} will be created"));
    assert!(
        backup.vault(NAME)?.is_none(),
        "plan must not create anything"
    );

    step("apply creates vault, lock, plan with copy rule, and the tag selection");
    let apply = ws.apply()?;
    assert_contains(&apply.stdout, "Apply complete! Resources: 1 added");
    let plan_id = assert_emulator_holds_policy(&backup, &key, 14);
    let show = ws.show_json()?;
    let values = resource_values(&show, ADDRESS).expect("policy in state");
    assert_eq!(values["plan_id"], plan_id.as_str());
    assert_eq!(
        values["vault_arn"],
        backup.vault(NAME)?.unwrap().arn.as_str()
    );
    let summary = values["summary"].as_str().unwrap();
    assert_contains(summary, "kept 14 days");
    assert_contains(summary, "compliance mode");
    assert_contains(summary, "dbrail:backup-policy = pci-gold");
    ws.plan_detailed()?.expect_no_changes()?;

    step("raising retention updates the plan in place");
    ws.write_file("main.tf", &config(&key, 21))?;
    let apply = ws.apply()?;
    assert_contains(&apply.stdout, "0 added, 1 changed, 0 destroyed");
    assert_eq!(assert_emulator_holds_policy(&backup, &key, 21), plan_id);
    ws.plan_detailed()?.expect_no_changes()?;

    step("lowering retention under the lock's minimum fails at plan time on the attribute");
    ws.write_file("main.tf", &config(&key, 5))?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "[G7]");
    assert_contains(&failed.stderr, "min_retention_days = 7");
    assert_contains(&failed.stderr, "retention_days    = 5");
    assert_emulator_holds_policy(&backup, &key, 21);
    ws.write_file("main.tf", &config(&key, 21))?;

    step("import by name into a fresh working directory plans no changes");
    let fresh = Workspace::new(&[("main.tf", &config(&key, 21))], &emulator)?;
    fresh.init()?;
    let import = fresh.import(ADDRESS, NAME)?;
    assert_contains(&import.stdout, "Import successful!");
    fresh.plan_detailed()?.expect_no_changes()?;

    step("destroy removes selection, plan and vault");
    let destroy = fresh.destroy()?;
    assert_contains(&destroy.stdout, "Destroy complete! Resources: 1 destroyed.");
    assert!(backup.vault(NAME)?.is_none(), "vault left behind");
    assert!(backup.plan(NAME)?.is_none(), "plan left behind");
    assert!(
        backup.selections(&plan_id).map_or(true, |s| s.is_empty()),
        "selection left behind"
    );
    Ok(())
}

#[test]
fn production_guardrails_fail_at_plan_time() -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let backup = EmulatorBackup::connect(&emulator)?;
    let header = config_header();
    let weak = format!(
        r#"{header}resource "dbrail_backup_policy" "gold" {{
  name            = "{NAME}"
  tier            = "production"
  backup_role_arn = "{ROLE}"
  retention_days  = 3

  vault_lock {{
    mode = "governance"
  }}
}}
"#
    );
    let ws = Workspace::new(&[("main.tf", &weak)], &emulator)?;
    ws.init()?;
    let failed = ws.plan_detailed()?.expect_error()?;
    for expected in [
        "[G6]",
        "retention_days = 3",
        "vault_kms_key_arn is not set",
        "no copy_to",
        "mode = \"governance\"",
    ] {
        assert_contains(&failed.stderr, expected);
    }

    step("a copy_to naming both a region and a vault is refused");
    let both = weak.replace(
        "  vault_lock {",
        "  copy_to {\n    region    = \"us-west-2\"\n    vault_arn = \"arn:aws:backup:us-west-2:123456789012:backup-vault:x\"\n  }\n\n  vault_lock {",
    );
    ws.write_file("main.tf", &both)?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "exactly one of region or vault_arn");

    step("in development the same policy only warns");
    ws.write_file(
        "main.tf",
        &weak
            .replace("\"production\"", "\"development\"")
            .replace("retention_days  = 3", "retention_days  = 7"),
    )?;
    let plan = ws.plan_detailed()?.expect_changes()?;
    // Terraform prints warnings of a successful plan on stdout.
    assert_contains(&plan.stdout, "Warning");
    assert_contains(&plan.stdout, "[G7]");
    assert!(
        backup.vault(NAME)?.is_none(),
        "a failed plan created a vault"
    );
    Ok(())
}

const CLUSTER: &str = "orders";

/// A development policy and a development cluster that opts into it; `cluster_backup` is extra
/// HCL for the cluster's `backup` block, `extra` more configuration (the data source).
fn opt_in_config(key: &str, subnets: &[String], cluster_backup: &str, extra: &str) -> String {
    let header = config_header();
    let subnets = subnets
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        r#"{header}resource "dbrail_backup_policy" "gold" {{
  name              = "{NAME}"
  tier              = "development"
  vault_kms_key_arn = "{key}"
  backup_role_arn   = "{ROLE}"
  retention_days    = 14
}}

resource "dbrail_parameter_baseline" "pg" {{
  name   = "orders-pg16"
  family = "aurora-postgresql16"
}}

resource "dbrail_cluster" "orders" {{
  name               = "{CLUSTER}"
  engine             = "aurora-postgresql"
  engine_version     = "16"
  tier               = "development"
  instance_class     = "db.r6g.large"
  readers            = 0
  subnet_ids         = [{subnets}]
  kms_key_id          = "{key}"
  monitoring_role_arn = "arn:aws:iam::123456789012:role/rds-monitoring"
  deletion_guard      = false
  parameter_baseline = dbrail_parameter_baseline.pg
  backup_policy      = dbrail_backup_policy.gold
{cluster_backup}}}
{extra}"#
    )
}

const STATUS: &str = r#"
data "dbrail_backup_status" "orders" {
  cluster_name = dbrail_cluster.orders.name
  max_age      = "1h"
}

output "evidence" {
  value = data.dbrail_backup_status.orders.summary
}
"#;

#[test]
fn cluster_opts_in_and_backup_status_gates_on_max_age() -> Result<(), HarnessError> {
    let emulator = Emulator::start()?;
    let backup = EmulatorBackup::connect(&emulator)?;
    let rds = EmulatorRds::connect(&emulator)?;
    let key = emulator.create_kms_key()?;
    let subnets: Vec<String> = emulator
        .default_subnets()?
        .into_iter()
        .map(|(id, _)| id)
        .take(2)
        .collect();
    let ws = Workspace::new(
        &[("main.tf", &opt_in_config(&key, &subnets, "", ""))],
        &emulator,
    )?;
    ws.init()?;

    step("the cluster opts in: its tag and retention follow the policy");
    ws.apply()?;
    let cluster = rds.cluster(CLUSTER)?.expect("cluster exists");
    assert_eq!(cluster.backup_retention_period, Some(14), "{cluster:?}");
    assert_eq!(
        cluster.tags.get("dbrail:backup-policy").map(String::as_str),
        Some(NAME),
        "{cluster:?}"
    );
    ws.plan_detailed()?.expect_no_changes()?;

    step("a retention below the policy's floor fails at plan time on the attribute");
    let low = "\n  backup {\n    retention_days = 3\n  }\n";
    ws.write_file("main.tf", &opt_in_config(&key, &subnets, low, ""))?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "backup policy's floor of 14 days");
    assert_contains(&failed.stderr, "retention_days = 3");

    step("backup status with max_age fails while the cluster has no recovery point");
    ws.write_file("main.tf", &opt_in_config(&key, &subnets, "", STATUS))?;
    let failed = ws.plan_detailed()?.expect_error()?;
    assert_contains(&failed.stderr, "has no recovery point");
    assert_contains(&failed.stderr, "max_age");

    step("after a backup job the status reports it and the plan passes");
    let point = backup.start_backup_job(NAME, &cluster.arn, ROLE)?;
    ws.apply()?;
    let outputs = ws.output_json()?;
    let evidence = output_value(&outputs, "evidence").expect("evidence output");
    let evidence = evidence.as_str().unwrap_or_default();
    assert_contains(evidence, "1 recovery point(s)");
    assert_contains(evidence, "point-in-time restore reaches");

    step("destroy leaves nothing behind once the recovery point has expired");
    backup.delete_recovery_point(NAME, &point)?;
    ws.write_file("main.tf", &opt_in_config(&key, &subnets, "", ""))?;
    let destroy = ws.destroy()?;
    assert_contains(&destroy.stdout, "Destroy complete! Resources: 3 destroyed.");
    assert!(backup.vault(NAME)?.is_none(), "vault left behind");
    assert!(backup.plan(NAME)?.is_none(), "plan left behind");
    Ok(())
}
