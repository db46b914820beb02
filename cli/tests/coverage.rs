//! G7's coverage part in `policy check`: a cluster is covered when an `aws_backup_selection` of
//! the plan targets it by ARN (wildcards included), by reference or by tag, and does not exclude
//! it; a `dbrail_cluster` also through its `backup_policy`.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "helpers outside #[test] functions assert by unwrapping"
)]

mod common;

use common::*;
use dbrail_cli::report::{Report, Status};
use serde_json::{Value, json};

const CLUSTER: &str = "aws_rds_cluster.orders";
const DBRAIL: &str = "dbrail_cluster.orders";

/// G7's outcome on `address`: its status and attribute.
fn g7(report: &Report, address: &str) -> (Status, String) {
    let found: Vec<_> = report
        .entries()
        .filter(|(r, e)| r.address == address && e.rule == "G7")
        .map(|(_, e)| (e.status, e.attribute.clone().unwrap_or_default()))
        .collect();
    assert_eq!(found.len(), 1, "{address}: {report:#?}");
    found.into_iter().next().unwrap()
}

fn covered(plan: &Value) {
    let report = check(plan);
    assert_eq!(g7(&report, CLUSTER).0, Status::Passed, "{report:#?}");
}

fn not_covered(plan: &Value) {
    let report = check(plan);
    assert_eq!(
        g7(&report, CLUSTER),
        (Status::Warning, "(backup selection)".to_owned()),
        "{report:#?}"
    );
    assert_eq!(report.exit_code, 0, "a warning does not fail the check");
}

fn undecided(plan: &Value) {
    let report = check(plan);
    assert_eq!(g7(&report, CLUSTER).0, Status::Undecided, "{report:#?}");
}

/// The compliant plan with the selection's `resources` replaced.
fn selecting(resources: Value) -> Value {
    let mut plan = aws_plan();
    values(&mut plan, SELECTION)["resources"] = resources;
    plan
}

/// The compliant plan with the selection replaced by one choosing by `part` alone.
fn selecting_by(part: &str, value: Value) -> Value {
    let mut plan = selecting(json!([]));
    values(&mut plan, SELECTION)[part] = value;
    plan
}

fn condition(test: &str, key: &str, value: &str) -> Value {
    let mut block = json!({
        "string_equals": [], "string_like": [], "string_not_equals": [], "string_not_like": [],
    });
    block[test] = json!([{"key": key, "value": value}]);
    json!([block])
}

/// Records in the configuration that the selection's `attribute` references `references`.
fn configure(plan: &mut Value, address: &str, attribute: &str, references: &[&str]) {
    let resources = plan["configuration"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap();
    resources.push(json!({
        "address": address,
        "expressions": {attribute: {"references": references}},
    }));
}

#[test]
fn a_selection_listing_the_cluster_arn_covers_it() {
    covered(&aws_plan());
    covered(&selecting(json!([
        "arn:aws:rds:eu-west-1:111122223333:cluster:payments",
        ORDERS_ARN
    ])));
}

#[test]
fn wildcard_arns_cover_the_clusters_they_match() {
    covered(&selecting(json!(["arn:aws:rds:*:*:cluster:*"])));
    covered(&selecting(json!(["*"])));
    covered(&selecting(json!([
        "arn:aws:rds:eu-west-1:111122223333:cluster:ord*"
    ])));
    not_covered(&selecting(json!(["arn:aws:rds:*:*:db:*"])));
    not_covered(&selecting(json!(["arn:aws:dynamodb:*:*:table/*"])));
}

#[test]
fn no_selection_at_all_is_a_warning_in_every_tier() {
    let mut plan = aws_plan();
    let resources = plan["planned_values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap();
    resources.retain(|r| r["type"] != "aws_backup_selection");
    not_covered(&plan);
    for tier in [
        dbrail_rules::Tier::Production,
        dbrail_rules::Tier::Staging,
        dbrail_rules::Tier::Development,
    ] {
        let report = check_with(&plan, &options(Some(tier)));
        assert_eq!(g7(&report, CLUSTER).0, Status::Warning, "{tier:?}");
    }
}

#[test]
fn a_selection_referencing_a_cluster_created_in_the_same_apply_covers_it() {
    let mut plan = aws_plan();
    make_unknown(&mut plan, CLUSTER, "arn");
    make_unknown(&mut plan, SELECTION, "resources");
    undecided(&plan);
    configure(
        &mut plan,
        SELECTION,
        "resources",
        &["aws_rds_cluster.orders.arn", "aws_rds_cluster.orders"],
    );
    covered(&plan);
}

#[test]
fn a_selection_made_of_references_to_other_clusters_does_not_cover_this_one() {
    // `resources = [aws_rds_cluster.payments.arn]`: unknown until apply, but it can only hold
    // the ARN of the cluster it references.
    let mut plan = aws_plan();
    make_unknown(&mut plan, SELECTION, "resources");
    configure(
        &mut plan,
        SELECTION,
        "resources",
        &["aws_rds_cluster.payments.arn", "aws_rds_cluster.payments"],
    );
    not_covered(&plan);
}

#[test]
fn a_selection_built_from_a_variable_or_data_source_leaves_coverage_undecided() {
    for references in [
        &["var.cluster_arns"][..],
        &["aws_rds_cluster.payments.arn", "local.extra_arns"][..],
        &[
            "data.aws_rds_cluster.legacy.arn",
            "data.aws_rds_cluster.legacy",
        ][..],
        &["module.legacy.cluster_arn", "module.legacy"][..],
    ] {
        let mut plan = aws_plan();
        make_unknown(&mut plan, SELECTION, "resources");
        configure(&mut plan, SELECTION, "resources", references);
        undecided(&plan);
    }
}

#[test]
fn a_literal_arn_for_a_cluster_whose_arn_is_unknown_compares_identifiers() {
    let mut plan = aws_plan();
    make_unknown(&mut plan, CLUSTER, "arn");
    // Same identifier: the region and account are not known until apply.
    undecided(&plan);
    values(&mut plan, SELECTION)["resources"] =
        json!(["arn:aws:rds:eu-west-1:111122223333:cluster:payments"]);
    not_covered(&plan);
    values(&mut plan, SELECTION)["resources"] = json!(["arn:aws:rds:*:*:cluster:orders"]);
    covered(&plan);
}

#[test]
fn selection_tags_cover_clusters_carrying_the_tag() {
    let tag =
        |key: &str, value: &str| json!([{"type": "STRINGEQUALS", "key": key, "value": value}]);
    covered(&selecting_by("selection_tag", tag("owner", "payments")));
    covered(&selecting_by(
        "selection_tag",
        tag("aws:ResourceTag/owner", "payments"),
    ));
    not_covered(&selecting_by("selection_tag", tag("owner", "ledger")));
    not_covered(&selecting_by("selection_tag", tag("backup", "payments")));
    let mut plan = selecting_by("selection_tag", tag("owner", "payments"));
    make_unknown(&mut plan, CLUSTER, "tags_all");
    values(&mut plan, CLUSTER)
        .as_object_mut()
        .unwrap()
        .remove("tags");
    undecided(&plan);
}

#[test]
fn conditions_must_all_hold() {
    let owner = "aws:ResourceTag/owner";
    covered(&selecting_by(
        "condition",
        condition("string_equals", owner, "payments"),
    ));
    covered(&selecting_by(
        "condition",
        condition("string_like", owner, "pay*"),
    ));
    not_covered(&selecting_by(
        "condition",
        condition("string_not_equals", owner, "payments"),
    ));
    not_covered(&selecting_by(
        "condition",
        condition("string_not_like", owner, "pay*"),
    ));
    not_covered(&selecting_by(
        "condition",
        condition("string_equals", "aws:ResourceTag/backup", "daily"),
    ));
    // Resources and conditions combine with AND.
    let mut plan = selecting(json!(["arn:aws:rds:*:*:cluster:*"]));
    values(&mut plan, SELECTION)["condition"] = condition("string_equals", owner, "ledger");
    not_covered(&plan);
}

#[test]
fn not_resources_exclude_what_the_selection_would_cover() {
    let mut plan = selecting(json!(["arn:aws:rds:*:*:cluster:*"]));
    values(&mut plan, SELECTION)["not_resources"] = json!([ORDERS_ARN]);
    not_covered(&plan);
    values(&mut plan, SELECTION)["not_resources"] = json!(["arn:aws:rds:*:*:cluster:pay*"]);
    covered(&plan);
    make_unknown(&mut plan, SELECTION, "not_resources");
    undecided(&plan);
    configure(
        &mut plan,
        SELECTION,
        "not_resources",
        &["aws_rds_cluster.orders.arn", "aws_rds_cluster.orders"],
    );
    not_covered(&plan);
}

#[test]
fn one_covering_selection_is_enough() {
    let mut plan = selecting(json!(["arn:aws:rds:*:*:db:*"]));
    let resources = plan["planned_values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap();
    resources.push(selection(
        "aws_backup_selection.clusters",
        json!(["arn:aws:rds:eu-west-1:111122223333:cluster:*"]),
    ));
    covered(&plan);
}

fn dbrail_cluster(extra: &[(&str, Value)]) -> Value {
    let mut values = json!({
        "name": "orders",
        "engine": "aurora-postgresql",
        "engine_version": "16.4",
        "tier": "production",
        "tags": {"owner": "payments"},
    });
    for (key, value) in extra {
        values[*key] = value.clone();
    }
    resource(DBRAIL, "dbrail_cluster", values)
}

#[test]
fn a_dbrail_cluster_is_covered_by_its_backup_policy_or_a_selection() {
    let policy = json!({"name": "gold", "retention_days": 14});
    let report = check(&plan(vec![dbrail_cluster(&[("backup_policy", policy)])]));
    assert_eq!(g7(&report, DBRAIL).0, Status::Passed);

    let report = check(&plan(vec![dbrail_cluster(&[])]));
    assert_eq!(
        g7(&report, DBRAIL),
        (Status::Warning, "backup_policy".to_owned())
    );

    let by_tier = resource(
        "aws_backup_selection.production",
        "aws_backup_selection",
        json!({
            "resources": [],
            "selection_tag": [{"type": "STRINGEQUALS", "key": "dbrail:tier", "value": "production"}],
        }),
    );
    let report = check(&plan(vec![dbrail_cluster(&[]), by_tier]));
    assert_eq!(g7(&report, DBRAIL).0, Status::Passed);

    let mut referenced = plan(vec![
        dbrail_cluster(&[]),
        selection("aws_backup_selection.orders", Value::Null),
    ]);
    make_unknown(&mut referenced, "aws_backup_selection.orders", "resources");
    configure(
        &mut referenced,
        "aws_backup_selection.orders",
        "resources",
        &["dbrail_cluster.orders.id", "dbrail_cluster.orders"],
    );
    let report = check(&referenced);
    assert_eq!(g7(&report, DBRAIL).0, Status::Passed);
}

#[test]
fn a_cluster_tagged_for_a_dbrail_backup_policy_of_the_plan_is_covered() {
    let mut plan = aws_plan();
    let resources = plan["planned_values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap();
    resources.retain(|r| r["type"] != "aws_backup_selection");
    resources.push(resource(
        "dbrail_backup_policy.gold",
        "dbrail_backup_policy",
        json!({"name": "gold", "retention_days": 14}),
    ));
    // The policy itself fails G7's key, copy and lock parts; only the cluster matters here.
    let status = |plan: &Value| g7(&check(plan), CLUSTER).0;
    assert_eq!(status(&plan), Status::Warning);
    values(&mut plan, CLUSTER)["tags_all"] =
        json!({"owner": "payments", "dbrail:backup-policy": "gold"});
    assert_eq!(status(&plan), Status::Passed);
    values(&mut plan, CLUSTER)["tags_all"] =
        json!({"owner": "payments", "dbrail:backup-policy": "silver"});
    assert_eq!(status(&plan), Status::Warning);
}
