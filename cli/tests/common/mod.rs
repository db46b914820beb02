//! Plan fixtures built in code: small, valid `terraform show -json` documents that tests mutate.
#![allow(dead_code, missing_docs, clippy::unwrap_used, clippy::panic)]

use dbrail_cli::report::{Report, Status};
use dbrail_cli::{CheckOptions, check_plan};
use dbrail_rules::baseline::merge;
use dbrail_rules::{Date, Fact, Scope, Tier};
use serde_json::{Value, json};

pub const CMK: &str = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
/// The ARN of the compliant AWS plan's cluster.
pub const ORDERS_ARN: &str = "arn:aws:rds:eu-west-1:111122223333:cluster:orders";
/// The address of the compliant AWS plan's backup selection.
pub const SELECTION: &str = "aws_backup_selection.orders";

/// An `aws_backup_selection` listing `resources`, with no other part set.
pub fn selection(address: &str, resources: Value) -> Value {
    resource(
        address,
        "aws_backup_selection",
        json!({
            "name": "orders",
            "plan_id": "gold",
            "iam_role_arn": "arn:aws:iam::111122223333:role/backup",
            "resources": resources,
            "not_resources": [],
            "selection_tag": [],
            "condition": [],
        }),
    )
}

/// The baseline parameters of a family as `parameter` blocks.
pub fn baseline_parameters(family: &str) -> Value {
    let group = merge(family, &[]).subject(Scope::Cluster).unwrap();
    Value::Array(
        group
            .parameters
            .iter()
            .map(|(name, value)| {
                let Fact::Known(value) = value else { panic!() };
                json!({"name": name, "value": value, "apply_method": "pending-reboot"})
            })
            .collect(),
    )
}

pub fn resource(address: &str, kind: &str, values: Value) -> Value {
    let name = address.rsplit('.').next().unwrap();
    json!({"address": address, "mode": "managed", "type": kind, "name": name, "values": values})
}

/// A compliant Aurora PostgreSQL cluster written with plain AWS resources, covered by a backup
/// selection.
pub fn aws_resources() -> Vec<Value> {
    let instance = |zone: &str| {
        json!({
            "cluster_identifier": "orders",
            "publicly_accessible": false,
            "auto_minor_version_upgrade": true,
            "monitoring_interval": 60,
            "performance_insights_enabled": true,
            "performance_insights_kms_key_id": CMK,
            "availability_zone": zone,
            "engine": "aurora-postgresql",
        })
    };
    vec![
        resource(
            "aws_rds_cluster.orders",
            "aws_rds_cluster",
            json!({
                "cluster_identifier": "orders",
                "arn": ORDERS_ARN,
                "engine": "aurora-postgresql",
                "engine_version": "16.4",
                "storage_encrypted": true,
                "kms_key_id": CMK,
                "deletion_protection": true,
                "iam_database_authentication_enabled": true,
                "backup_retention_period": 14,
                "enabled_cloudwatch_logs_exports": ["postgresql"],
                "copy_tags_to_snapshot": true,
                "tags_all": {"owner": "payments"},
                "master_username": "orders_admin",
                "port": 5433,
                "manage_master_user_password": true,
                "db_cluster_parameter_group_name": "orders-pg",
            }),
        ),
        resource(
            "aws_rds_cluster_instance.writer",
            "aws_rds_cluster_instance",
            instance("eu-west-1a"),
        ),
        resource(
            "aws_rds_cluster_instance.reader",
            "aws_rds_cluster_instance",
            instance("eu-west-1b"),
        ),
        resource(
            "aws_rds_cluster_parameter_group.orders",
            "aws_rds_cluster_parameter_group",
            json!({
                "name": "orders-pg",
                "family": "aurora-postgresql16",
                "parameter": baseline_parameters("aurora-postgresql16"),
            }),
        ),
        selection(SELECTION, json!([ORDERS_ARN])),
    ]
}

/// A plan holding `resources` in the root module.
pub fn plan(resources: Vec<Value>) -> Value {
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": [],
        "configuration": {"root_module": {"resources": []}},
    })
}

/// The compliant AWS plan.
pub fn aws_plan() -> Value {
    plan(aws_resources())
}

/// The values of the resource at `address`.
pub fn values<'a>(plan: &'a mut Value, address: &str) -> &'a mut Value {
    fn find<'a>(module: &'a mut Value, address: &str) -> Option<&'a mut Value> {
        let module = module.as_object_mut()?;
        let found = module
            .get("resources")
            .and_then(Value::as_array)
            .and_then(|r| r.iter().position(|r| r["address"] == address));
        if let Some(i) = found {
            return module.get_mut("resources")?.get_mut(i)?.get_mut("values");
        }
        for child in module.get_mut("child_modules")?.as_array_mut()? {
            if let Some(v) = find(child, address) {
                return Some(v);
            }
        }
        None
    }
    find(&mut plan["planned_values"]["root_module"], address).unwrap()
}

/// Marks `attribute` of `address` unknown until apply, removing its planned value.
pub fn make_unknown(plan: &mut Value, address: &str, attribute: &str) {
    values(plan, address)
        .as_object_mut()
        .unwrap()
        .remove(attribute);
    let changes = plan["resource_changes"].as_array_mut().unwrap();
    match changes.iter_mut().find(|c| c["address"] == address) {
        Some(change) => change["change"]["after_unknown"][attribute] = json!(true),
        None => changes.push(json!({
            "address": address,
            "change": {"actions": ["create"], "after_unknown": {attribute: true}},
        })),
    }
}

pub fn today() -> Date {
    Date::new(2026, 11, 23).unwrap()
}

pub fn options(tier: Option<Tier>) -> CheckOptions {
    CheckOptions {
        tier,
        today: today(),
        waivers: Vec::new(),
    }
}

pub fn check(plan: &Value) -> Report {
    check_with(plan, &options(None))
}

pub fn check_with(plan: &Value, options: &CheckOptions) -> Report {
    check_plan("plan.json", &serde_json::to_vec(plan).unwrap(), options).unwrap()
}

/// `(address, rule, status, attribute)` of every result that is not a pass.
pub fn not_passed(report: &Report) -> Vec<(String, String, Status, String)> {
    report
        .entries()
        .filter(|(_, e)| e.status != Status::Passed)
        .map(|(r, e)| {
            (
                r.address.clone(),
                e.rule.to_string(),
                e.status,
                e.attribute.clone().unwrap_or_default(),
            )
        })
        .collect()
}
