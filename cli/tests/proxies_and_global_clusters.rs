//! `aws_db_proxy` (G5, G10) and `aws_rds_global_cluster` (G1, G4).

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "helpers outside #[test] functions assert by unwrapping"
)]

mod common;

use common::*;
use dbrail_cli::report::{Report, Status};
use dbrail_rules::Tier;
use serde_json::{Value, json};

const PROXY: &str = "aws_db_proxy.orders";
const GLOBAL: &str = "aws_rds_global_cluster.orders";

/// `(rule, status, attribute)` of every result of `address`, passes included.
fn results(report: &Report, address: &str) -> Vec<(String, Status, String)> {
    report
        .entries()
        .filter(|(r, _)| r.address == address)
        .map(|(_, e)| {
            (
                e.rule.to_string(),
                e.status,
                e.attribute.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn row(rule: &str, status: Status, attribute: &str) -> (String, Status, String) {
    (rule.to_owned(), status, attribute.to_owned())
}

fn proxy(values: Value) -> Value {
    plan(vec![resource(PROXY, "aws_db_proxy", values)])
}

fn compliant_proxy() -> Value {
    proxy(json!({
        "name": "orders",
        "engine_family": "POSTGRESQL",
        "require_tls": true,
        "default_auth_scheme": "NONE",
        "auth": [{"auth_scheme": "SECRETS", "iam_auth": "REQUIRED",
                  "secret_arn": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:orders"}],
    }))
}

#[test]
fn a_proxy_requiring_tls_and_iam_passes() {
    let report = check(&compliant_proxy());
    assert_eq!(
        results(&report, PROXY),
        [
            row("G5", Status::Passed, ""),
            row("G10", Status::Passed, "")
        ]
    );
    assert_eq!(report.exit_code, 0);
}

#[test]
fn a_proxy_without_tls_or_required_iam_fails_at_its_own_arguments() {
    let report = check_with(
        &proxy(json!({
            "name": "orders",
            "engine_family": "MYSQL",
            "auth": [{"auth_scheme": "SECRETS", "iam_auth": "REQUIRED"},
                     {"auth_scheme": "SECRETS", "iam_auth": "DISABLED"}],
        })),
        &options(Some(Tier::Development)),
    );
    assert_eq!(
        results(&report, PROXY),
        [
            row("G5", Status::Failed, "auth[1].iam_auth"),
            row("G10", Status::Failed, "require_tls"),
        ]
    );
    assert_eq!(report.exit_code, 1);
    let text = dbrail_cli::report::render_text(&report, false);
    assert!(text.contains("AWS Security Hub RDS.43"), "{text}");
}

#[test]
fn a_proxy_with_values_unknown_until_apply_is_undecided() {
    let mut plan = compliant_proxy();
    make_unknown(&mut plan, PROXY, "require_tls");
    make_unknown(&mut plan, PROXY, "auth");
    let report = check(&plan);
    assert_eq!(
        results(&report, PROXY),
        [
            row("G5", Status::Undecided, "auth"),
            row("G10", Status::Undecided, "require_tls"),
        ]
    );
    assert_eq!(report.exit_code, 0);
}

fn global(values: Value) -> Value {
    plan(vec![resource(GLOBAL, "aws_rds_global_cluster", values)])
}

#[test]
fn an_encrypted_protected_global_cluster_passes_without_a_key_of_its_own() {
    let report = check(&global(json!({
        "global_cluster_identifier": "orders",
        "engine": "aurora-postgresql",
        "storage_encrypted": true,
        "deletion_protection": true,
    })));
    assert_eq!(
        results(&report, GLOBAL),
        [row("G1", Status::Passed, ""), row("G4", Status::Passed, "")]
    );
}

#[test]
fn an_unencrypted_unprotected_global_cluster_fails_by_aws_defaults() {
    let report = check(&global(json!({
        "global_cluster_identifier": "orders",
        "engine": "aurora-postgresql",
    })));
    assert_eq!(
        results(&report, GLOBAL),
        [
            row("G1", Status::Failed, "storage_encrypted"),
            row("G4", Status::Failed, "deletion_protection"),
        ]
    );
    // Unset is reported as unset, with AWS's default, not as an explicit `false`.
    let g1 = report
        .entries()
        .find(|(r, e)| r.address == GLOBAL && e.rule == "G1")
        .map(|(_, e)| e.message.clone())
        .unwrap();
    assert!(g1.starts_with("storage_encrypted is not set"), "{g1}");
    let staging = check_with(
        &global(
            json!({"global_cluster_identifier": "orders", "storage_encrypted": true,
                       "deletion_protection": false}),
        ),
        &options(Some(Tier::Staging)),
    );
    assert_eq!(
        results(&staging, GLOBAL),
        [
            row("G1", Status::Passed, ""),
            row("G4", Status::Warning, "deletion_protection"),
        ]
    );
}

#[test]
fn a_global_cluster_whose_encryption_follows_a_source_cluster_is_undecided() {
    let mut unknown = global(json!({
        "global_cluster_identifier": "orders",
        "deletion_protection": true,
    }));
    make_unknown(&mut unknown, GLOBAL, "storage_encrypted");
    let from_source = global(json!({
        "global_cluster_identifier": "orders",
        "source_db_cluster_identifier": "arn:aws:rds:eu-west-1:111122223333:cluster:orders",
        "deletion_protection": true,
    }));
    for plan in [unknown, from_source] {
        assert_eq!(
            results(&check(&plan), GLOBAL),
            [
                row("G1", Status::Undecided, "storage_encrypted"),
                row("G4", Status::Passed, ""),
            ]
        );
    }
}

#[test]
fn every_format_reports_the_new_resources() {
    let mut resources = vec![
        resource(
            PROXY,
            "aws_db_proxy",
            json!({"name": "orders", "require_tls": false}),
        ),
        resource(
            GLOBAL,
            "aws_rds_global_cluster",
            json!({"storage_encrypted": false}),
        ),
    ];
    resources.push(resource(
        "aws_db_cluster_snapshot.nightly",
        "aws_db_cluster_snapshot",
        json!({"storage_encrypted": true, "shared_accounts": ["all"]}),
    ));
    let report = check(&plan(resources));
    for rendered in [
        dbrail_cli::report::render_sarif(&report),
        dbrail_cli::report::render_junit(&report),
        dbrail_cli::report::render_gitlab(&report),
        dbrail_cli::report::render_json(&report),
        dbrail_cli::report::render_text(&report, false),
    ] {
        for address in [PROXY, GLOBAL, "aws_db_cluster_snapshot.nightly"] {
            assert!(
                rendered.contains(address),
                "{address} missing from {rendered}"
            );
        }
    }
}
