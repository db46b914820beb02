//! The cluster subject: an Aurora cluster and its instances as the cluster rules see them.
//!
//! Two callers build it. The provider builds it from a `dbrail_cluster` plan, where the cluster
//! owns its instances; the CI policy command builds it from a plain `aws_rds_cluster` plus the
//! `aws_rds_cluster_instance` resources that join it, so settings AWS keeps per instance
//! (public access, monitoring, Performance Insights, minor version upgrades) arrive here already
//! combined across the instances (the caller reports the weakest instance).
//!
//! Every fact starts [`Fact::Unknown`]: a setting the caller has not stated leaves the rules that
//! need it undecided instead of passing or failing on a default nobody looked at. A caller that
//! knows a setting is not configured states [`Fact::Absent`], and each rule documents what the
//! AWS default then means for it.
//!
//! One fact is the exception: [`backup_coverage`](ClusterSubject::backup_coverage) starts
//! [`Fact::Absent`], meaning "not judged". Coverage by a backup plan lives in other resources
//! (selections, tags), so only a caller that looked at them can state it; one that did not
//! leaves G7 silent about the cluster instead of making every cluster undecided.

use std::collections::{BTreeMap, BTreeSet};

use crate::{Engine, Fact, ParameterGroupSubject};

/// An Aurora cluster's guardrail-relevant settings.
///
/// Findings name attributes in `dbrail_cluster`'s vocabulary (`deletion_guard`,
/// `backup.retention_days`, ...); [`cluster_attribute_aliases`](crate::cluster_attribute_aliases)
/// translates them to `aws_rds_cluster` argument names.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClusterSubject {
    /// The engine. `Absent` means an engine outside dbrail's catalogue; engine-specific checks
    /// then do not apply.
    pub engine: Fact<Engine>,
    /// The configured engine version: a major (`16`, `8.0`) or an exact version (`16.4`,
    /// `8.0.mysql_aurora.3.05.2`). `Absent` leaves the choice to AWS.
    pub engine_version: Fact<String>,
    /// Whether the cluster storage is encrypted.
    pub storage_encrypted: Fact<bool>,
    /// The KMS key for storage encryption (ARN, alias or id); `Absent` means the AWS-managed key.
    pub kms_key_id: Fact<String>,
    /// Whether any instance is publicly accessible.
    pub publicly_accessible: Fact<bool>,
    /// Whether deletion protection is on (`deletion_guard` in `dbrail_cluster`).
    pub deletion_protection: Fact<bool>,
    /// Whether IAM database authentication is on.
    pub iam_database_authentication: Fact<bool>,
    /// Automated backup retention in days (`backup.retention_days`).
    pub backup_retention_days: Fact<u32>,
    /// The log types exported to CloudWatch Logs (`postgresql`, `audit`, `error`, ...).
    pub log_exports: Fact<Vec<String>>,
    /// Whether minor version upgrades are applied automatically (on every instance).
    pub auto_minor_version_upgrade: Fact<bool>,
    /// The number of reader instances (instances besides the writer).
    pub readers: Fact<u32>,
    /// The distinct availability zones the instances (writer and readers) are placed in.
    /// `Unknown` when any instance's zone is unknown until apply or left to AWS.
    pub availability_zones: Fact<BTreeSet<String>>,
    /// The Enhanced Monitoring interval in seconds (0 turns it off); the longest across
    /// instances.
    pub monitoring_interval: Fact<u32>,
    /// Whether Performance Insights is on (on every instance).
    pub performance_insights: Fact<bool>,
    /// The KMS key for Performance Insights data; `Absent` means the AWS-managed key.
    pub performance_insights_kms_key_id: Fact<String>,
    /// Whether snapshots copy the cluster's tags.
    pub copy_tags_to_snapshot: Fact<bool>,
    /// The effective tags, including provider default tags (`tags_all` for `aws_rds_cluster`).
    pub tags: Fact<BTreeMap<String, Fact<String>>>,
    /// The master (admin) user name.
    pub master_username: Fact<String>,
    /// The port the cluster listens on; `Absent` means the engine default.
    pub port: Fact<u16>,
    /// Whether Secrets Manager manages the master password.
    pub manage_master_user_password: Fact<bool>,
    /// Whether a backup plan covers the cluster: `Known(true)` when a backup selection targets
    /// it, `Known(false)` when none does, `Unknown` when a selection may target it but which
    /// resources it selects is unknown until apply, `Absent` when the caller does not judge
    /// coverage (the default).
    pub backup_coverage: Fact<bool>,
    /// The effective cluster parameter group, when the caller can tell what it will hold. `None`
    /// leaves G9 and G10 undecided for the cluster.
    pub cluster_parameters: Option<ParameterGroupSubject>,
}

macro_rules! with {
    ($($(#[$doc:meta])* $method:ident => $field:ident: $ty:ty;)*) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $method(mut self, value: Fact<$ty>) -> Self {
                self.$field = value;
                self
            }
        )*
    };
}

impl ClusterSubject {
    /// A cluster of `engine` about which nothing else is known yet.
    pub fn new(engine: Fact<Engine>) -> Self {
        Self {
            engine,
            engine_version: Fact::Unknown,
            storage_encrypted: Fact::Unknown,
            kms_key_id: Fact::Unknown,
            publicly_accessible: Fact::Unknown,
            deletion_protection: Fact::Unknown,
            iam_database_authentication: Fact::Unknown,
            backup_retention_days: Fact::Unknown,
            log_exports: Fact::Unknown,
            auto_minor_version_upgrade: Fact::Unknown,
            readers: Fact::Unknown,
            availability_zones: Fact::Unknown,
            monitoring_interval: Fact::Unknown,
            performance_insights: Fact::Unknown,
            performance_insights_kms_key_id: Fact::Unknown,
            copy_tags_to_snapshot: Fact::Unknown,
            tags: Fact::Unknown,
            master_username: Fact::Unknown,
            port: Fact::Unknown,
            manage_master_user_password: Fact::Unknown,
            backup_coverage: Fact::Absent,
            cluster_parameters: None,
        }
    }

    with! {
        /// The same cluster with the engine version stated.
        with_engine_version => engine_version: String;
        /// The same cluster with storage encryption stated.
        with_storage_encrypted => storage_encrypted: bool;
        /// The same cluster with the storage KMS key stated.
        with_kms_key_id => kms_key_id: String;
        /// The same cluster with public accessibility stated.
        with_publicly_accessible => publicly_accessible: bool;
        /// The same cluster with deletion protection stated.
        with_deletion_protection => deletion_protection: bool;
        /// The same cluster with IAM database authentication stated.
        with_iam_database_authentication => iam_database_authentication: bool;
        /// The same cluster with the backup retention stated.
        with_backup_retention_days => backup_retention_days: u32;
        /// The same cluster with the exported log types stated.
        with_log_exports => log_exports: Vec<String>;
        /// The same cluster with automatic minor version upgrades stated.
        with_auto_minor_version_upgrade => auto_minor_version_upgrade: bool;
        /// The same cluster with the number of readers stated.
        with_readers => readers: u32;
        /// The same cluster with the instances' availability zones stated.
        with_availability_zones => availability_zones: BTreeSet<String>;
        /// The same cluster with the Enhanced Monitoring interval stated.
        with_monitoring_interval => monitoring_interval: u32;
        /// The same cluster with Performance Insights stated.
        with_performance_insights => performance_insights: bool;
        /// The same cluster with the Performance Insights KMS key stated.
        with_performance_insights_kms_key_id => performance_insights_kms_key_id: String;
        /// The same cluster with copying tags to snapshots stated.
        with_copy_tags_to_snapshot => copy_tags_to_snapshot: bool;
        /// The same cluster with its effective tags stated.
        with_tags => tags: BTreeMap<String, Fact<String>>;
        /// The same cluster with the master user name stated.
        with_master_username => master_username: String;
        /// The same cluster with the port stated.
        with_port => port: u16;
        /// The same cluster with Secrets Manager management of the master password stated.
        with_manage_master_user_password => manage_master_user_password: bool;
        /// The same cluster with its coverage by a backup plan stated.
        with_backup_coverage => backup_coverage: bool;
    }

    /// The same cluster with its effective cluster parameter group.
    #[must_use]
    pub fn with_cluster_parameters(mut self, group: ParameterGroupSubject) -> Self {
        self.cluster_parameters = Some(group);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_cluster_knows_nothing_but_its_engine() {
        let cluster = ClusterSubject::new(Fact::Known(Engine::AuroraMysql));
        assert_eq!(cluster.engine, Fact::Known(Engine::AuroraMysql));
        assert!(cluster.storage_encrypted.is_unknown());
        assert!(cluster.tags.is_unknown());
        assert!(cluster.cluster_parameters.is_none());
        assert!(
            cluster.backup_coverage.is_absent(),
            "coverage is not judged by default"
        );
    }

    #[test]
    fn builders_set_one_fact_each() {
        let cluster = ClusterSubject::new(Fact::Known(Engine::AuroraPostgresql))
            .with_port(Fact::Known(5433))
            .with_kms_key_id(Fact::Absent)
            .with_readers(Fact::Known(2));
        assert_eq!(cluster.port, Fact::Known(5433));
        assert!(cluster.kms_key_id.is_absent());
        assert_eq!(cluster.readers, Fact::Known(2));
        assert!(cluster.deletion_protection.is_unknown());
    }
}
