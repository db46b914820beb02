//! `aws_db_instance` (best effort) and IAM policy documents.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "helpers outside #[test] functions assert by unwrapping"
)]

mod common;

use common::*;
use dbrail_cli::report::Status;
use serde_json::json;

fn instance(values: serde_json::Value) -> serde_json::Value {
    plan(vec![resource(
        "aws_db_instance.legacy",
        "aws_db_instance",
        values,
    )])
}

#[test]
fn a_db_instance_gets_the_cluster_rules_that_mean_something_for_it() {
    let report = check(&instance(json!({
        "engine": "postgres", "engine_version": "16.3", "storage_encrypted": false,
        "publicly_accessible": true, "deletion_protection": false, "username": "postgres",
        "backup_retention_period": 7, "tags_all": {},
    })));
    let failures = not_passed(&report);
    let rules: Vec<&str> = failures.iter().map(|(_, r, ..)| r.as_str()).collect();
    for expected in ["G1", "G3", "G4", "G5", "G15"] {
        assert!(rules.contains(&expected), "{expected}: {failures:#?}");
    }
    for skipped in ["G9", "G10", "G12", "DB-LOG-STATEMENT"] {
        assert!(
            report.entries().all(|(_, e)| e.rule != skipped),
            "{skipped}"
        );
    }
    assert!(
        failures
            .iter()
            .any(|(_, r, _, a)| r == "G15" && a == "username")
    );
}

fn policy(kind: &str, attribute: &str, document: serde_json::Value) -> serde_json::Value {
    plan(vec![resource(
        &format!("{kind}.db"),
        kind,
        json!({ attribute: document.to_string() }),
    )])
}

#[test]
fn wildcard_database_grants_fail_and_scoped_ones_pass() {
    let wildcard = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "rds-db:connect", "Resource": "*"}]});
    let report = check(&policy("aws_iam_policy", "policy", wildcard.clone()));
    let failures = not_passed(&report);
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].1, "DB-IAM-WILDCARD");
    assert_eq!(failures[0].2, Status::Failed);
    assert_eq!(report.exit_code, 1);

    let mut data = policy("aws_iam_policy_document", "json", wildcard);
    data["planned_values"]["root_module"]["resources"][0]["mode"] = json!("data");
    assert_eq!(check(&data).exit_code, 1);

    let scoped = json!({"Statement": [{"Effect": "Allow", "Action": "rds-db:connect",
        "Resource": "arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABCDEFGHIJ/app"}]});
    let report = check(&policy("aws_iam_role_policy", "policy", scoped));
    assert_eq!(not_passed(&report), vec![]);
}

#[test]
fn an_unknown_policy_is_undecided() {
    let mut plan = policy("aws_iam_policy", "policy", json!({}));
    make_unknown(&mut plan, "aws_iam_policy.db", "policy");
    let failures = not_passed(&check(&plan));
    assert_eq!(failures[0].2, Status::Undecided);
}
