//! `dbrail_cluster` attribute names and their `aws_rds_cluster` counterparts.
//!
//! The cluster rules name attributes in `dbrail_cluster`'s vocabulary, which is what the provider
//! attaches diagnostics to. The CI policy command evaluates plain `aws_rds_cluster` resources
//! with the same rules and must point at the argument its users actually wrote; this table is the
//! one place that knows both names, and a test keeps it complete for every attribute a rule
//! reports.

/// Each `dbrail_cluster` attribute a cluster rule reports (paths written as in
/// [`AttrPath`](crate::AttrPath)'s display, map keys left out) with the `aws_rds_cluster`
/// argument that controls the same setting.
///
/// Settings that Aurora keeps per instance are set on each `aws_rds_cluster_instance` in the AWS
/// provider (the names are that resource's arguments); [`cluster_instance_attributes`] lists
/// them. `readers` has no argument of its own: it is the number of `aws_rds_cluster_instance`
/// resources joining the cluster, less the writer, written `(instances)`. `backup_policy` (G7's
/// coverage) has none either: an `aws_rds_cluster` is covered by an `aws_backup_selection`
/// targeting it, written `(backup selection)`. `tags` findings carry
/// the missing key (`tags["owner"]`), which stays the same in both vocabularies.
pub fn cluster_attribute_aliases() -> &'static [(&'static str, &'static str)] {
    &ALIASES
}

/// The `dbrail_cluster` attributes whose AWS counterpart is set on `aws_rds_cluster_instance`
/// rather than `aws_rds_cluster`, so the CI command can point at the instances.
pub fn cluster_instance_attributes() -> &'static [&'static str] {
    &INSTANCE_LEVEL
}

static ALIASES: [(&str, &str); 19] = [
    ("storage_encrypted", "storage_encrypted"),
    ("kms_key_id", "kms_key_id"),
    ("publicly_accessible", "publicly_accessible"),
    ("deletion_guard", "deletion_protection"),
    (
        "iam_database_authentication",
        "iam_database_authentication_enabled",
    ),
    ("backup.retention_days", "backup_retention_period"),
    ("log_exports", "enabled_cloudwatch_logs_exports"),
    ("engine_version", "engine_version"),
    ("auto_minor_version_upgrade", "auto_minor_version_upgrade"),
    ("readers", "(instances)"),
    ("monitoring_interval", "monitoring_interval"),
    ("performance_insights", "performance_insights_enabled"),
    ("copy_tags_to_snapshot", "copy_tags_to_snapshot"),
    ("tags", "tags"),
    ("master_username", "master_username"),
    ("port", "port"),
    ("manage_master_user_password", "manage_master_user_password"),
    ("parameter_baseline", "db_cluster_parameter_group_name"),
    ("backup_policy", "(backup selection)"),
];

static INSTANCE_LEVEL: [&str; 5] = [
    "publicly_accessible",
    "auto_minor_version_upgrade",
    "readers",
    "monitoring_interval",
    "performance_insights",
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::testing::{dbrail_cluster, in_tier};
    use crate::{ClusterSubject, Engine, Fact, Outcome, PathStep, Subject, Tier, evaluate};

    /// The path an outcome names, without map keys and list indices, as the table spells it.
    fn attribute(outcome: &Outcome) -> String {
        let path = match outcome {
            Outcome::Fail(finding) | Outcome::Waived { finding, .. } => &finding.attribute,
            Outcome::Undecided { attribute, .. } => attribute,
            Outcome::Pass { .. } => return String::new(),
        };
        path.steps()
            .iter()
            .filter_map(|step| match step {
                PathStep::Attribute(name) => Some(name.as_str()),
                PathStep::Key(_) | PathStep::Index(_) => None,
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    /// Everything a cluster rule can report: every setting wrong, then every setting unknown.
    fn reported() -> BTreeSet<String> {
        let wrong = ClusterSubject::new(Fact::Known(Engine::AuroraPostgresql))
            .with_engine_version(Fact::Known("11.9".to_owned()))
            .with_storage_encrypted(Fact::Known(true))
            .with_kms_key_id(Fact::Absent)
            .with_publicly_accessible(Fact::Known(true))
            .with_deletion_protection(Fact::Known(false))
            .with_iam_database_authentication(Fact::Known(false))
            .with_backup_retention_days(Fact::Known(1))
            .with_log_exports(Fact::Absent)
            .with_auto_minor_version_upgrade(Fact::Known(false))
            .with_readers(Fact::Known(0))
            .with_availability_zones(Fact::Absent)
            .with_monitoring_interval(Fact::Known(0))
            .with_performance_insights(Fact::Known(false))
            .with_performance_insights_kms_key_id(Fact::Absent)
            .with_copy_tags_to_snapshot(Fact::Known(false))
            .with_tags(Fact::Absent)
            .with_master_username(Fact::Known("postgres".to_owned()))
            .with_port(Fact::Known(5432))
            .with_manage_master_user_password(Fact::Known(false))
            .with_backup_coverage(Fact::Known(false));
        let unknown = ClusterSubject::new(Fact::Unknown);
        let context = in_tier(Tier::Production).with_required_tags(&["owner"]);
        let mut weak_baseline = dbrail_cluster();
        if let Some(group) = weak_baseline.cluster_parameters.as_mut() {
            group.parameters.clear();
        }
        [wrong, unknown, weak_baseline]
            .into_iter()
            .flat_map(|cluster| evaluate(&Subject::from(cluster), &context))
            .filter(|outcome| !matches!(outcome, Outcome::Pass { .. }))
            .map(|outcome| attribute(&outcome))
            .collect()
    }

    #[test]
    fn every_reported_attribute_has_an_alias_and_every_alias_is_reported() {
        let table: BTreeSet<String> = cluster_attribute_aliases()
            .iter()
            .map(|(dbrail, _)| (*dbrail).to_owned())
            .collect();
        let reported = reported();
        let missing: Vec<&String> = reported.difference(&table).collect();
        assert!(missing.is_empty(), "no alias for {missing:?}");
        let unused: Vec<&String> = table.difference(&reported).collect();
        assert!(unused.is_empty(), "never reported: {unused:?}");
    }

    #[test]
    fn names_are_unique_and_translate_the_renamed_attributes() {
        let mut seen = BTreeSet::new();
        for (dbrail, aws) in cluster_attribute_aliases() {
            assert!(seen.insert(*dbrail), "{dbrail} twice");
            assert!(!aws.is_empty(), "{dbrail}");
        }
        let aws = |dbrail: &str| {
            cluster_attribute_aliases()
                .iter()
                .find(|(name, _)| *name == dbrail)
                .map(|(_, aws)| *aws)
        };
        assert_eq!(aws("deletion_guard"), Some("deletion_protection"));
        assert_eq!(
            aws("iam_database_authentication"),
            Some("iam_database_authentication_enabled")
        );
        assert_eq!(
            aws("backup.retention_days"),
            Some("backup_retention_period")
        );
        assert_eq!(aws("log_exports"), Some("enabled_cloudwatch_logs_exports"));
        assert_eq!(
            aws("parameter_baseline"),
            Some("db_cluster_parameter_group_name")
        );
        assert_eq!(
            aws("performance_insights"),
            Some("performance_insights_enabled")
        );
        assert_eq!(aws("monitoring_interval"), Some("monitoring_interval"));
    }

    #[test]
    fn instance_level_attributes_are_in_the_table() {
        for name in cluster_instance_attributes() {
            assert!(
                cluster_attribute_aliases()
                    .iter()
                    .any(|(dbrail, _)| dbrail == name),
                "{name}"
            );
        }
    }
}
