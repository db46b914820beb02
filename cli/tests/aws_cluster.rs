//! `aws_rds_cluster` plans: one passing and one failing fixture per cluster rule.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "helpers outside #[test] functions assert by unwrapping"
)]

mod common;

use common::*;
use dbrail_cli::report::Status;
use serde_json::json;

#[test]
fn the_compliant_aws_plan_passes_every_rule() {
    let report = check(&aws_plan());
    assert_eq!(not_passed(&report), vec![], "{report:#?}");
    assert_eq!(report.exit_code, 0);
    let cluster = &report.resources[0];
    assert_eq!(cluster.address, "aws_rds_cluster.orders");
    assert_eq!(
        cluster.instances,
        [
            "aws_rds_cluster_instance.writer",
            "aws_rds_cluster_instance.reader"
        ]
    );
}

const CLUSTER: &str = "aws_rds_cluster.orders";
const WRITER: &str = "aws_rds_cluster_instance.writer";
const READER: &str = "aws_rds_cluster_instance.reader";
const GROUP: &str = "aws_rds_cluster_parameter_group.orders";

fn set_parameter(plan: &mut serde_json::Value, name: &str, value: &str) {
    let blocks = values(plan, GROUP)["parameter"].as_array_mut().unwrap();
    blocks.retain(|b| b["name"] != name);
    blocks.push(json!({"name": name, "value": value, "apply_method": "immediate"}));
}

type Mutation = fn(&mut serde_json::Value);

/// For each cluster rule: a change to the compliant plan that breaks it, and the attribute the
/// finding must name (in aws_rds_cluster's vocabulary).
const BREAKS: &[(&str, &str, Mutation)] = &[
    ("G1", "storage_encrypted", |p| {
        values(p, CLUSTER)["storage_encrypted"] = json!(false);
    }),
    ("G3", "publicly_accessible", |p| {
        values(p, READER)["publicly_accessible"] = json!(true);
    }),
    ("G4", "deletion_protection", |p| {
        values(p, CLUSTER)["deletion_protection"] = json!(false);
    }),
    ("G5", "iam_database_authentication_enabled", |p| {
        values(p, CLUSTER)["iam_database_authentication_enabled"] = json!(false);
    }),
    ("G6", "backup_retention_period", |p| {
        values(p, CLUSTER)["backup_retention_period"] = json!(1);
    }),
    ("G7", "(backup selection)", |p| {
        values(p, SELECTION)["resources"] =
            json!(["arn:aws:rds:eu-west-1:111122223333:cluster:payments"]);
    }),
    ("G8", "enabled_cloudwatch_logs_exports", |p| {
        values(p, CLUSTER)["enabled_cloudwatch_logs_exports"] = json!([]);
    }),
    ("G9", "db_cluster_parameter_group_name", |p| {
        set_parameter(p, "pgaudit.log", "none");
    }),
    ("G10", "db_cluster_parameter_group_name", |p| {
        set_parameter(p, "rds.force_ssl", "0");
    }),
    ("G11", "auto_minor_version_upgrade", |p| {
        values(p, WRITER)["auto_minor_version_upgrade"] = json!(false);
    }),
    ("G12", "(instances)", |p| {
        values(p, READER)["availability_zone"] = json!("eu-west-1a");
    }),
    ("G13", "monitoring_interval", |p| {
        values(p, READER)["monitoring_interval"] = json!(0);
    }),
    ("G14", "copy_tags_to_snapshot", |p| {
        values(p, CLUSTER)["copy_tags_to_snapshot"] = json!(false);
    }),
    ("G15", "master_username", |p| {
        values(p, CLUSTER)["master_username"] = json!("postgres");
    }),
    ("G18", "manage_master_user_password", |p| {
        values(p, CLUSTER)["manage_master_user_password"] = json!(false);
    }),
];

/// Rules whose breakage is a warning in every tier, never an error.
const WARNING_ONLY: &[&str] = &["G7"];

#[test]
fn every_cluster_rule_fails_on_its_own_breakage_at_the_aws_attribute() {
    for (rule, attribute, mutate) in BREAKS {
        let mut plan = aws_plan();
        mutate(&mut plan);
        let report = check(&plan);
        let at_cluster: Vec<_> = not_passed(&report)
            .into_iter()
            .filter(|(address, ..)| address == CLUSTER)
            .collect();
        // A cluster no selection covers is a warning in every tier (G7): the plan cannot see
        // selections made elsewhere.
        let (status, exit_code) = if WARNING_ONLY.contains(rule) {
            (Status::Warning, 0)
        } else {
            (Status::Failed, 1)
        };
        assert!(
            at_cluster
                .iter()
                .any(|(_, r, s, attr)| r == rule && *s == status && attr.starts_with(attribute)),
            "{rule}: {at_cluster:#?}"
        );
        assert!(
            at_cluster.iter().all(|(_, r, ..)| r == rule),
            "{rule} broke other rules too: {at_cluster:#?}"
        );
        assert_eq!(report.exit_code, exit_code, "{rule}");
        // Messages and fixes name the arguments of aws_rds_cluster, not dbrail_cluster's.
        for (_, entry) in report
            .entries()
            .filter(|(r, e)| r.address == CLUSTER && e.status != Status::Passed)
        {
            for dbrail_only in DBRAIL_ONLY_NAMES {
                for text in [&entry.message, &entry.fix] {
                    assert!(!mentions(text, dbrail_only), "{rule}: {text}");
                }
            }
        }
    }
}

/// `dbrail_cluster` argument names that `aws_rds_cluster` spells differently.
const DBRAIL_ONLY_NAMES: [&str; 6] = [
    "deletion_guard",
    "iam_database_authentication",
    "backup.retention_days",
    "log_exports",
    "performance_insights",
    "parameter_baseline",
];

/// Whether `text` has `name` as a whole word.
fn mentions(text: &str, name: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(name).any(|(at, _)| {
        !text[..at].ends_with(|c: char| word(c) || c == '.')
            && !text[at + name.len()..].starts_with(word)
    })
}

#[test]
fn every_cluster_rule_of_the_catalogue_has_a_breakage() {
    for rule in dbrail_rules::catalogue() {
        if rule
            .applies_to
            .contains(&dbrail_rules::SubjectKind::Cluster)
        {
            assert!(
                BREAKS.iter().any(|(id, ..)| *id == rule.id),
                "no failing fixture for {}",
                rule.id
            );
        }
    }
}

#[test]
fn instance_level_findings_name_the_instances() {
    let mut plan = aws_plan();
    values(&mut plan, READER)["publicly_accessible"] = json!(true);
    let report = check(&plan);
    let (_, entry) = report
        .entries()
        .find(|(r, e)| r.address == CLUSTER && e.rule == "G3")
        .unwrap();
    assert!(entry.instance_level);
    let text = dbrail_cli::report::render_text(&report, false);
    assert!(text.contains("G3 at publicly_accessible (on aws_rds_cluster_instance.writer, aws_rds_cluster_instance.reader)"), "{text}");
    assert!(text.contains("AWS Security Hub RDS.2"), "{text}");
}

#[test]
fn a_group_referenced_before_its_name_is_known_is_followed_through_the_configuration() {
    let mut plan = aws_plan();
    set_parameter(&mut plan, "rds.force_ssl", "0");
    make_unknown(&mut plan, CLUSTER, "db_cluster_parameter_group_name");
    make_unknown(&mut plan, GROUP, "name");
    plan["configuration"]["root_module"]["resources"] = json!([{
        "address": CLUSTER,
        "expressions": {"db_cluster_parameter_group_name": {"references": [
            "aws_rds_cluster_parameter_group.orders.name", "aws_rds_cluster_parameter_group.orders"
        ]}}
    }]);
    let report = check(&plan);
    let failures = not_passed(&report);
    assert!(
        failures.contains(&(
            CLUSTER.to_owned(),
            "G10".to_owned(),
            Status::Failed,
            "db_cluster_parameter_group_name".to_owned()
        )),
        "{failures:#?}"
    );
    // The group itself fails too, at its own parameter block.
    assert!(
        failures.iter().any(|(a, r, _, attr)| a == GROUP
            && r == "G10"
            && attr == "parameter[\"rds.force_ssl\"]")
    );
}

#[test]
fn an_unknown_group_without_references_leaves_tls_and_audit_undecided() {
    let mut plan = aws_plan();
    make_unknown(&mut plan, CLUSTER, "db_cluster_parameter_group_name");
    let report = check(&plan);
    let at_cluster: Vec<_> = not_passed(&report)
        .into_iter()
        .filter(|(a, ..)| a == CLUSTER)
        .collect();
    assert!(!at_cluster.is_empty());
    assert!(
        at_cluster
            .iter()
            .all(|(_, _, s, _)| *s == Status::Undecided),
        "{at_cluster:#?}"
    );
    assert!(at_cluster.iter().any(|(_, r, ..)| r == "G10"));
    assert_eq!(report.exit_code, 0, "undecided does not fail");
}

#[test]
fn unknown_until_apply_is_undecided_never_a_pass() {
    let mut plan = aws_plan();
    make_unknown(&mut plan, CLUSTER, "deletion_protection");
    let report = check(&plan);
    let (_, entry) = report
        .entries()
        .find(|(r, e)| r.address == CLUSTER && e.rule == "G4")
        .unwrap();
    assert_eq!(entry.status, Status::Undecided);
    assert!(
        entry.message.starts_with("cannot decide until apply"),
        "{}",
        entry.message
    );
    assert_eq!(entry.attribute.as_deref(), Some("deletion_protection"));
    assert_eq!(report.summary.undecided, 1);
    assert_eq!(report.exit_code, 0);
}

#[test]
fn the_default_parameter_group_fails_tls_and_audit() {
    let mut plan = aws_plan();
    values(&mut plan, CLUSTER)["db_cluster_parameter_group_name"] =
        json!("default.aurora-postgresql16");
    let report = check(&plan);
    let rules: Vec<String> = not_passed(&report)
        .into_iter()
        .filter(|(a, _, s, _)| a == CLUSTER && *s == Status::Failed)
        .map(|(_, r, ..)| r)
        .collect();
    assert!(
        rules.contains(&"G9".to_owned()) && rules.contains(&"G10".to_owned()),
        "{rules:?}"
    );
}

#[test]
fn instances_join_by_reference_inside_child_modules() {
    let mut resources = aws_resources();
    for r in &mut resources {
        let address = format!("module.db[0].{}", r["address"].as_str().unwrap());
        r["address"] = json!(address);
        r["values"]
            .as_object_mut()
            .unwrap()
            .remove("cluster_identifier");
    }
    let mut plan = plan(vec![]);
    plan["planned_values"]["root_module"]["child_modules"] =
        json!([{"address": "module.db[0]", "resources": resources}]);
    plan["configuration"]["root_module"]["module_calls"] = json!({"db": {"module": {"resources": [
        {"address": "aws_rds_cluster_instance.writer",
         "expressions": {"cluster_identifier": {"references": ["aws_rds_cluster.orders.id", "aws_rds_cluster.orders"]}}},
        {"address": "aws_rds_cluster_instance.reader",
         "expressions": {"cluster_identifier": {"references": ["aws_rds_cluster.orders.id", "aws_rds_cluster.orders"]}}},
    ]}}});
    let report = check(&plan);
    assert_eq!(not_passed(&report), vec![]);
    assert_eq!(report.resources[0].module, "module.db[0]");
    assert_eq!(report.resources[0].instances.len(), 2);
}

#[test]
fn parameter_group_rules_fail_at_the_groups_own_parameter_block() {
    let mut plan = aws_plan();
    set_parameter(&mut plan, "log_statement", "all");
    let failures = not_passed(&check(&plan));
    assert_eq!(
        failures,
        vec![(
            GROUP.to_owned(),
            "DB-LOG-STATEMENT".to_owned(),
            Status::Failed,
            "parameter[\"log_statement\"]".to_owned()
        )]
    );
}

#[test]
fn instance_parameter_groups_are_checked_as_instance_scope() {
    let mut plan = aws_plan();
    plan["planned_values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap()
        .push(resource(
            "aws_db_parameter_group.orders",
            "aws_db_parameter_group",
            json!({"name": "orders-db", "family": "aurora-postgresql16",
                   "parameter": [{"name": "log_statement", "value": "all"}]}),
        ));
    let failures = not_passed(&check(&plan));
    assert_eq!(failures.len(), 1, "{failures:#?}");
    assert_eq!(failures[0].0, "aws_db_parameter_group.orders");
    assert_eq!(failures[0].1, "DB-LOG-STATEMENT");
}
