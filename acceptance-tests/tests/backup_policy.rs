//! `dbrail_backup_policy`, end to end: the real terraform CLI drives the real provider against
//! the emulator (moto plus dbrail's Backup selections extension), and every step is checked in
//! what terraform says and in what the emulator holds, read through the harness's own client.
//!
//! One lifecycle test covers create (vault with key and compliance lock, plan with continuous
//! backup and a cross-region copy, tag selection), the plan-time refusal to lower retention under
//! the lock, import by name and destroy leaving nothing behind. A second test covers the
//! production guardrails and configuration errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use dbrail_acceptance_tests::tfjson::resource_values;
use dbrail_acceptance_tests::{
    Emulator, EmulatorBackup, HarnessError, Workspace, assert_contains, config_header, step,
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
