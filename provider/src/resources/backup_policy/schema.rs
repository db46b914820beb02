//! The schema of `dbrail_backup_policy`.

use dbrail_tfplugin::schema::{Attribute, Block, NestedBlock, Nesting, Schema, Validator};
use dbrail_tfplugin::value::Value;

/// Guardrail strictness levels, as for clusters.
pub(crate) const TIERS: &[&str] = &["production", "staging", "development"];
/// Vault lock modes.
pub(crate) const LOCK_MODES: &[&str] = &["governance", "compliance"];
/// The schedule when none is given: daily at 05:00 UTC, AWS Backup's own default.
pub(crate) const DEFAULT_SCHEDULE: &str = "cron(0 5 ? * * *)";

/// Vault, plan and selection share the policy's name, so it must suit all three: 2–50 letters,
/// digits, hyphens and underscores, starting with a letter or digit.
fn name_validator() -> Validator {
    Validator::new(
        "2–50 letters, digits, hyphens and underscores, starting with a letter or digit.",
        |value| {
            let name = value.as_str().unwrap_or_default();
            let ok = (2..=50).contains(&name.len())
                && name
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if ok {
                Ok(())
            } else {
                Err(format!(
                    "{name:?} cannot name a backup vault, plan and selection"
                ))
            }
        },
    )
}

fn computed(name: &str, description: &str) -> Attribute {
    Attribute::string(name).computed().description(description)
}

pub(crate) fn schema() -> Schema {
    Schema::new(
        Block::new(
            "A named, reusable backup tier (for example `pci-gold`) that clusters opt into: an AWS \
             Backup vault encrypted with a customer key and optionally locked, a backup plan \
             (schedule, retention, continuous backup for point-in-time restore, copies to another \
             region or account), and a selection covering every resource tagged \
             `dbrail:backup-policy = <name>`. Guardrails G6 and G7 run at plan time with \
             strictness set by `tier`.",
        )
        .attribute(Attribute::string("id").computed().stable().description("The policy name."))
        .attribute(
            Attribute::string("name")
                .required()
                .requires_replace()
                .description("Name of the policy, its vault, plan and selection; clusters opt in with `backup_policy`.")
                .validate(name_validator()),
        )
        .attribute(
            Attribute::string("tier")
                .required()
                .description("Guardrail strictness: `production`, `staging` or `development`.")
                .validate(Validator::one_of(TIERS)),
        )
        .attribute(
            Attribute::string("vault_kms_key_arn")
                .optional()
                .requires_replace()
                .description("Customer-managed KMS key encrypting the vault. Rule G7 requires one in production."),
        )
        .attribute(Attribute::string("backup_role_arn").required().description(
            "IAM role AWS Backup assumes to back up the selected resources (for example one with \
             the `AWSBackupServiceRolePolicyForBackup` managed policy).",
        ))
        .attribute(
            Attribute::string("schedule")
                .default_value(Value::String(DEFAULT_SCHEDULE.into()))
                .description("When backups run: a `cron(...)` or `rate(...)` expression in UTC."),
        )
        .attribute(
            Attribute::number("retention_days")
                .required()
                .description("Days recovery points are kept; also the floor for the automated backup retention of clusters that opt in (capped at 35). Rule G6.")
                .validate(Validator::int_between(1, 36_500)),
        )
        .attribute(
            Attribute::bool("continuous")
                .default_value(Value::Bool(false))
                .description("Continuous backup for point-in-time restore (retention at most 35 days)."),
        )
        .attribute(Attribute::string_map("tags").optional().description("Tags for the vault and the plan."))
        .attribute(computed("vault_arn", "The vault's ARN.").stable())
        .attribute(computed("plan_id", "The backup plan's id.").stable())
        .attribute(computed("plan_arn", "The backup plan's ARN.").stable())
        .attribute(computed("selection_id", "The id of the tag-based selection."))
        .attribute(computed("summary", "The policy in one sentence, for reviews and auditors."))
        .block(NestedBlock::new(
            "copy_to",
            Nesting::List,
            Block::new("A copy of every recovery point, to another region or another account (rule G7).")
                .attribute(Attribute::string("region").optional().description(
                    "A region holding a vault of the same name (create it with another `dbrail_backup_policy` and a provider alias).",
                ))
                .attribute(Attribute::string("vault_arn").optional().description("The destination vault's ARN, for a vault in another account."))
                .attribute(
                    Attribute::number("retention_days")
                        .optional()
                        .description("Days the copy is kept; defaults to `retention_days`.")
                        .validate(Validator::int_between(1, 36_500)),
                ),
        ))
        .block(NestedBlock::new(
            "vault_lock",
            Nesting::Single,
            Block::new("AWS Backup Vault Lock. In compliance mode nobody can shorten retention or delete recovery points once `changeable_for_days` have passed.")
                .attribute(
                    Attribute::string("mode")
                        .required()
                        .description("`governance` (removable with IAM permission) or `compliance` (immutable after the cooling-off period).")
                        .validate(Validator::one_of(LOCK_MODES)),
                )
                .attribute(Attribute::number("min_retention_days").optional().description("Shortest retention allowed in the vault.").validate(Validator::int_between(1, 36_500)))
                .attribute(Attribute::number("max_retention_days").optional().description("Longest retention allowed in the vault.").validate(Validator::int_between(1, 36_500)))
                .attribute(
                    Attribute::number("changeable_for_days")
                        .optional()
                        .description("Compliance mode: days (at least 3) during which the lock can still be changed or removed. Default 3.")
                        .validate(Validator::int_between(3, 36_500)),
                ),
        )),
    )
}
