//! The binary: exit codes and messages for good, failing and unreadable input.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "helpers outside #[test] functions assert by unwrapping"
)]

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::*;
use serde_json::json;

fn dbrail(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dbrail"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn write_plan(dir: &tempfile::TempDir, plan: &serde_json::Value) -> String {
    let path = dir.path().join("plan.json");
    std::fs::write(&path, serde_json::to_vec(plan).unwrap()).unwrap();
    path.display().to_string()
}

#[test]
fn compliant_plan_exits_zero_and_failing_plan_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_plan(&dir, &aws_plan());
    let output = dbrail(&["policy", "check", &path, "--today", "2026-11-23"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("compliant: 2 resources"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour when not a terminal");

    let mut plan = aws_plan();
    values(&mut plan, "aws_rds_cluster.orders")["deletion_protection"] = json!(false);
    let path = write_plan(&dir, &plan);
    let output = dbrail(&["policy", "check", &path, "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["failed"], 1);
}

#[test]
fn a_waivers_file_waives_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = aws_plan();
    values(&mut plan, "aws_rds_cluster.orders")["deletion_protection"] = json!(false);
    let path = write_plan(&dir, &plan);
    let waivers = dir.path().join("waivers.yaml");
    std::fs::write(
        &waivers,
        "- rule: G4\n  resource: aws_rds_cluster.*\n  reason: migration\n  owner: dba\n  expires: 2099-01-01\n",
    )
    .unwrap();
    let output = dbrail(&[
        "policy",
        "check",
        &path,
        "--waivers",
        &waivers.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("waived G4 at deletion_protection"), "{text}");
}

#[test]
fn truncated_json_exits_two_with_the_byte_offset() {
    let path = fixture("truncated.json");
    let output = dbrail(&["policy", "check", &path]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains(&path), "{message}");
    assert!(
        message.contains("invalid JSON at byte 75 (line 1, column 75)"),
        "{message}"
    );
    assert!(message.contains("truncated"), "{message}");
}

#[test]
fn a_wrong_type_exits_two_with_the_json_path() {
    let output = dbrail(&["policy", "check", &fixture("wrong_type.json")]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("at planned_values.root_module.resources:"),
        "{message}"
    );
    assert!(message.contains("expected a sequence"), "{message}");

    let output = dbrail(&["policy", "check", &fixture("bad_value.json")]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains(
            "at planned_values.root_module.resources[0].values.backup_retention_period: \
             expected a number, found a string"
        ),
        "{message}"
    );
}

#[test]
fn json_that_is_not_a_plan_exits_two() {
    let output = dbrail(&["policy", "check", &fixture("not_a_plan.json")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not a `terraform show -json` document"));
    let dir = tempfile::tempdir().unwrap();
    let path = write_plan(&dir, &json!([1, 2]));
    let output = dbrail(&["policy", "check", &path]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("top-level value is an array"));
}

#[test]
fn usage_errors_and_missing_files_exit_two() {
    for args in [
        &["policy"][..],
        &["policy", "check"],
        &["policy", "check", "a.json", "--format", "xml"],
        &["policy", "check", "a.json", "--tier", "prod"],
        &["policy", "rules", "--format", "html"],
        &["policy", "check", "a.json", "--bogus", "1"],
    ] {
        let output = dbrail(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains("usage:"), "{args:?}");
    }
    let output = dbrail(&["policy", "check", "/nonexistent/plan.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("/nonexistent/plan.json: cannot read the file"));
}

#[test]
fn docs_rules_md_is_up_to_date() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/rules.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == dbrail_cli::catalogue::markdown(),
        "docs/rules.md is stale; regenerate it with \
         `cargo run -p dbrail-cli -- policy rules --format markdown > docs/rules.md`"
    );
    let output = dbrail(&["policy", "rules", "--format", "markdown"]);
    assert_eq!(String::from_utf8(output.stdout).unwrap(), committed);
    let output = dbrail(&["policy", "rules", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["version"], 1);
}
