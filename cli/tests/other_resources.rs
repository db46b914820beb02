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

#[test]
fn each_inline_policy_of_a_role_is_judged_on_its_own() {
    let wildcard = json!({"Statement": [
        {"Effect": "Allow", "Action": ["rds-db:connect"], "Resource": ["*"]}]});
    let scoped = json!({"Statement": [{"Effect": "Allow", "Action": "rds-db:connect",
        "Resource": "arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABCDEFGHIJ/app"}]});
    let mut plan = plan(vec![resource(
        "aws_iam_role.app",
        "aws_iam_role",
        json!({
            "name": "app",
            "assume_role_policy": "{}",
            "inline_policy": [
                {"name": "scoped", "policy": scoped.to_string()},
                {"name": "broad", "policy": wildcard.to_string()},
                {"name": "later", "policy": "{}"},
            ],
        }),
    )]);
    // The third policy's document is unknown until apply; the second's grant is still found.
    plan["planned_values"]["root_module"]["resources"][0]["values"]["inline_policy"][2]
        .as_object_mut()
        .unwrap()
        .remove("policy");
    plan["resource_changes"] = json!([{"address": "aws_iam_role.app", "type": "aws_iam_role",
        "change": {"actions": ["create"],
                   "after_unknown": {"inline_policy": [{}, {}, {"policy": true}]}}}]);
    let report = check(&plan);
    let results: Vec<_> = report
        .entries()
        .map(|(r, e)| (r.address.clone(), e.status, e.attribute.clone()))
        .collect();
    assert_eq!(
        results,
        vec![
            ("aws_iam_role.app".to_owned(), Status::Passed, None),
            (
                "aws_iam_role.app".to_owned(),
                Status::Failed,
                Some("inline_policy[1].policy".to_owned())
            ),
            (
                "aws_iam_role.app".to_owned(),
                Status::Undecided,
                Some("inline_policy[2].policy".to_owned())
            ),
        ]
    );
    assert_eq!(report.summary.resources, 1);
    assert_eq!(report.exit_code, 1);

    let no_inline = plan_with_role(json!([]));
    assert_eq!(check(&no_inline).summary.resources, 0);
}

fn plan_with_role(inline: serde_json::Value) -> serde_json::Value {
    plan(vec![resource(
        "aws_iam_role.bare",
        "aws_iam_role",
        json!({"name": "bare", "inline_policy": inline}),
    )])
}
