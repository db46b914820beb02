//! `dbrail_access_role` in a plan: the provider's access rules, reported at the role's address.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "helpers outside #[test] functions assert by unwrapping"
)]

mod common;

use common::*;
use dbrail_cli::report::Status;
use serde_json::json;

fn role(values: serde_json::Value) -> serde_json::Value {
    plan(vec![resource(
        "dbrail_access_role.orders",
        "dbrail_access_role",
        values,
    )])
}

fn good() -> serde_json::Value {
    json!({
        "name": "orders-ro", "tier": "read_only", "engine": "aurora-postgresql",
        "cluster_resource_id": "cluster-ABCDEFGHIJKL", "db_user": "orders_ro",
        "trusted_role_arns": ["arn:aws:iam::111122223333:role/orders"],
        "permissions_boundary_arn": "arn:aws:iam::111122223333:policy/db-boundary",
        "max_session_duration": 3600,
        "policy_json": json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": "rds-db:connect",
            "Resource": "arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABCDEFGHIJKL/orders_ro"}]}).to_string(),
    })
}

#[test]
fn a_least_privilege_role_passes_every_access_rule() {
    let report = check(&role(good()));
    assert_eq!(not_passed(&report), vec![]);
    let rules: Vec<&str> = report.entries().map(|(_, e)| e.rule.as_ref()).collect();
    for id in [
        "DB-IAM-WILDCARD",
        "DB-ACCESS-LEAST-PRIVILEGE",
        "DB-ACCESS-BOUNDARY",
        "DB-ACCESS-SESSION",
        "DB-ACCESS-DB-USER",
        "DB-ACCESS-MFA",
    ] {
        assert!(rules.contains(&id), "{id}: {rules:?}");
    }
}

#[test]
fn the_same_findings_as_at_plan_time_name_the_attribute() {
    let mut values = good();
    values["db_user"] = json!("*");
    values["tier"] = json!("migration");
    values["max_session_duration"] = json!(7200);
    values["permissions_boundary_arn"] = serde_json::Value::Null;
    let report = check(&role(values));
    let failures = not_passed(&report);
    let found: Vec<(&str, &str)> = failures
        .iter()
        .map(|(_, rule, _, attribute)| (rule.as_str(), attribute.as_str()))
        .collect();
    for expected in [
        ("DB-IAM-WILDCARD", "db_user"),
        ("DB-ACCESS-SESSION", "max_session_duration"),
        ("DB-ACCESS-BOUNDARY", "permissions_boundary_arn"),
    ] {
        assert!(found.contains(&expected), "{expected:?}: {found:?}");
    }
    assert!(
        failures
            .iter()
            .all(|(_, _, status, _)| *status == Status::Failed)
    );
    assert_eq!(report.exit_code, 1);
}

#[test]
fn break_glass_trusting_a_service_fails_the_mfa_rule() {
    let mut values = good();
    values["tier"] = json!("break_glass");
    values["trusted_services"] = json!(["ec2.amazonaws.com"]);
    values["policy_json"] = json!({"Statement": [{"Effect": "Allow",
        "Action": ["secretsmanager:GetSecretValue"], "Resource": "arn:aws:secretsmanager:eu-west-1:1:secret:x"}]})
    .to_string()
    .into();
    let failures = not_passed(&check(&role(values)));
    assert!(
        failures
            .iter()
            .any(|(_, r, _, a)| r == "DB-ACCESS-MFA" && a == "trusted_services[0]"),
        "{failures:#?}"
    );
}
