//! `aws_db_cluster_snapshot` and `aws_db_snapshot` (G2), alone and joined with the cluster or
//! instance they are taken from.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "helpers outside #[test] functions assert by unwrapping"
)]

mod common;

use common::*;
use dbrail_cli::report::{Entry, Report, Status};
use serde_json::{Value, json};

const SNAPSHOT: &str = "aws_db_cluster_snapshot.nightly";
const INSTANCE_SNAPSHOT: &str = "aws_db_snapshot.legacy";

fn cluster_snapshot(values: Value) -> Value {
    resource(SNAPSHOT, "aws_db_cluster_snapshot", values)
}

/// The G2 results of `address`.
fn g2<'r>(report: &'r Report, address: &str) -> Vec<&'r Entry> {
    let found: Vec<&Entry> = report
        .entries()
        .filter(|(r, e)| r.address == address && e.rule == "G2")
        .map(|(_, e)| e)
        .collect();
    assert!(!found.is_empty(), "no G2 result for {address}");
    found
}

/// Only G2 applies to a snapshot.
fn only_g2(report: &Report, address: &str) {
    let other: Vec<_> = report
        .entries()
        .filter(|(r, e)| r.address == address && e.rule != "G2")
        .map(|(_, e)| e.rule.to_string())
        .collect();
    assert!(other.is_empty(), "{other:?}");
}

#[test]
fn an_encrypted_snapshot_shared_with_named_accounts_passes() {
    let report = check(&plan(vec![cluster_snapshot(json!({
        "db_cluster_identifier": "orders",
        "db_cluster_snapshot_identifier": "nightly",
        "storage_encrypted": true,
        "shared_accounts": ["111122223333"],
    }))]));
    let results = g2(&report, SNAPSHOT);
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].status, Status::Passed);
    only_g2(&report, SNAPSHOT);
    assert_eq!(report.exit_code, 0);
}

#[test]
fn a_public_or_unencrypted_snapshot_fails_in_every_tier() {
    let report = check_with(
        &plan(vec![cluster_snapshot(json!({
            "db_cluster_identifier": "orders",
            "db_cluster_snapshot_identifier": "nightly",
            "storage_encrypted": false,
            "shared_accounts": ["111122223333", "all"],
        }))]),
        &options(Some(dbrail_rules::Tier::Development)),
    );
    let failed: Vec<(Status, String)> = g2(&report, SNAPSHOT)
        .iter()
        .map(|e| (e.status, e.attribute.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        failed,
        [
            (Status::Failed, "storage_encrypted".to_owned()),
            (Status::Failed, "shared_accounts".to_owned()),
        ]
    );
    assert_eq!(report.exit_code, 1);
    let text = dbrail_cli::report::render_text(&report, false);
    assert!(text.contains("G2 at shared_accounts"), "{text}");
    assert!(text.contains("AWS Security Hub RDS.4"), "{text}");
}

#[test]
fn encryption_unknown_until_apply_without_its_source_is_undecided() {
    let mut plan = plan(vec![cluster_snapshot(json!({
        "db_cluster_identifier": "elsewhere",
        "db_cluster_snapshot_identifier": "nightly",
        "shared_accounts": [],
    }))]);
    make_unknown(&mut plan, SNAPSHOT, "storage_encrypted");
    let report = check(&plan);
    let results = g2(&report, SNAPSHOT);
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].status, Status::Undecided);
    assert_eq!(results[0].attribute.as_deref(), Some("storage_encrypted"));
    assert_eq!(report.exit_code, 0, "undecided does not fail");

    let mut plan = plan_with_unknown_accounts();
    make_unknown(&mut plan, SNAPSHOT, "storage_encrypted");
    let statuses: Vec<Status> = g2(&check(&plan), SNAPSHOT)
        .iter()
        .map(|e| e.status)
        .collect();
    assert_eq!(statuses, [Status::Undecided, Status::Undecided]);
}

fn plan_with_unknown_accounts() -> Value {
    let mut plan = plan(vec![cluster_snapshot(json!({
        "db_cluster_identifier": "elsewhere",
        "db_cluster_snapshot_identifier": "nightly",
    }))]);
    make_unknown(&mut plan, SNAPSHOT, "shared_accounts");
    plan
}

/// A plan with the compliant AWS cluster, an unencrypted one, and a snapshot whose
/// `db_cluster_identifier` is unknown until apply and references `source`.
fn referencing(source: &str) -> Value {
    let mut resources = aws_resources();
    resources.push(resource(
        "aws_rds_cluster.legacy",
        "aws_rds_cluster",
        json!({"engine": "aurora-postgresql", "storage_encrypted": false}),
    ));
    resources.push(cluster_snapshot(json!({
        "db_cluster_snapshot_identifier": "nightly",
        "shared_accounts": [],
    })));
    let mut plan = plan(resources);
    make_unknown(&mut plan, SNAPSHOT, "db_cluster_identifier");
    make_unknown(&mut plan, SNAPSHOT, "storage_encrypted");
    plan["configuration"]["root_module"]["resources"] = json!([{
        "address": SNAPSHOT,
        "expressions": {"db_cluster_identifier": {"references": [
            format!("{source}.id"), source
        ]}}
    }]);
    plan
}

#[test]
fn a_snapshot_takes_its_encryption_from_the_cluster_it_references() {
    let report = check(&referencing("aws_rds_cluster.legacy"));
    let results = g2(&report, SNAPSHOT);
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].status, Status::Failed);
    assert_eq!(results[0].attribute.as_deref(), Some("storage_encrypted"));
    assert!(
        results[0].message.contains("aws_rds_cluster.legacy"),
        "{}",
        results[0].message
    );

    let report = check(&referencing("aws_rds_cluster.orders"));
    assert_eq!(g2(&report, SNAPSHOT)[0].status, Status::Passed);
}

#[test]
fn a_snapshot_finds_its_cluster_by_identifier_and_its_own_known_setting_wins() {
    let mut resources = aws_resources();
    resources.push(cluster_snapshot(json!({
        "db_cluster_identifier": "orders",
        "db_cluster_snapshot_identifier": "nightly",
    })));
    let mut joined = plan(resources);
    make_unknown(&mut joined, SNAPSHOT, "storage_encrypted");
    assert_eq!(g2(&check(&joined), SNAPSHOT)[0].status, Status::Passed);

    // In a state the snapshot states its encryption, which is what AWS did.
    values(&mut joined, SNAPSHOT)["storage_encrypted"] = json!(false);
    joined["resource_changes"] = json!([]);
    let report = check(&joined);
    let results = g2(&report, SNAPSHOT);
    assert_eq!(results[0].status, Status::Failed);
    assert!(!results[0].message.contains("aws_rds_cluster.orders"));
}

#[test]
fn an_instance_snapshot_is_judged_in_its_own_vocabulary() {
    let instance = resource(
        "aws_db_instance.legacy",
        "aws_db_instance",
        json!({"identifier": "legacy", "engine": "postgres", "storage_encrypted": false}),
    );
    let snapshot = resource(
        INSTANCE_SNAPSHOT,
        "aws_db_snapshot",
        json!({"db_instance_identifier": "legacy", "db_snapshot_identifier": "legacy-1",
               "shared_accounts": ["all"]}),
    );
    let mut plan = plan(vec![instance, snapshot]);
    make_unknown(&mut plan, INSTANCE_SNAPSHOT, "encrypted");
    let report = check(&plan);
    let failed: Vec<(Status, String)> = g2(&report, INSTANCE_SNAPSHOT)
        .iter()
        .map(|e| (e.status, e.attribute.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        failed,
        [
            (Status::Failed, "encrypted".to_owned()),
            (Status::Failed, "shared_accounts".to_owned()),
        ]
    );
    only_g2(&report, INSTANCE_SNAPSHOT);
}
