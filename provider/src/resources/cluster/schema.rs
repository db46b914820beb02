//! The schema of `dbrail_cluster`.

use dbrail_tfplugin::schema::{
    Attribute, Block, NestedBlock, Nesting, Schema, Validator, timeouts_block,
};
use dbrail_tfplugin::value::Value;

/// Longest cluster name AWS accepts (63) minus room for instance suffixes (`-12`).
pub(crate) const MAX_NAME_LEN: usize = 60;

/// Engines dbrail manages.
pub(crate) const ENGINES: &[&str] = &["aurora-postgresql", "aurora-mysql"];
/// Guardrail strictness levels.
pub(crate) const TIERS: &[&str] = &["production", "staging", "development"];

fn computed(name: &str, description: &str) -> Attribute {
    Attribute::string(name).computed().description(description)
}

pub(crate) fn schema() -> Schema {
    let tiers = TIERS
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Schema::new(
        Block::new(
            "A guarded Aurora cluster and its instances (one writer, `readers` readers). \
             Storage encryption, IAM database authentication, a master password managed by AWS \
             Secrets Manager, copying tags to snapshots, private instances and a final snapshot \
             on delete are fixed by design. Guardrails run at plan time with strictness set by \
             `tier`; a `waiver` allows a time-bounded, reasoned exception.",
        )
        .attribute(Attribute::string("id").computed().stable().description("The cluster identifier."))
        .attribute(
            Attribute::string("name")
                .required()
                .requires_replace()
                .description("Cluster identifier. Instances are named `<name>-1`, `<name>-2`, …")
                .validate(Validator::length_between(1, MAX_NAME_LEN))
                .validate(super::super::common::identifier_validator("cluster identifier")),
        )
        .attribute(
            Attribute::string("engine")
                .required()
                .requires_replace()
                .description("Database engine.")
                .validate(Validator::one_of(ENGINES)),
        )
        .attribute(Attribute::string("engine_version").required().description(
            "A major version such as `\"16\"` or `\"8.0\"` (minor upgrades AWS applies cause no \
             diff), or an exact version. A new major needs `allow_major_version_upgrade = true` \
             and a `parameter_baseline` of the new family.",
        ))
        .attribute(
            Attribute::bool("allow_major_version_upgrade")
                .default_value(Value::Bool(false))
                .description("Permit a change of major version."),
        )
        .attribute(
            Attribute::string("tier")
                .required()
                .description(format!("Guardrail strictness: {tiers}. Recorded as the `dbrail:tier` tag."))
                .validate(Validator::one_of(TIERS)),
        )
        .attribute(
            Attribute::string("instance_class")
                .required()
                .description("Instance class of every instance, such as `db.r6g.large`.")
                .validate(super::super::common::instance_class_validator()),
        )
        .attribute(
            Attribute::number("readers")
                .default_value(Value::Number(1i64.into()))
                .description("Number of reader instances, spread across availability zones. Changing it adds or removes only the difference.")
                .validate(Validator::int_between(0, 15)),
        )
        .attribute(Attribute::string_set("subnet_ids").optional().description(
            "Subnets for a DB subnet group dbrail creates (`<name>-subnets`). Give this or `db_subnet_group_name`.",
        ))
        .attribute(
            Attribute::string("db_subnet_group_name")
                .optional()
                .computed()
                .requires_replace()
                .description("An existing DB subnet group. Computed when `subnet_ids` is given."),
        )
        .attribute(Attribute::string_set("security_group_ids").optional().description("VPC security groups of the cluster."))
        .attribute(
            Attribute::string("kms_key_id")
                .optional()
                .requires_replace()
                .description("Customer-managed KMS key for storage and Performance Insights. Rule G1 requires one.")
                .validate(super::super::common::kms_key_validator()),
        )
        .attribute(
            Attribute::nested(
                "parameter_baseline",
                Nesting::Single,
                vec![
                    Attribute::string("name").required().description("The baseline's name."),
                    Attribute::string("family").required().description("Its engine family."),
                    Attribute::string("cluster_parameter_group_name").required().description("Its cluster parameter group."),
                    Attribute::string("instance_parameter_group_name").required().description("Its instance parameter group."),
                    Attribute::string_map("effective_cluster_parameters").optional().description("Its effective cluster parameters, checked by rules G9 and G10."),
                ],
            )
            .optional()
            .description("The `dbrail_parameter_baseline` to use; assign the resource itself: `parameter_baseline = dbrail_parameter_baseline.orders`."),
        )
        .attribute(
            Attribute::nested(
                "backup_policy",
                Nesting::Single,
                vec![
                    Attribute::string("name").required().description("The policy's name; the cluster is tagged `dbrail:backup-policy = <name>` and so covered by its selection."),
                    Attribute::number("retention_days").required().description("The policy's retention: the floor for `backup.retention_days` (capped at 35)."),
                ],
            )
            .optional()
            .description("The `dbrail_backup_policy` covering this cluster; assign the resource itself: `backup_policy = dbrail_backup_policy.gold`. Raises automated backup retention to at least the policy's (rules G6, G7)."),
        )
        .attribute(Attribute::string("maintenance_window").optional().computed().description("Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` in UTC."))
        .attribute(Attribute::string_set("log_exports").optional().computed().description(
            "Logs exported to CloudWatch. Defaults to what rule G8 requires: `postgresql` (PostgreSQL) or `audit`, `error`, `slowquery` (MySQL).",
        ))
        .attribute(
            Attribute::bool("performance_insights")
                .default_value(Value::Bool(true))
                .description("Performance Insights on every instance, encrypted with `kms_key_id`."),
        )
        .attribute(
            Attribute::number("monitoring_interval")
                .default_value(Value::Number(60i64.into()))
                .description("Enhanced monitoring interval in seconds (0, 1, 5, 10, 15, 30 or 60)."),
        )
        .attribute(
            Attribute::string("monitoring_role_arn")
                .optional()
                .description("IAM role enhanced monitoring uses; required when `monitoring_interval` > 0 on AWS.")
                .validate(super::super::common::role_arn_validator()),
        )
        .attribute(Attribute::number("port").optional().computed().description("Database port. Defaults to 5433 (PostgreSQL) or 3307 (MySQL): not the engine's well-known port (rule G15)."))
        .attribute(
            Attribute::string("master_username")
                .default_value(Value::String("dbrail_admin".into()))
                .requires_replace()
                .description("Administrator user name. The password is generated and rotated by AWS Secrets Manager; dbrail never sees it."),
        )
        .attribute(
            Attribute::bool("deletion_guard")
                .default_value(Value::Bool(true))
                .description("While true, AWS deletion protection is on, and a change that would replace or destroy the cluster fails at plan time."),
        )
        .attribute(Attribute::string_map("tags").optional().validate(super::super::common::tags_validator()).description("Tags for the cluster, its instances and snapshots."))
        .attribute(computed("arn", "The cluster's ARN.").stable())
        .attribute(computed("cluster_resource_id", "The cluster's resource id (`cluster-…`), what IAM database authentication policies name.").stable())
        .attribute(computed("endpoint", "Writer endpoint.").stable())
        .attribute(computed("reader_endpoint", "Reader endpoint.").stable())
        .attribute(computed("engine_version_actual", "The exact engine version AWS runs."))
        .attribute(computed("master_user_secret_arn", "ARN of the Secrets Manager secret holding the master password.").stable())
        .attribute(computed("writer_instance_id", "Identifier of the writer instance."))
        .attribute(Attribute::string_list("reader_instance_ids").computed().description("Identifiers of the reader instances."))
        .attribute(Attribute::string_set("availability_zones").computed().description("Availability zones the instances run in (rule G12)."))
        .attribute(computed("final_snapshot_identifier", "The snapshot taken when the cluster is deleted.").stable())
        .attribute(
            Attribute::string_map("guarded_settings")
                .computed()
                .description("Settings fixed by design, as AWS reports them; drift here shows in the plan and apply repairs it."),
        )
        .attribute(Attribute::string_map("compliance").computed().description(
            "Each guardrail's outcome for this cluster: `passed`, `waived`, `undecided` or `failed`.",
        ))
        .block(NestedBlock::new(
            "backup",
            Nesting::Group,
            Block::new("Automated backups.")
                .attribute(
                    Attribute::number("retention_days")
                        .optional()
                        .computed()
                        .description("Days automated backups are kept (1–35). Default 7; rule G6.")
                        .validate(Validator::int_between(1, 35)),
                )
                .attribute(Attribute::string("window").optional().computed().description("Daily backup window, `hh24:mi-hh24:mi` in UTC.")),
        ))
        .block(NestedBlock::new(
            "waiver",
            Nesting::List,
            Block::new("A time-bounded exception to one guardrail.")
                .attribute(Attribute::string("rule").required().description("Rule id, such as `G12`."))
                .attribute(Attribute::string("reason").required().description("Why the exception is acceptable."))
                .attribute(Attribute::string("expires").required().description("Last day the waiver applies, `YYYY-MM-DD`.")),
        ))
        .block(timeouts_block(&["create", "update", "delete"])),
    )
}
