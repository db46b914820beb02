//! Shared test fixtures.

use std::collections::{BTreeMap, BTreeSet};

use crate::{
    ClusterSubject, Context, Date, Engine, Fact, Finding, Outcome, ParameterGroupSubject, Rule,
    Scope, Subject, Tier, baseline,
};

pub(crate) fn date(text: &str) -> Date {
    text.parse().unwrap()
}

/// Production, on 2025-06-01, without waivers.
pub(crate) fn production() -> Context<'static> {
    Context::new(Tier::Production, date("2025-06-01"))
}

fn group(scope: Scope, family: &str, parameters: &[(&str, &str)]) -> ParameterGroupSubject {
    parameters.iter().fold(
        ParameterGroupSubject::new(scope, Fact::Known(family.to_owned())),
        |group, (name, value)| group.with_parameter(*name, Fact::Known((*value).to_owned())),
    )
}

pub(crate) fn cluster(family: &str, parameters: &[(&str, &str)]) -> ParameterGroupSubject {
    group(Scope::Cluster, family, parameters)
}

pub(crate) fn instance(family: &str, parameters: &[(&str, &str)]) -> ParameterGroupSubject {
    group(Scope::Instance, family, parameters)
}

pub(crate) fn evaluate_in(
    rule: &Rule,
    group: ParameterGroupSubject,
    context: &Context<'_>,
) -> Vec<Outcome> {
    rule.evaluate(&Subject::from(group), context)
}

pub(crate) fn failures(outcomes: &[Outcome]) -> Vec<Finding> {
    outcomes
        .iter()
        .filter_map(Outcome::finding)
        .cloned()
        .collect()
}

/// The attributes of the undecided outcomes, as strings.
pub(crate) fn undecided(outcomes: &[Outcome]) -> Vec<String> {
    outcomes
        .iter()
        .filter_map(|outcome| match outcome {
            Outcome::Undecided { attribute, .. } => Some(attribute.to_string()),
            _ => None,
        })
        .collect()
}

/// A customer-managed key ARN.
pub(crate) const CMK: &str =
    "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// The context of `tier` on 2025-06-01, without waivers.
pub(crate) fn in_tier(tier: Tier) -> Context<'static> {
    Context::new(tier, date("2025-06-01"))
}

/// What a `dbrail_cluster` with its defaults plans for Aurora PostgreSQL 16: every guardrail
/// met, the cluster parameter group from the merged baseline.
pub(crate) fn dbrail_cluster() -> ClusterSubject {
    guarded(
        Engine::AuroraPostgresql,
        "16.4",
        "aurora-postgresql16",
        &["postgresql"],
    )
}

/// The same for Aurora MySQL 8.0.
pub(crate) fn dbrail_mysql_cluster() -> ClusterSubject {
    guarded(
        Engine::AuroraMysql,
        "8.0.mysql_aurora.3.05.2",
        "aurora-mysql8.0",
        &["audit", "error", "slowquery"],
    )
}

fn guarded(engine: Engine, version: &str, family: &str, logs: &[&str]) -> ClusterSubject {
    let parameters = baseline::merge(family, &[])
        .subject(Scope::Cluster)
        .unwrap();
    ClusterSubject::new(Fact::Known(engine))
        .with_engine_version(Fact::Known(version.to_owned()))
        .with_storage_encrypted(Fact::Known(true))
        .with_kms_key_id(Fact::Known(CMK.to_owned()))
        .with_publicly_accessible(Fact::Known(false))
        .with_deletion_protection(Fact::Known(true))
        .with_iam_database_authentication(Fact::Known(true))
        .with_backup_retention_days(Fact::Known(7))
        .with_log_exports(Fact::Known(logs.iter().map(|l| (*l).to_owned()).collect()))
        .with_auto_minor_version_upgrade(Fact::Known(true))
        .with_readers(Fact::Known(2))
        .with_availability_zones(Fact::Known(zones(&[
            "eu-west-1a",
            "eu-west-1b",
            "eu-west-1c",
        ])))
        .with_monitoring_interval(Fact::Known(60))
        .with_performance_insights(Fact::Known(true))
        .with_performance_insights_kms_key_id(Fact::Known(CMK.to_owned()))
        .with_copy_tags_to_snapshot(Fact::Known(true))
        .with_tags(Fact::Known(tags(&[
            ("owner", "payments"),
            ("data-classification", "pci"),
        ])))
        .with_master_username(Fact::Known("dbrail_admin".to_owned()))
        .with_port(Fact::Known(engine.default_port() + 1))
        .with_manage_master_user_password(Fact::Known(true))
        .with_cluster_parameters(parameters)
}

pub(crate) fn zones(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

pub(crate) fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, Fact<String>> {
    pairs
        .iter()
        .map(|(key, value)| ((*key).to_owned(), Fact::Known((*value).to_owned())))
        .collect()
}

pub(crate) fn evaluate_cluster(
    rule: &Rule,
    cluster: ClusterSubject,
    context: &Context<'_>,
) -> Vec<Outcome> {
    rule.evaluate(&Subject::from(cluster), context)
}

/// The attributes of the failures, as strings.
pub(crate) fn failed_at(outcomes: &[Outcome]) -> Vec<String> {
    failures(outcomes)
        .iter()
        .map(|finding| finding.attribute.to_string())
        .collect()
}
