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

const SNAPSHOT_POLICY: &str = r#"package dbrail.snapshots

import rego.v1

deny contains {"msg": sprintf("snapshot of %s", [input.subject.encryption_source]), "rule": "ORG-SNAPSHOT", "attribute": "shared_accounts"} if {
    input.kind == "snapshot"
    count(input.subject.shared_accounts) > 0
}

warn contains {"msg": "proxy auth unknown", "rule": "ORG-PROXY"} if {
    input.kind == "proxy"
    "auth.0.iam_auth" in input.unknown
    input.subject.require_tls == false
}

warn contains {"msg": "global cluster", "rule": "ORG-GLOBAL"} if {
    input.kind == "global_cluster"
    input.subject.deletion_protection
    input.subject.storage_encrypted == null
}
"#;

#[test]
fn snapshots_proxies_and_global_clusters_have_views() {
    let (_dir, mut set) = policies(SNAPSHOT_POLICY);
    let mut plan = plan(vec![
        resource(
            "aws_rds_cluster.legacy",
            "aws_rds_cluster",
            json!({"cluster_identifier": "legacy", "storage_encrypted": true}),
        ),
        resource(
            "aws_db_cluster_snapshot.nightly",
            "aws_db_cluster_snapshot",
            json!({"db_cluster_identifier": "legacy", "shared_accounts": ["111122223333"]}),
        ),
        resource(
            "aws_db_proxy.orders",
            "aws_db_proxy",
            json!({"require_tls": false, "auth": [{"auth_scheme": "SECRETS"}]}),
        ),
        resource(
            "aws_rds_global_cluster.orders",
            "aws_rds_global_cluster",
            json!({"deletion_protection": true}),
        ),
    ]);
    plan["resource_changes"] = json!([
        {"address": "aws_db_cluster_snapshot.nightly",
         "change": {"actions": ["create"], "after_unknown": {"storage_encrypted": true}}},
        {"address": "aws_db_proxy.orders",
         "change": {"actions": ["create"], "after_unknown": {"auth": [{"iam_auth": true}]}}},
        {"address": "aws_rds_global_cluster.orders",
         "change": {"actions": ["create"], "after_unknown": {"storage_encrypted": true}}},
    ]);
    let report = run(&plan, &mut set);
    let custom: Vec<(String, String, String)> = report
        .entries()
        .filter(|(_, e)| e.rule.starts_with("ORG-"))
        .map(|(r, e)| (r.address.clone(), e.rule.to_string(), e.message.clone()))
        .collect();
    assert_eq!(
        custom,
        [
            (
                "aws_db_cluster_snapshot.nightly".to_owned(),
                "ORG-SNAPSHOT".to_owned(),
                "snapshot of aws_rds_cluster.legacy".to_owned()
            ),
            (
                "aws_db_proxy.orders".to_owned(),
                "ORG-PROXY".to_owned(),
                "proxy auth unknown".to_owned()
            ),
            (
                "aws_rds_global_cluster.orders".to_owned(),
                "ORG-GLOBAL".to_owned(),
                "global cluster".to_owned()
            ),
        ]
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
