//! dbrail's own resources, waivers and tiers.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "helpers outside #[test] functions assert by unwrapping"
)]

mod common;

use common::*;
use dbrail_cli::report::Status;
use dbrail_cli::waivers;
use dbrail_rules::Tier;
use serde_json::{Value, json};

const CLUSTER: &str = "dbrail_cluster.orders";

fn effective(family: &str) -> Value {
    let blocks = baseline_parameters(family);
    Value::Object(
        blocks
            .as_array()
            .unwrap()
            .iter()
            .map(|b| (b["name"].as_str().unwrap().to_owned(), b["value"].clone()))
            .collect(),
    )
}

fn dbrail_plan() -> Value {
    plan(vec![
        resource(
            CLUSTER,
            "dbrail_cluster",
            json!({
                "engine": "aurora-postgresql",
                "engine_version": "16.4",
                "kms_key_id": CMK,
                "deletion_guard": true,
                "backup": {"retention_days": 14},
                "backup_policy": {"name": "gold", "retention_days": 14},
                "readers": 1,
                "availability_zones": ["eu-west-1a", "eu-west-1b"],
                "tier": "production",
                "tags": {"owner": "payments"},
                "parameter_baseline": {
                    "name": "orders",
                    "family": "aurora-postgresql16",
                    "cluster_parameter_group_name": "orders-cluster",
                    "instance_parameter_group_name": "orders-instance",
                    "effective_cluster_parameters": effective("aurora-postgresql16"),
                },
            }),
        ),
        resource(
            "dbrail_parameter_baseline.orders",
            "dbrail_parameter_baseline",
            json!({
                "name": "orders",
                "family": "aurora-postgresql16",
                "cluster_parameter_group_name": "orders-cluster",
                "effective_cluster_parameters": effective("aurora-postgresql16"),
                "effective_instance_parameters": {},
            }),
        ),
    ])
}

#[test]
fn a_compliant_dbrail_plan_passes() {
    let report = check(&dbrail_plan());
    assert_eq!(not_passed(&report), vec![]);
    assert_eq!(report.exit_code, 0);
    assert_eq!(
        report.resources.len(),
        2,
        "a baseline's two groups report under one address"
    );
}

#[test]
fn dbrail_findings_use_dbrail_attribute_names() {
    let mut plan = dbrail_plan();
    values(&mut plan, CLUSTER)["deletion_guard"] = json!(false);
    values(&mut plan, CLUSTER)["backup"]["retention_days"] = json!(1);
    let failures = not_passed(&check(&plan));
    assert_eq!(
        failures,
        vec![
            (
                CLUSTER.into(),
                "G4".into(),
                Status::Failed,
                "deletion_guard".into()
            ),
            (
                CLUSTER.into(),
                "G6".into(),
                Status::Failed,
                "backup.retention_days".into()
            ),
        ]
    );
}

#[test]
fn a_weakened_baseline_fails_tls_at_the_cluster() {
    let mut plan = dbrail_plan();
    values(&mut plan, CLUSTER)["parameter_baseline"]["effective_cluster_parameters"]["rds.force_ssl"] =
        json!("0");
    let failures = not_passed(&check(&plan));
    assert!(
        failures.contains(&(
            CLUSTER.into(),
            "G10".into(),
            Status::Failed,
            "parameter_baseline".into()
        )),
        "{failures:#?}"
    );
}

#[test]
fn an_unknown_baseline_leaves_g9_and_g10_undecided() {
    let mut plan = dbrail_plan();
    make_unknown(&mut plan, CLUSTER, "parameter_baseline");
    let report = check(&plan);
    let rules: Vec<_> = not_passed(&report)
        .into_iter()
        .map(|(_, r, s, _)| (r, s))
        .collect();
    assert!(
        rules.contains(&("G10".into(), Status::Undecided)),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("G9".into(), Status::Undecided)),
        "{rules:?}"
    );
    assert_eq!(report.exit_code, 0);
}

#[test]
fn tiers_come_from_the_command_line_else_the_resource() {
    let mut plan = dbrail_plan();
    values(&mut plan, CLUSTER)["tier"] = json!("development");
    values(&mut plan, CLUSTER)["readers"] = json!(0);
    let report = check(&plan);
    let failures = not_passed(&report);
    assert_eq!(failures[0].1, "G12");
    assert_eq!(failures[0].2, Status::Warning);
    assert_eq!(report.exit_code, 0, "warnings do not fail");
    let report = check_with(&plan, &options(Some(Tier::Production)));
    assert_eq!(not_passed(&report)[0].2, Status::Failed);
    assert_eq!(report.exit_code, 1);
}

fn waiver_file(expires: &str) -> Vec<waivers::WaiverEntry> {
    let text = format!(
        "- rule: G4\n  resource: dbrail_cluster.*\n  reason: data migration\n  owner: dba-team\n  expires: {expires}\n"
    );
    waivers::parse("waivers.yaml", text.as_bytes()).unwrap()
}

#[test]
fn a_waived_finding_is_reported_as_waived_and_does_not_fail() {
    let mut plan = dbrail_plan();
    values(&mut plan, CLUSTER)["deletion_guard"] = json!(false);
    let mut options = options(None);
    options.waivers = waiver_file("2026-12-31");
    let report = check_with(&plan, &options);
    let (_, entry) = report.entries().find(|(_, e)| e.rule == "G4").unwrap();
    assert_eq!(entry.status, Status::Waived);
    let waiver = entry.waiver.as_ref().unwrap();
    assert_eq!(
        (waiver.source, waiver.index, waiver.owner.as_str()),
        ("file", 0, "dba-team")
    );
    assert_eq!(report.exit_code, 0);
    assert_eq!(report.summary.waived, 1);
    let text = dbrail_cli::report::render_text(&report, false);
    assert!(text.contains("waived G4 at deletion_guard"), "{text}");
    assert!(
        text.contains("data migration, owner dba-team, expires 2026-12-31"),
        "{text}"
    );
}

#[test]
fn an_expired_waiver_fails_and_is_reported_at_the_waiver() {
    let mut plan = dbrail_plan();
    values(&mut plan, CLUSTER)["deletion_guard"] = json!(false);
    let mut options = options(None);
    options.waivers = waiver_file("2026-01-31");
    let report = check_with(&plan, &options);
    let failures = not_passed(&report);
    assert!(failures.contains(&(
        CLUSTER.into(),
        "G4".into(),
        Status::Failed,
        "deletion_guard".into()
    )));
    assert!(
        failures.contains(&(
            CLUSTER.into(),
            "G4".into(),
            Status::Failed,
            "(waivers file)[0].expires".into()
        )),
        "{failures:#?}"
    );
    assert_eq!(report.exit_code, 1);
}

#[test]
fn waivers_only_cover_matching_addresses() {
    let mut plan = dbrail_plan();
    values(&mut plan, CLUSTER)["deletion_guard"] = json!(false);
    let mut options = options(None);
    options.waivers = waivers::parse(
        "w.json",
        br#"[{"rule":"G4","resource":"dbrail_cluster.other","reason":"r","owner":"o","expires":"2030-01-01"}]"#,
    )
    .unwrap();
    assert_eq!(check_with(&plan, &options).exit_code, 1);
}

#[test]
fn waiver_blocks_of_the_resource_apply_too() {
    let mut plan = dbrail_plan();
    values(&mut plan, CLUSTER)["deletion_guard"] = json!(false);
    values(&mut plan, CLUSTER)["waiver"] =
        json!([{"rule": "G4", "reason": "teardown next week", "expires": "2026-12-01"}]);
    let report = check(&plan);
    let (_, entry) = report.entries().find(|(_, e)| e.rule == "G4").unwrap();
    assert_eq!(entry.status, Status::Waived);
    assert_eq!(entry.waiver.as_ref().unwrap().source, "resource");
}

#[test]
fn json_report_has_a_version_and_every_result() {
    let mut plan = dbrail_plan();
    values(&mut plan, CLUSTER)["deletion_guard"] = json!(false);
    let report = check(&plan);
    let json: Value = serde_json::from_str(&dbrail_cli::report::render_json(&report)).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["exit_code"], 1);
    assert_eq!(json["input_kind"], "plan");
    assert_eq!(json["summary"]["failed"], 1);
    let results = json["resources"][0]["results"].as_array().unwrap();
    let g4 = results.iter().find(|r| r["rule"] == "G4").unwrap();
    assert_eq!(g4["status"], "failed");
    assert_eq!(g4["severity"], "error");
    assert_eq!(g4["attribute"], "deletion_guard");
    assert_eq!(g4["controls"][0]["framework"], "security_hub");
    assert!(results.iter().any(|r| r["status"] == "passed"));
}

#[test]
fn a_state_is_read_like_a_plan_without_unknowns() {
    let plan = dbrail_plan();
    let state = json!({
        "format_version": "1.0",
        "values": {"root_module": plan["planned_values"]["root_module"].clone()},
    });
    let report = check(&state);
    assert_eq!(report.input_kind, "state");
    assert_eq!(not_passed(&report), vec![]);
}
