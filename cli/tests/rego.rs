//! Custom Rego rules from `--policy-dir`.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test")]

mod common;

use common::*;
use dbrail_cli::check_plan_with_policies;
use dbrail_cli::rego::PolicySet;
use dbrail_cli::report::Status;
use serde_json::json;

const POLICY: &str = r#"package dbrail.custom

import rego.v1

deny contains {"msg": sprintf("instance class policy: %d readers is too few", [input.subject.readers]), "rule": "ORG-READERS", "attribute": "readers", "fix": "run at least 1 reader"} if {
    input.kind == "cluster"
    input.subject.readers < 1
}

warn contains {"msg": "no cost-center tag", "rule": "ORG-COST", "attribute": "tags"} if {
    input.kind == "cluster"
    not input.subject.tags["cost-center"]
}

deny contains {"msg": "deletion protection unknown", "rule": "ORG-UNKNOWN"} if {
    "deletion_protection" in input.unknown
}
"#;

fn policies(text: &str) -> (tempfile::TempDir, PolicySet) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("org.rego"), text).unwrap();
    let set = PolicySet::load(&dir.path().display().to_string()).unwrap();
    (dir, set)
}

fn run(plan: &serde_json::Value, set: &mut PolicySet) -> dbrail_cli::report::Report {
    let bytes = serde_json::to_vec(plan).unwrap();
    check_plan_with_policies("plan.json", &bytes, &options(None), Some(set)).unwrap()
}

#[test]
fn deny_and_warn_become_findings() {
    let (_dir, mut set) = policies(POLICY);
    let report = run(&aws_plan(), &mut set);
    let custom: Vec<_> = not_passed(&report);
    assert_eq!(
        custom,
        vec![(
            "aws_rds_cluster.orders".to_owned(),
            "ORG-COST".to_owned(),
            Status::Warning,
            "tags".to_owned()
        )]
    );
    assert_eq!(report.exit_code, 0);

    let mut plan = aws_plan();
    values(&mut plan, "aws_rds_cluster_instance.reader")["cluster_identifier"] = json!("other");
    let report = run(&plan, &mut set);
    let (_, entry) = report
        .entries()
        .find(|(_, e)| e.rule == "ORG-READERS")
        .unwrap();
    assert_eq!(entry.status, Status::Failed);
    assert_eq!(entry.message, "instance class policy: 0 readers is too few");
    assert_eq!(entry.fix, "run at least 1 reader");
    assert_eq!(report.exit_code, 1);
    // Every format carries it.
    assert!(dbrail_cli::report::render_sarif(&report).contains("ORG-READERS"));
    assert!(dbrail_cli::report::render_junit(&report).contains("ORG-READERS"));
    assert!(dbrail_cli::report::render_gitlab(&report).contains("ORG-READERS"));
    assert!(
        dbrail_cli::report::render_text(&report, false).contains("FAILED ORG-READERS at readers")
    );
}

#[test]
fn unknown_values_are_listed_in_the_input() {
    let (_dir, mut set) = policies(POLICY);
    let mut plan = aws_plan();
    make_unknown(&mut plan, "aws_rds_cluster.orders", "deletion_protection");
    let report = run(&plan, &mut set);
    assert!(
        report
            .entries()
            .any(|(_, e)| e.rule == "ORG-UNKNOWN" && e.status == Status::Failed)
    );
}

#[test]
fn invalid_rego_is_an_input_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.rego"),
        "package x\n deny contains {",
    )
    .unwrap();
    let error = PolicySet::load(&dir.path().display().to_string()).unwrap_err();
    assert!(error.to_string().contains("broken.rego"), "{error}");
    let empty = tempfile::tempdir().unwrap();
    assert!(PolicySet::load(&empty.path().display().to_string()).is_err());
}
