//! The schema of `dbrail_access_role`.

use dbrail_tfplugin::schema::{Attribute, Block, NestedBlock, Nesting, Schema, Validator};
use dbrail_tfplugin::value::Value;

/// Access tiers, as configured.
pub(crate) const TIERS: &[&str] = &["read_only", "read_write", "migration", "break_glass"];
/// Environments, deciding how strictly the rules apply.
pub(crate) const ENVIRONMENTS: &[&str] = &["production", "staging", "development"];
/// Engines `grant_sql` can be written for.
pub(crate) const ENGINES: &[&str] = &["aurora-postgresql", "aurora-mysql"];

fn role_name_validator() -> Validator {
    Validator::new(
        "1–64 characters: letters, digits and `+=,.@_-`.",
        |value| {
            let name = value.as_str().unwrap_or_default();
            let ok = !name.is_empty()
                && name.len() <= 64
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
            if ok {
                Ok(())
            } else {
                Err(format!("{name:?} is not a valid IAM role name"))
            }
        },
    )
}

pub(crate) fn schema() -> Schema {
    Schema::new(
        Block::new(
            "One IAM role per (service, database user, tier) for IAM database authentication. \
             The role gets exactly one inline policy: `rds-db:connect` on the exact \
             `arn:aws:rds-db:REGION:ACCOUNT:dbuser:CLUSTER_RESOURCE_ID/DB_USER` resources, or for \
             `break_glass` only reading the cluster's master secret, with MFA required to assume \
             it. Guardrails (DB-IAM-WILDCARD, DB-ACCESS-*) run at plan time. `grant_sql` holds the \
             statements that create the database user for IAM login with the tier's privileges.",
        )
        .attribute(Attribute::string("id").computed().stable().description("The role name."))
        .attribute(
            Attribute::string("name")
                .required()
                .requires_replace()
                .description("Name of the IAM role.")
                .validate(role_name_validator()),
        )
        .attribute(
            Attribute::string("tier")
                .required()
                .description("`read_only`, `read_write`, `migration` (DDL; sessions ≤ 1 hour) or `break_glass` (master secret, MFA).")
                .validate(Validator::one_of(TIERS)),
        )
        .attribute(
            Attribute::string("environment")
                .default_value(Value::String("production".into()))
                .description("Guardrail strictness: `production` (default), `staging` or `development`. Recorded as the `dbrail:environment` tag.")
                .validate(Validator::one_of(ENVIRONMENTS)),
        )
        .attribute(
            Attribute::string("engine")
                .optional()
                .description("Engine of the target clusters, `aurora-postgresql` or `aurora-mysql`: decides `grant_sql` and the user-name rules. Without it `grant_sql` is null and both engines' name rules apply.")
                .validate(Validator::one_of(ENGINES)),
        )
        .attribute(Attribute::string("cluster_resource_id").optional().description("Resource id (`cluster-…`) of the cluster, e.g. `dbrail_cluster.x.cluster_resource_id`. Use with `db_user`, or use `target` blocks."))
        .attribute(Attribute::string("db_user").optional().description("Database user the role connects as."))
        .attribute(Attribute::string_list("trusted_role_arns").optional().description("IAM roles that may assume this role."))
        .attribute(Attribute::string_list("trusted_services").optional().description("AWS services that may assume this role, e.g. `ecs-tasks.amazonaws.com`."))
        .attribute(Attribute::string("permissions_boundary_arn").optional().description("Permissions boundary policy; required in production (DB-ACCESS-BOUNDARY)."))
        .attribute(
            Attribute::number("max_session_duration")
                .default_value(Value::Number(3600i64.into()))
                .description("Longest session in seconds (3600–43200); at most 3600 for `migration` and `break_glass`."),
        )
        .attribute(Attribute::string("schema").optional().description("Where `grant_sql` grants the tier's privileges: a PostgreSQL schema (default `public`) or a MySQL database (without it, MySQL gets only the login, never a grant on `*.*`)."))
        .attribute(Attribute::string("master_secret_arn").optional().description("The cluster's master user secret (`dbrail_cluster.x.master_user_secret_arn`); required for `break_glass`, the only thing it may read."))
        .attribute(Attribute::string_map("tags").optional().description("Tags for the role."))
        .attribute(Attribute::string("arn").computed().stable().description("ARN of the role."))
        .attribute(Attribute::string("policy_json").computed().description("The role's one inline policy, normalised JSON. A change made outside Terraform shows here as a diff and is repaired by the next apply."))
        .attribute(Attribute::string("trust_policy_json").computed().description("The role's trust policy, normalised JSON."))
        .attribute(Attribute::string_list("connect_resource_arns").computed().description("The `rds-db:connect` resources granted."))
        .attribute(Attribute::string("grant_sql").computed().description("SQL creating each database user for IAM authentication with the tier's privileges, for `engine`. Run it as the master user; it is idempotent only where the engine allows (`CREATE USER IF NOT EXISTS` on MySQL)."))
        .block(NestedBlock::new(
            "target",
            Nesting::List,
            Block::new("One more (cluster, database user) the role connects as.")
                .attribute(Attribute::string("cluster_resource_id").required().description("Resource id (`cluster-…`) of the cluster."))
                .attribute(Attribute::string("db_user").required().description("Database user.")),
        ))
        .block(NestedBlock::new(
            "oidc",
            Nesting::List,
            Block::new("A web identity (such as a Kubernetes service account) that may assume the role.")
                .attribute(Attribute::string("provider_arn").required().description("The IAM OIDC provider ARN."))
                .attribute(Attribute::string("subject").required().description("The token subject, e.g. `system:serviceaccount:NAMESPACE:NAME`.")),
        )),
    )
}
