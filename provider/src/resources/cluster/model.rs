//! The typed state of `dbrail_cluster`; field names are the schema's attribute names.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// `parameter_baseline`: the parts of a `dbrail_parameter_baseline` a cluster uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BaselineRef {
    pub(crate) name: String,
    pub(crate) family: String,
    pub(crate) cluster_parameter_group_name: String,
    pub(crate) instance_parameter_group_name: String,
    pub(crate) effective_cluster_parameters: Option<BTreeMap<String, String>>,
}

/// `backup_policy`: the parts of a `dbrail_backup_policy` a cluster uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BackupPolicyRef {
    pub(crate) name: String,
    pub(crate) retention_days: i64,
}

/// The `backup` block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Backup {
    pub(crate) retention_days: Option<i64>,
    pub(crate) window: Option<String>,
}

/// One `waiver` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct WaiverModel {
    pub(crate) rule: String,
    pub(crate) reason: String,
    pub(crate) expires: String,
}

/// The `timeouts` block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TimeoutsModel {
    pub(crate) create: Option<String>,
    pub(crate) update: Option<String>,
    pub(crate) delete: Option<String>,
}

/// State of one guarded cluster.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct State {
    pub(crate) id: Option<String>,
    pub(crate) name: String,
    pub(crate) engine: String,
    pub(crate) engine_version: String,
    pub(crate) allow_major_version_upgrade: Option<bool>,
    pub(crate) tier: String,
    pub(crate) instance_class: String,
    pub(crate) readers: Option<i64>,
    pub(crate) subnet_ids: Option<BTreeSet<String>>,
    pub(crate) db_subnet_group_name: Option<String>,
    pub(crate) security_group_ids: Option<BTreeSet<String>>,
    pub(crate) kms_key_id: Option<String>,
    pub(crate) parameter_baseline: Option<BaselineRef>,
    pub(crate) backup_policy: Option<BackupPolicyRef>,
    pub(crate) maintenance_window: Option<String>,
    pub(crate) log_exports: Option<BTreeSet<String>>,
    pub(crate) performance_insights: Option<bool>,
    pub(crate) monitoring_interval: Option<i64>,
    pub(crate) monitoring_role_arn: Option<String>,
    pub(crate) port: Option<i64>,
    pub(crate) master_username: Option<String>,
    pub(crate) deletion_guard: Option<bool>,
    pub(crate) tags: Option<BTreeMap<String, String>>,
    pub(crate) arn: Option<String>,
    pub(crate) cluster_resource_id: Option<String>,
    pub(crate) endpoint: Option<String>,
    pub(crate) reader_endpoint: Option<String>,
    pub(crate) engine_version_actual: Option<String>,
    pub(crate) master_user_secret_arn: Option<String>,
    pub(crate) writer_instance_id: Option<String>,
    pub(crate) reader_instance_ids: Option<Vec<String>>,
    pub(crate) availability_zones: Option<BTreeSet<String>>,
    pub(crate) final_snapshot_identifier: Option<String>,
    pub(crate) guarded_settings: Option<BTreeMap<String, String>>,
    pub(crate) compliance: Option<BTreeMap<String, String>>,
    pub(crate) backup: Option<Backup>,
    pub(crate) waiver: Option<Vec<WaiverModel>>,
    pub(crate) timeouts: Option<TimeoutsModel>,
}

impl State {
    /// Whether the deletion guard is on (it is unless explicitly turned off).
    pub(crate) fn guarded(&self) -> bool {
        self.deletion_guard.unwrap_or(true)
    }

    /// Desired reader count.
    pub(crate) fn reader_count(&self) -> usize {
        usize::try_from(self.readers.unwrap_or(1)).unwrap_or(0)
    }
}

/// dbrail's default port: one above the engine's well-known port, which rule G15 (Security Hub
/// RDS.23) asks clusters to avoid.
pub(crate) fn default_port(engine: &str) -> i64 {
    if engine == "aurora-mysql" { 3307 } else { 5433 }
}

/// The log exports every cluster of `engine` gets unless configured otherwise: exactly what
/// rule G8 requires.
pub(crate) fn default_log_exports(engine: &str) -> BTreeSet<String> {
    dbrail_rules::Engine::from_name(engine)
        .map(|e| {
            dbrail_rules::required_log_exports(e)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Settings fixed by design and what they must read.
pub(crate) fn desired_guarded_settings() -> BTreeMap<String, String> {
    [
        ("copy_tags_to_snapshot", "true"),
        ("iam_database_authentication", "true"),
        ("manage_master_user_password", "true"),
        ("publicly_accessible", "false"),
        ("storage_encrypted", "true"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// `16` from `16.4`, `8.0` from `8.0.mysql_aurora.3.05.2`: the major an engine version belongs to.
pub(crate) fn major_of(engine: &str, version: &str) -> String {
    let mut parts = version.split('.');
    let first = parts.next().unwrap_or_default();
    if engine == "aurora-mysql" {
        match parts.next() {
            Some(second) => format!("{first}.{second}"),
            None => first.to_owned(),
        }
    } else {
        first.to_owned()
    }
}

/// Whether `configured` (a major or an exact version) is satisfied by what AWS runs.
pub(crate) fn version_satisfied(engine: &str, configured: &str, actual: &str) -> bool {
    if configured == actual {
        return true;
    }
    let configured_is_major = major_of(engine, configured) == configured;
    if configured_is_major {
        major_of(engine, actual) == configured
    } else {
        // An exact pin that AWS has since moved past within the same major (AWS-applied minor
        // upgrades cannot be undone) still counts as satisfied.
        major_of(engine, actual) == major_of(engine, configured)
            && newer_or_equal(actual, configured)
    }
}

fn newer_or_equal(a: &str, b: &str) -> bool {
    let parse = |v: &str| -> Vec<u64> {
        v.split(|c: char| !c.is_ascii_digit())
            .filter_map(|p| p.parse().ok())
            .collect()
    };
    parse(a) >= parse(b)
}

/// The parameter group family for an engine and version: `aurora-postgresql16`, `aurora-mysql8.0`.
pub(crate) fn family_of(engine: &str, version: &str) -> String {
    format!("{engine}{}", major_of(engine, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majors_and_families() {
        assert_eq!(major_of("aurora-postgresql", "16.4"), "16");
        assert_eq!(major_of("aurora-postgresql", "16"), "16");
        assert_eq!(major_of("aurora-mysql", "8.0.mysql_aurora.3.05.2"), "8.0");
        assert_eq!(family_of("aurora-mysql", "8.0"), "aurora-mysql8.0");
        assert_eq!(
            family_of("aurora-postgresql", "15.7"),
            "aurora-postgresql15"
        );
    }

    #[test]
    fn a_pinned_major_accepts_any_minor_aws_applies() {
        assert!(version_satisfied("aurora-postgresql", "16", "16.4"));
        assert!(version_satisfied("aurora-postgresql", "16", "16.6"));
        assert!(!version_satisfied("aurora-postgresql", "16", "15.8"));
        assert!(version_satisfied("aurora-postgresql", "16.4", "16.6"));
        assert!(!version_satisfied("aurora-postgresql", "16.6", "16.4"));
        assert!(version_satisfied(
            "aurora-mysql",
            "8.0",
            "8.0.mysql_aurora.3.05.2"
        ));
    }

    #[test]
    fn defaults_follow_the_engine() {
        assert_eq!(default_port("aurora-mysql"), 3307);
        assert!(default_log_exports("aurora-postgresql").contains("postgresql"));
        assert_eq!(default_log_exports("aurora-mysql").len(), 3);
    }
}
