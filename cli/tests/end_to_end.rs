//! End to end: the real `terraform` CLI plans a real dbrail configuration with the real provider
//! against the emulator, and `dbrail policy check` judges `terraform show -json` of that plan.
//!
//! The provider refuses non-compliant dbrail configurations at plan time, so the failing case
//! edits the plan JSON after the fact (as a tampered or hand-made plan would be) and checks
//! that CI catches what the provider would have refused.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test"
)]

use std::process::Command;

use dbrail_acceptance_tests::{Emulator, PROVIDER_SHORT_SOURCE, PROVIDER_VERSION, Workspace, step};
use serde_json::Value;

const MONITORING_ROLE: &str = "arn:aws:iam::123456789012:role/rds-monitoring";

fn config(subnets: &[String], kms_key: &str) -> String {
    let subnets = subnets
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        r#"terraform {{
  required_providers {{
    dbrail = {{
      source  = "{PROVIDER_SHORT_SOURCE}"
      version = "{PROVIDER_VERSION}"
    }}
  }}
}}

provider "dbrail" {{}}

resource "dbrail_parameter_baseline" "pg" {{
  name   = "orders-pg16"
  family = "aurora-postgresql16"
}}

resource "dbrail_cluster" "orders" {{
  name                = "orders"
  engine              = "aurora-postgresql"
  engine_version      = "16"
  tier                = "production"
  instance_class      = "db.r6g.large"
  readers             = 2
  subnet_ids          = [{subnets}]
  kms_key_id          = "{kms_key}"
  monitoring_role_arn = "{MONITORING_ROLE}"
  parameter_baseline  = dbrail_parameter_baseline.pg
  tags                = {{ team = "payments", owner = "orders" }}
}}
"#
    )
}

fn policy_check(plan: &std::path::Path, extra: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_dbrail"))
        .args(["policy", "check"])
        .arg(plan)
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

/// Sets `attribute` of the planned dbrail_cluster to `value`.
fn edit_planned(plan: &mut Value, attribute: &str, value: Value) {
    let resources = plan["planned_values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap();
    let cluster = resources
        .iter_mut()
        .find(|r| r["type"] == "dbrail_cluster")
        .expect("a planned dbrail_cluster");
    cluster["values"][attribute] = value;
}

#[test]
fn a_real_plan_is_checked_and_an_edited_one_fails() {
    let emulator = Emulator::start().unwrap();
    let subnets: Vec<String> = emulator
        .default_subnets()
        .unwrap()
        .into_iter()
        .take(3)
        .map(|(id, _)| id)
        .collect();
    let kms_key = emulator.create_kms_key().unwrap();
    let ws = Workspace::new(&[("main.tf", &config(&subnets, &kms_key))], &emulator).unwrap();
    step("init and plan");
    ws.init().unwrap();
    ws.run_ok(&["plan", "-input=false", "-no-color", "-out=tfplan"])
        .unwrap();
    let shown = ws
        .run_ok(&["show", "-json", "-no-color", "tfplan"])
        .unwrap();
    let plan_path = ws.dir().join("plan.json");
    std::fs::write(&plan_path, &shown.stdout).unwrap();

    step("the compliant plan passes");
    let (code, text) = policy_check(&plan_path, &[]);
    eprintln!("{text}");
    assert_eq!(code, 0, "{text}");
    let (code, text) = policy_check(&plan_path, &["--format", "json"]);
    assert_eq!(code, 0, "{text}");
    let report: Value = serde_json::from_str(&text).unwrap();
    let addresses: Vec<&str> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["address"].as_str().unwrap())
        .collect();
    assert!(
        addresses.contains(&"dbrail_cluster.orders"),
        "{addresses:?}"
    );
    assert!(
        addresses.contains(&"dbrail_parameter_baseline.pg"),
        "{addresses:?}"
    );

    step("deletion_guard = false in the planned values fails G4 in production");
    let mut plan: Value = serde_json::from_str(&shown.stdout).unwrap();
    edit_planned(&mut plan, "deletion_guard", Value::Bool(false));
    let edited = ws.dir().join("edited.json");
    std::fs::write(&edited, serde_json::to_vec(&plan).unwrap()).unwrap();
    let (code, text) = policy_check(&edited, &["--tier", "production"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("FAILED G4 at deletion_guard"), "{text}");

    step("a waiver turns it into a reported, non-failing result");
    let waivers = ws.dir().join("waivers.yaml");
    std::fs::write(
        &waivers,
        "- rule: G4\n  resource: dbrail_cluster.orders\n  reason: decommissioning\n  owner: dba\n  expires: 2099-12-31\n",
    )
    .unwrap();
    let waivers = waivers.display().to_string();
    let (code, text) = policy_check(&edited, &["--tier", "production", "--waivers", &waivers]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("waived G4 at deletion_guard"), "{text}");
    assert!(text.contains("decommissioning, owner dba"), "{text}");
}
