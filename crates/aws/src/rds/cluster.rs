//! Aurora DB clusters: create (idempotent), find, modify, delete.
//!
//! ## Fixed by design
//! Four settings are not options in dbrail: storage encryption, IAM database authentication, a
//! master password managed by Secrets Manager (no password ever passes through Terraform or its
//! state) and copying tags to snapshots. [`create_cluster`] always sends them and [`ClusterSpec`]
//! has no field for them. [`Cluster::fixed_setting_drift`] reports the ones a cluster has lost
//! (changed outside Terraform); [`ClusterChange`] can only turn the repairable ones back *on*.
//! Storage encryption cannot be changed on an existing cluster: drift there means replacement.
//!
//! ## Idempotent create
//! A provider that crashed or timed out after `CreateDBCluster` was accepted must not fail the
//! next apply with "already exists", nor create a second cluster. [`create_cluster`] therefore
//! looks the identifier up first and adopts an existing cluster of the same engine (anything
//! else is an `AlreadyExists` error naming both engines), and does the same when the create
//! itself answers `DBClusterAlreadyExistsFault`. Looking first also protects against an API
//! that replaces instead of refusing — which moto does (see below).
//!
//! ## One call for a major upgrade
//! A major version upgrade with a custom instance parameter group fails unless the engine
//! version, the cluster parameter group and the instance parameter group change in *one*
//! `ModifyDBCluster` call with `AllowMajorVersionUpgrade`. [`ClusterChange`]
//! carries all of them, and refuses `db_instance_parameter_group_name` without a major upgrade
//! (AWS accepts it only then) before any call is made.
//!
//! ## What the moto emulator does (moto 5.2.1, `moto/rds/`)
//! - **Status**: the create answer says `creating`; every later describe says `available`
//!   (moto flips the status on the first read). `ModifyDBCluster` never leaves `available`, and
//!   `PendingModifiedValues` is never reported, so waiters finish on their first poll.
//! - **Create again replaces**: `CreateDBCluster` with an existing identifier overwrites the
//!   stored cluster (new resource id, new secret, settings reset) instead of answering
//!   `DBClusterAlreadyExistsFault`; within the same minute it then fails with
//!   `DBClusterSnapshotAlreadyExistsFault` (its automated snapshot `rds:<id>-<minute>` exists)
//!   *after* the overwrite. Hence the look-up before create.
//! - **Works like AWS**: `DbClusterResourceId` (`cluster-` + 26 characters), `Endpoint` and
//!   `ReaderEndpoint` (`<id>.cluster-[ro-]<random>.<region>.rds.amazonaws.com`), identifiers
//!   lower-cased and matched case-insensitively (also by ARN), `StorageEncrypted`,
//!   `IAMDatabaseAuthenticationEnabled`, `CopyTagsToSnapshot`, `DeletionProtection`, port,
//!   windows, retention, security groups, `TagList`, `DBClusterMembers` with `IsClusterWriter`
//!   (the first instance becomes the writer), and `ManageMasterUserPassword`: a
//!   `MasterUserSecret` with a Secrets Manager ARN (status `creating`, then `active`) and a KMS
//!   key ARN. A cluster without a password and without a managed one is
//!   `InvalidParameterValue`, as on AWS.
//! - **Not validated at create**: the subnet group, the cluster parameter group and the KMS key
//!   need not exist (`KmsKeyId` is stored as sent); without a key an encrypted cluster reports
//!   `default_kms_key_id` (AWS: the `aws/rds` key's ARN). `ManageMasterUserPassword` together
//!   with `MasterUserPassword` is accepted (AWS: `InvalidParameterCombination`). The default
//!   cluster parameter group is `default.aurora8.0` whatever the engine; `AvailabilityZones`
//!   is always `<region>a`, `b`, `c`.
//! - **Modify**: stock moto ignores `CloudwatchLogsExportConfiguration` and
//!   `EnableIAMDatabaseAuthentication` and answers an unknown cluster with HTTP 500; the test
//!   emulator models all three through dbrail's extension (`acceptance-tests/emulator/
//!   rds_cluster_modify.py`). `EngineVersion` changes without
//!   `AllowMajorVersionUpgrade` and to any string; `DBClusterParameterGroupName` is not checked
//!   for existence; `DBInstanceParameterGroupName` is ignored (instances keep their group);
//!   members report the cluster's new engine version.
//! - **Delete**: deletion protection refuses with `InvalidParameterCombination` and remaining
//!   members with `InvalidDBClusterStateFault`, as on AWS. The cluster disappears at once (no
//!   `deleting` status); `FinalDBSnapshotIdentifier` creates a manual cluster snapshot that is
//!   `available` at once, with the cluster's tags when `CopyTagsToSnapshot` is set. Deleting
//!   without a final snapshot and without `SkipFinalSnapshot` is accepted (AWS:
//!   `InvalidParameterCombination`), and the managed secret is deleted with the cluster.
//! - `DescribeDBEngineVersions` is not implemented (HTTP 500); see [`super::engine_version`].

use aws_sdk_rds::operation::create_db_cluster::builders::CreateDBClusterFluentBuilder;
use aws_sdk_rds::operation::modify_db_cluster::builders::ModifyDBClusterFluentBuilder;
use aws_sdk_rds::types::{
    CloudwatchLogsExportConfiguration, ClusterPendingModifiedValues, DbCluster,
};
use tokio_util::sync::CancellationToken;

use super::common::{missing_in_response, owned, owned_opt, same_id, single_attempt};
use super::tags::{Tags, from_sdk_tags, to_sdk_tags};
use crate::classify::classify;
use crate::deadline::Deadline;
use crate::error::{AwsError, ErrorClass, OperationError};
use crate::retry::retry;

/// What to create. Encryption, IAM authentication, the managed master password and copying
/// tags to snapshots are not here: they are always on (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClusterSpec {
    /// Cluster identifier (AWS lower-cases it).
    pub identifier: String,
    /// `aurora-postgresql` or `aurora-mysql`.
    pub engine: String,
    /// Exact engine version; `None` lets AWS pick its default.
    pub engine_version: Option<String>,
    /// Name of the database created with the cluster, if any.
    pub database_name: Option<String>,
    /// DB subnet group; `None` uses the default VPC's (not what dbrail configures).
    pub db_subnet_group_name: Option<String>,
    /// VPC security groups; empty uses the VPC's default group.
    pub vpc_security_group_ids: Vec<String>,
    /// KMS key for storage encryption; `None` uses the `aws/rds` key.
    pub kms_key_id: Option<String>,
    /// Master user name (the password is managed by Secrets Manager).
    pub master_username: String,
    /// KMS key for the master user secret; `None` uses the `aws/secretsmanager` key.
    pub master_user_secret_kms_key_id: Option<String>,
    /// Port; `None` uses the engine default (5432 / 3306).
    pub port: Option<i32>,
    /// Days of automated backups (1–35).
    pub backup_retention_period: Option<i32>,
    /// Daily backup window, `hh24:mi-hh24:mi` UTC.
    pub preferred_backup_window: Option<String>,
    /// Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` UTC.
    pub preferred_maintenance_window: Option<String>,
    /// Log types exported to CloudWatch Logs, e.g. `postgresql` or `audit`, `error`, `slowquery`.
    pub enabled_cloudwatch_logs_exports: Vec<String>,
    /// Deletion protection.
    pub deletion_protection: bool,
    /// DB cluster parameter group.
    pub db_cluster_parameter_group_name: Option<String>,
    /// Tags; with `CopyTagsToSnapshot` they reach every snapshot too.
    pub tags: Tags,
}

/// A cluster as AWS reports it. Lists are sorted so state and plans are deterministic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// Cluster identifier.
    pub identifier: String,
    /// ARN, used for tagging.
    pub arn: String,
    /// `DbClusterResourceId` (`cluster-…`): what IAM database authentication policies name.
    pub resource_id: String,
    /// `available`, `creating`, `modifying`, `deleting`, ...
    pub status: String,
    /// Engine, e.g. `aurora-postgresql`.
    pub engine: String,
    /// Exact engine version, including minor upgrades AWS applied.
    pub engine_version: String,
    /// Name of the initial database, if one was created.
    pub database_name: Option<String>,
    /// Writer endpoint.
    pub endpoint: Option<String>,
    /// Reader (load-balanced) endpoint.
    pub reader_endpoint: Option<String>,
    /// Port.
    pub port: Option<i32>,
    /// Master user name.
    pub master_username: String,
    /// KMS key of the storage encryption (ARN on AWS).
    pub kms_key_id: Option<String>,
    /// Storage encryption; always true for clusters dbrail creates.
    pub storage_encrypted: bool,
    /// IAM database authentication.
    pub iam_database_authentication_enabled: bool,
    /// Deletion protection.
    pub deletion_protection: bool,
    /// Days of automated backups.
    pub backup_retention_period: Option<i32>,
    /// Daily backup window.
    pub preferred_backup_window: Option<String>,
    /// Weekly maintenance window.
    pub preferred_maintenance_window: Option<String>,
    /// Log types exported to CloudWatch Logs, sorted.
    pub enabled_cloudwatch_logs_exports: Vec<String>,
    /// Whether snapshots get the cluster's tags.
    pub copy_tags_to_snapshot: bool,
    /// DB subnet group name.
    pub db_subnet_group: Option<String>,
    /// VPC security group ids, sorted.
    pub vpc_security_group_ids: Vec<String>,
    /// DB cluster parameter group name.
    pub db_cluster_parameter_group: Option<String>,
    /// ARN of the Secrets Manager secret holding the master password (managed password).
    pub master_user_secret_arn: Option<String>,
    /// KMS key of that secret.
    pub master_user_secret_kms_key_id: Option<String>,
    /// Availability zones the cluster's storage spans, sorted.
    pub availability_zones: Vec<String>,
    /// Instances in the cluster, sorted by identifier.
    pub members: Vec<ClusterMember>,
    /// Whether AWS reports modifications not applied yet (`PendingModifiedValues`).
    pub has_pending_modifications: bool,
    /// Tags, from the describe answer's `TagList`.
    pub tags: Tags,
    /// The latest time a point-in-time restore can reach (RFC 3339), as AWS reports it.
    pub latest_restorable_time: Option<String>,
}

/// One instance of a [`Cluster`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterMember {
    /// Instance identifier.
    pub instance_identifier: String,
    /// Whether it is the writer (primary).
    pub is_writer: bool,
    /// Failover priority, 0 (first) – 15.
    pub promotion_tier: Option<i32>,
    /// `in-sync` or `pending-reboot` for the cluster parameter group.
    pub parameter_group_status: Option<String>,
}

/// A setting dbrail always turns on (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FixedSetting {
    /// `StorageEncrypted`.
    StorageEncrypted,
    /// `IAMDatabaseAuthenticationEnabled`.
    IamDatabaseAuthentication,
    /// `ManageMasterUserPassword` (a `MasterUserSecret` exists).
    ManagedMasterUserPassword,
    /// `CopyTagsToSnapshot`.
    CopyTagsToSnapshot,
}

impl FixedSetting {
    /// The attribute name users know, e.g. `storage_encrypted`.
    pub fn name(self) -> &'static str {
        match self {
            Self::StorageEncrypted => "storage_encrypted",
            Self::IamDatabaseAuthentication => "iam_database_authentication_enabled",
            Self::ManagedMasterUserPassword => "manage_master_user_password",
            Self::CopyTagsToSnapshot => "copy_tags_to_snapshot",
        }
    }

    /// Whether `ModifyDBCluster` can turn it back on; storage encryption needs a new cluster.
    pub fn is_repairable_in_place(self) -> bool {
        !matches!(self, Self::StorageEncrypted)
    }
}

impl Cluster {
    /// The writer member, if the cluster has one.
    pub fn writer(&self) -> Option<&ClusterMember> {
        self.members.iter().find(|m| m.is_writer)
    }

    /// Whether `instance` is this cluster's writer.
    pub fn is_writer(&self, instance: &str) -> bool {
        self.members
            .iter()
            .any(|m| m.is_writer && same_id(&m.instance_identifier, instance))
    }

    /// Status `available` with nothing pending: what [`super::wait_for_cluster_available`]
    /// waits for.
    pub fn is_available(&self) -> bool {
        self.status == "available" && !self.has_pending_modifications
    }

    /// The fixed-by-design settings this cluster does not have (changed outside Terraform).
    pub fn fixed_setting_drift(&self) -> Vec<FixedSetting> {
        [
            (FixedSetting::StorageEncrypted, self.storage_encrypted),
            (
                FixedSetting::IamDatabaseAuthentication,
                self.iam_database_authentication_enabled,
            ),
            (
                FixedSetting::ManagedMasterUserPassword,
                self.master_user_secret_arn.is_some(),
            ),
            (FixedSetting::CopyTagsToSnapshot, self.copy_tags_to_snapshot),
        ]
        .into_iter()
        .filter(|(_, holds)| !holds)
        .map(|(setting, _)| setting)
        .collect()
    }
}

/// Log types to start and stop exporting (`CloudwatchLogsExportConfiguration`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogExportsChange {
    /// Log types to start exporting.
    pub enable: Vec<String>,
    /// Log types to stop exporting.
    pub disable: Vec<String>,
}

impl LogExportsChange {
    /// Nothing to change.
    pub fn is_empty(&self) -> bool {
        self.enable.is_empty() && self.disable.is_empty()
    }
}

/// What to send to go from the exported log types `current` to `desired`.
pub fn diff_log_exports(current: &[String], desired: &[String]) -> LogExportsChange {
    let mut enable: Vec<String> = desired
        .iter()
        .filter(|d| !current.contains(d))
        .cloned()
        .collect();
    let mut disable: Vec<String> = current
        .iter()
        .filter(|c| !desired.contains(c))
        .cloned()
        .collect();
    enable.sort();
    enable.dedup();
    disable.sort();
    disable.dedup();
    LogExportsChange { enable, disable }
}

/// An in-place change to a cluster: only what is set is sent, in one `ModifyDBCluster` call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClusterChange {
    /// New engine version.
    pub engine_version: Option<String>,
    /// Allow `engine_version` to be a new major version.
    pub allow_major_version_upgrade: bool,
    /// New DB cluster parameter group (with a major upgrade: the new family's group).
    pub db_cluster_parameter_group_name: Option<String>,
    /// Instance parameter group applied to every member during a major upgrade. AWS accepts it
    /// only together with `engine_version` and `allow_major_version_upgrade`; checked here.
    pub db_instance_parameter_group_name: Option<String>,
    /// Days of automated backups (1–35).
    pub backup_retention_period: Option<i32>,
    /// Daily backup window.
    pub preferred_backup_window: Option<String>,
    /// Weekly maintenance window.
    pub preferred_maintenance_window: Option<String>,
    /// Log types to start/stop exporting; see [`diff_log_exports`].
    pub log_exports: LogExportsChange,
    /// Deletion protection on or off.
    pub deletion_protection: Option<bool>,
    /// The complete new list of VPC security groups.
    pub vpc_security_group_ids: Option<Vec<String>>,
    /// New port.
    pub port: Option<i32>,
    /// Turn IAM database authentication back on (fixed by design: it can't be turned off).
    pub enable_iam_database_authentication: bool,
    /// Turn copying tags to snapshots back on (fixed by design).
    pub enable_copy_tags_to_snapshot: bool,
    /// Return the master password to Secrets Manager management (fixed by design).
    pub enable_managed_master_user_password: bool,
    /// Apply now rather than in the next maintenance window.
    pub apply_immediately: bool,
}

impl ClusterChange {
    /// A change that turns back on every repairable setting in `drift` (see
    /// [`Cluster::fixed_setting_drift`]).
    pub fn restoring(drift: &[FixedSetting]) -> Self {
        Self {
            enable_iam_database_authentication: drift
                .contains(&FixedSetting::IamDatabaseAuthentication),
            enable_copy_tags_to_snapshot: drift.contains(&FixedSetting::CopyTagsToSnapshot),
            enable_managed_master_user_password: drift
                .contains(&FixedSetting::ManagedMasterUserPassword),
            apply_immediately: true,
            ..Self::default()
        }
    }

    /// Nothing to send (`apply_immediately` alone changes nothing).
    pub fn is_empty(&self) -> bool {
        let Self {
            engine_version,
            allow_major_version_upgrade: _,
            db_cluster_parameter_group_name,
            db_instance_parameter_group_name,
            backup_retention_period,
            preferred_backup_window,
            preferred_maintenance_window,
            log_exports,
            deletion_protection,
            vpc_security_group_ids,
            port,
            enable_iam_database_authentication,
            enable_copy_tags_to_snapshot,
            enable_managed_master_user_password,
            apply_immediately: _,
        } = self;
        engine_version.is_none()
            && db_cluster_parameter_group_name.is_none()
            && db_instance_parameter_group_name.is_none()
            && backup_retention_period.is_none()
            && preferred_backup_window.is_none()
            && preferred_maintenance_window.is_none()
            && log_exports.is_empty()
            && deletion_protection.is_none()
            && vpc_security_group_ids.is_none()
            && port.is_none()
            && !enable_iam_database_authentication
            && !enable_copy_tags_to_snapshot
            && !enable_managed_master_user_password
    }

    fn validate(&self, operation: &'static str) -> Result<(), AwsError> {
        if self.db_instance_parameter_group_name.is_some()
            && !(self.allow_major_version_upgrade && self.engine_version.is_some())
        {
            return Err(
                AwsError::new(operation, ErrorClass::Validation).with_message(
                    "db_instance_parameter_group_name can only be sent with a major version \
                 upgrade (engine_version and allow_major_version_upgrade)",
                ),
            );
        }
        Ok(())
    }
}

fn pending(values: Option<&ClusterPendingModifiedValues>) -> bool {
    values.is_some_and(|v| *v != ClusterPendingModifiedValues::builder().build())
}

fn sorted(mut values: Vec<String>) -> Vec<String> {
    values.sort();
    values.dedup();
    values
}

pub(crate) fn from_sdk(c: &DbCluster) -> Cluster {
    let mut members: Vec<ClusterMember> = c
        .db_cluster_members()
        .iter()
        .filter_map(|m| {
            Some(ClusterMember {
                instance_identifier: m.db_instance_identifier()?.to_owned(),
                is_writer: m.is_cluster_writer().unwrap_or(false),
                promotion_tier: m.promotion_tier(),
                parameter_group_status: owned_opt(m.db_cluster_parameter_group_status()),
            })
        })
        .collect();
    members.sort_by(|a, b| a.instance_identifier.cmp(&b.instance_identifier));
    let secret = c.master_user_secret();
    Cluster {
        latest_restorable_time: super::common::rfc3339(c.latest_restorable_time()),
        identifier: owned(c.db_cluster_identifier()),
        arn: owned(c.db_cluster_arn()),
        resource_id: owned(c.db_cluster_resource_id()),
        status: owned(c.status()),
        engine: owned(c.engine()),
        engine_version: owned(c.engine_version()),
        database_name: owned_opt(c.database_name()),
        endpoint: owned_opt(c.endpoint()),
        reader_endpoint: owned_opt(c.reader_endpoint()),
        port: c.port(),
        master_username: owned(c.master_username()),
        kms_key_id: owned_opt(c.kms_key_id()),
        storage_encrypted: c.storage_encrypted().unwrap_or(false),
        iam_database_authentication_enabled: c
            .iam_database_authentication_enabled()
            .unwrap_or(false),
        deletion_protection: c.deletion_protection().unwrap_or(false),
        backup_retention_period: c.backup_retention_period(),
        preferred_backup_window: owned_opt(c.preferred_backup_window()),
        preferred_maintenance_window: owned_opt(c.preferred_maintenance_window()),
        enabled_cloudwatch_logs_exports: sorted(c.enabled_cloudwatch_logs_exports().to_vec()),
        copy_tags_to_snapshot: c.copy_tags_to_snapshot().unwrap_or(false),
        db_subnet_group: owned_opt(c.db_subnet_group()),
        vpc_security_group_ids: sorted(
            c.vpc_security_groups()
                .iter()
                .filter_map(|g| g.vpc_security_group_id().map(str::to_owned))
                .collect(),
        ),
        db_cluster_parameter_group: owned_opt(c.db_cluster_parameter_group()),
        master_user_secret_arn: owned_opt(secret.and_then(|s| s.secret_arn())),
        master_user_secret_kms_key_id: owned_opt(secret.and_then(|s| s.kms_key_id())),
        availability_zones: sorted(c.availability_zones().to_vec()),
        members,
        has_pending_modifications: pending(c.pending_modified_values()),
        tags: from_sdk_tags(c.tag_list()),
    }
}

/// The `CreateDBCluster` request for `spec`, with the fixed-by-design settings.
pub(crate) fn create_request(
    rds: &aws_sdk_rds::Client,
    spec: &ClusterSpec,
) -> CreateDBClusterFluentBuilder {
    let tags = to_sdk_tags(&spec.tags);
    rds.create_db_cluster()
        .db_cluster_identifier(&spec.identifier)
        .engine(&spec.engine)
        .set_engine_version(spec.engine_version.clone())
        .set_database_name(spec.database_name.clone())
        .set_db_subnet_group_name(spec.db_subnet_group_name.clone())
        .set_vpc_security_group_ids(
            (!spec.vpc_security_group_ids.is_empty()).then(|| spec.vpc_security_group_ids.clone()),
        )
        .set_kms_key_id(spec.kms_key_id.clone())
        .master_username(&spec.master_username)
        .set_master_user_secret_kms_key_id(spec.master_user_secret_kms_key_id.clone())
        .set_port(spec.port)
        .set_backup_retention_period(spec.backup_retention_period)
        .set_preferred_backup_window(spec.preferred_backup_window.clone())
        .set_preferred_maintenance_window(spec.preferred_maintenance_window.clone())
        .set_enable_cloudwatch_logs_exports(
            (!spec.enabled_cloudwatch_logs_exports.is_empty())
                .then(|| spec.enabled_cloudwatch_logs_exports.clone()),
        )
        .deletion_protection(spec.deletion_protection)
        .set_db_cluster_parameter_group_name(spec.db_cluster_parameter_group_name.clone())
        .set_tags((!tags.is_empty()).then_some(tags))
        // Fixed by design; never configurable.
        .storage_encrypted(true)
        .enable_iam_database_authentication(true)
        .manage_master_user_password(true)
        .copy_tags_to_snapshot(true)
}

/// The `ModifyDBCluster` request for `change`.
pub(crate) fn modify_request(
    rds: &aws_sdk_rds::Client,
    identifier: &str,
    change: &ClusterChange,
) -> ModifyDBClusterFluentBuilder {
    let logs = (!change.log_exports.is_empty()).then(|| {
        CloudwatchLogsExportConfiguration::builder()
            .set_enable_log_types(
                (!change.log_exports.enable.is_empty()).then(|| change.log_exports.enable.clone()),
            )
            .set_disable_log_types(
                (!change.log_exports.disable.is_empty())
                    .then(|| change.log_exports.disable.clone()),
            )
            .build()
    });
    rds.modify_db_cluster()
        .db_cluster_identifier(identifier)
        .set_engine_version(change.engine_version.clone())
        .set_allow_major_version_upgrade(change.allow_major_version_upgrade.then_some(true))
        .set_db_cluster_parameter_group_name(change.db_cluster_parameter_group_name.clone())
        .set_db_instance_parameter_group_name(change.db_instance_parameter_group_name.clone())
        .set_backup_retention_period(change.backup_retention_period)
        .set_preferred_backup_window(change.preferred_backup_window.clone())
        .set_preferred_maintenance_window(change.preferred_maintenance_window.clone())
        .set_cloudwatch_logs_export_configuration(logs)
        .set_deletion_protection(change.deletion_protection)
        .set_vpc_security_group_ids(change.vpc_security_group_ids.clone())
        .set_port(change.port)
        .set_enable_iam_database_authentication(
            change.enable_iam_database_authentication.then_some(true),
        )
        .set_copy_tags_to_snapshot(change.enable_copy_tags_to_snapshot.then_some(true))
        .set_manage_master_user_password(change.enable_managed_master_user_password.then_some(true))
        .apply_immediately(change.apply_immediately)
}

/// One `DescribeDBClusters` call: `Ok(None)` when the cluster does not exist. `identifier` may
/// also be the cluster's ARN.
pub(crate) async fn describe_cluster(
    rds: &aws_sdk_rds::Client,
    identifier: &str,
) -> Result<Option<Cluster>, AwsError> {
    const OP: &str = "DescribeDBClusters";
    match rds
        .describe_db_clusters()
        .db_cluster_identifier(identifier)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .db_clusters()
            .iter()
            .map(from_sdk)
            .find(|c| same_id(&c.identifier, identifier) || c.arn == identifier)),
        Err(e) => {
            let err = classify(OP, e);
            if err.is_not_found() {
                Ok(None)
            } else {
                Err(err)
            }
        }
    }
}

/// Looks a cluster up by identifier (or ARN); `Ok(None)` when it does not exist.
pub async fn find_cluster(
    rds: &aws_sdk_rds::Client,
    identifier: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Option<Cluster>, OperationError> {
    retry("DescribeDBClusters", deadline, cancel, || {
        describe_cluster(rds, identifier)
    })
    .await
}

/// Adopts an existing cluster for `spec`, or explains why it can't.
fn adopt(existing: Cluster, spec: &ClusterSpec) -> Result<Cluster, OperationError> {
    const OP: &str = "CreateDBCluster";
    if existing.engine != spec.engine {
        return Err(AwsError::new(OP, ErrorClass::AlreadyExists)
            .with_code("DBClusterAlreadyExistsFault")
            .with_message(format!(
                "DB cluster {} already exists with engine {}, not {}; choose another \
                 identifier or import it",
                existing.identifier, existing.engine, spec.engine
            ))
            .into());
    }
    if existing.status == "deleting" {
        return Err(AwsError::new(OP, ErrorClass::Busy)
            .with_code("InvalidDBClusterStateFault")
            .with_message(format!(
                "DB cluster {} is being deleted; wait until it is gone, then create it again",
                existing.identifier
            ))
            .into());
    }
    tracing::info!(cluster = %existing.identifier, "adopting an existing DB cluster");
    Ok(existing)
}

/// Creates a cluster from `spec` (always encrypted, with IAM authentication, a managed master
/// password and tags copied to snapshots). Idempotent: an existing cluster with the same
/// identifier and engine is returned as it is (see the module docs); one with another engine is
/// an error for which `is_already_exists()` holds.
///
/// Returns the cluster as the create answer (or the look-up) reports it; wait for it with
/// [`super::wait_for_cluster_available`].
pub async fn create_cluster(
    rds: &aws_sdk_rds::Client,
    spec: &ClusterSpec,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Cluster, OperationError> {
    const OP: &str = "CreateDBCluster";
    if let Some(existing) = find_cluster(rds, &spec.identifier, deadline, cancel).await? {
        return adopt(existing, spec);
    }
    let request = create_request(rds, spec);
    let created = retry(OP, deadline, cancel, || {
        let request = request.clone();
        async move {
            let out = request.send().await.map_err(|e| classify(OP, e))?;
            out.db_cluster()
                .map(from_sdk)
                .ok_or_else(|| missing_in_response(OP, "DB cluster"))
        }
    })
    .await;
    match created {
        Err(err) if err.is_already_exists() => {
            match find_cluster(rds, &spec.identifier, deadline, cancel).await? {
                Some(existing) => adopt(existing, spec),
                None => Err(err),
            }
        }
        other => other,
    }
}

/// Sends `change` in one `ModifyDBCluster` call; an empty change sends nothing. Busy states
/// (`InvalidDBClusterStateFault`, e.g. while a previous change applies) are retried until the
/// deadline. Follow with [`super::wait_for_cluster_available`] when `apply_immediately` is set.
pub async fn modify_cluster(
    rds: &aws_sdk_rds::Client,
    identifier: &str,
    change: &ClusterChange,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    const OP: &str = "ModifyDBCluster";
    change.validate(OP)?;
    if change.is_empty() {
        return Ok(());
    }
    let request = modify_request(rds, identifier, change);
    retry(OP, deadline, cancel, || {
        let request = request.clone();
        async move {
            request.send().await.map_err(|e| classify(OP, e))?;
            Ok(())
        }
    })
    .await
}

/// Deletes a cluster, taking a final snapshot named `final_snapshot_identifier`; `None` skips
/// the snapshot (only when the user asked to: dbrail always takes one). Succeeds if the cluster
/// is already gone. The cluster must have no instances left: while some are still being
/// deleted AWS answers `InvalidDBClusterStateFault`, which is retried until the deadline (a
/// cluster already being deleted is waited out the same way, ending in success once it is
/// gone). Deletion protection is a validation error, not retried.
///
/// Does not wait; follow with [`super::wait_for_cluster_deleted`].
pub async fn delete_cluster(
    rds: &aws_sdk_rds::Client,
    identifier: &str,
    final_snapshot_identifier: Option<&str>,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    const OP: &str = "DeleteDBCluster";
    let mut attempts = 0u32;
    let deleted = retry(OP, deadline, cancel, || {
        attempts += 1;
        let request = rds
            .delete_db_cluster()
            .db_cluster_identifier(identifier)
            .set_final_db_snapshot_identifier(final_snapshot_identifier.map(str::to_owned))
            .skip_final_snapshot(final_snapshot_identifier.is_none());
        async move {
            request
                .customize()
                .config_override(single_attempt())
                .send()
                .await
                .map_err(|e| classify(OP, e))?;
            Ok(())
        }
    })
    .await;
    match deleted {
        Err(err) if err.is_not_found() => Ok(()),
        // An earlier attempt went through unseen: its final snapshot now "already exists".
        Err(err) if err.is_already_exists() && attempts > 1 => {
            match find_cluster(rds, identifier, deadline, cancel).await? {
                None => Ok(()),
                Some(c) if c.status == "deleting" => Ok(()),
                Some(_) => Err(err),
            }
        }
        other => other,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
pub(crate) mod tests {
    use aws_sdk_rds::types::{DbClusterMember, MasterUserSecret, Tag, VpcSecurityGroupMembership};

    use super::*;

    /// A client that is never used to send anything: request builders only.
    pub(crate) fn offline_client() -> aws_sdk_rds::Client {
        let config = aws_sdk_rds::Config::builder()
            .behavior_version(aws_sdk_rds::config::BehaviorVersion::latest())
            .region(aws_sdk_rds::config::Region::new("us-east-1"))
            .build();
        aws_sdk_rds::Client::from_conf(config)
    }

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    pub(crate) fn sdk_cluster() -> DbCluster {
        DbCluster::builder()
            .db_cluster_identifier("orders")
            .db_cluster_arn("arn:aws:rds:us-east-1:123456789012:cluster:orders")
            .db_cluster_resource_id("cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            .status("available")
            .engine("aurora-postgresql")
            .engine_version("16.4")
            .endpoint("orders.cluster-x.us-east-1.rds.amazonaws.com")
            .reader_endpoint("orders.cluster-ro-x.us-east-1.rds.amazonaws.com")
            .port(5432)
            .master_username("dbadmin")
            .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/k")
            .storage_encrypted(true)
            .iam_database_authentication_enabled(true)
            .deletion_protection(true)
            .backup_retention_period(7)
            .preferred_backup_window("03:00-04:00")
            .preferred_maintenance_window("sun:05:00-sun:06:00")
            .enabled_cloudwatch_logs_exports("postgresql")
            .enabled_cloudwatch_logs_exports("audit")
            .copy_tags_to_snapshot(true)
            .db_subnet_group("orders-db")
            .vpc_security_groups(
                VpcSecurityGroupMembership::builder()
                    .vpc_security_group_id("sg-2")
                    .build(),
            )
            .vpc_security_groups(
                VpcSecurityGroupMembership::builder()
                    .vpc_security_group_id("sg-1")
                    .build(),
            )
            .db_cluster_parameter_group("orders-pg16")
            .master_user_secret(
                MasterUserSecret::builder()
                    .secret_arn("arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!x")
                    .kms_key_id("arn:aws:kms:us-east-1:123456789012:key/s")
                    .secret_status("active")
                    .build(),
            )
            .availability_zones("us-east-1b")
            .availability_zones("us-east-1a")
            .db_cluster_members(
                DbClusterMember::builder()
                    .db_instance_identifier("orders-2")
                    .is_cluster_writer(false)
                    .promotion_tier(1)
                    .build(),
            )
            .db_cluster_members(
                DbClusterMember::builder()
                    .db_instance_identifier("orders-1")
                    .is_cluster_writer(true)
                    .promotion_tier(0)
                    .db_cluster_parameter_group_status("in-sync")
                    .build(),
            )
            .tag_list(Tag::builder().key("env").value("prod").build())
            .build()
    }

    #[test]
    fn sdk_cluster_converts() {
        let c = from_sdk(&sdk_cluster());
        assert_eq!(c.identifier, "orders");
        assert_eq!(c.resource_id, "cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        assert_eq!(c.engine_version, "16.4");
        assert_eq!(
            c.reader_endpoint.as_deref(),
            Some("orders.cluster-ro-x.us-east-1.rds.amazonaws.com")
        );
        assert_eq!(c.port, Some(5432));
        assert!(c.storage_encrypted && c.iam_database_authentication_enabled);
        assert!(c.deletion_protection && c.copy_tags_to_snapshot);
        assert_eq!(
            c.enabled_cloudwatch_logs_exports,
            strings(&["audit", "postgresql"])
        );
        assert_eq!(c.vpc_security_group_ids, strings(&["sg-1", "sg-2"]));
        assert_eq!(c.availability_zones, strings(&["us-east-1a", "us-east-1b"]));
        assert_eq!(
            c.master_user_secret_arn.as_deref(),
            Some("arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!x")
        );
        let ids: Vec<&str> = c
            .members
            .iter()
            .map(|m| m.instance_identifier.as_str())
            .collect();
        assert_eq!(ids, vec!["orders-1", "orders-2"]);
        assert_eq!(
            c.writer().map(|w| w.instance_identifier.as_str()),
            Some("orders-1")
        );
        assert!(c.is_writer("ORDERS-1"));
        assert!(!c.is_writer("orders-2"));
        assert_eq!(c.tags.get("env").map(String::as_str), Some("prod"));
        assert!(!c.has_pending_modifications);
        assert!(c.is_available());
        assert!(c.fixed_setting_drift().is_empty());
    }

    #[test]
    fn pending_values_count_only_when_something_is_pending() {
        assert!(!pending(None));
        assert!(!pending(Some(
            &ClusterPendingModifiedValues::builder().build()
        )));
        let engine = ClusterPendingModifiedValues::builder()
            .engine_version("16.6")
            .build();
        assert!(pending(Some(&engine)));
        let c = from_sdk(
            &DbCluster::builder()
                .db_cluster_identifier("orders")
                .status("available")
                .pending_modified_values(engine)
                .build(),
        );
        assert!(c.has_pending_modifications);
        assert!(!c.is_available());
    }

    #[test]
    fn drift_names_lost_fixed_settings() {
        let c = from_sdk(
            &DbCluster::builder()
                .db_cluster_identifier("x")
                .storage_encrypted(false)
                .iam_database_authentication_enabled(false)
                .copy_tags_to_snapshot(false)
                .build(),
        );
        let drift = c.fixed_setting_drift();
        assert_eq!(
            drift,
            vec![
                FixedSetting::StorageEncrypted,
                FixedSetting::IamDatabaseAuthentication,
                FixedSetting::ManagedMasterUserPassword,
                FixedSetting::CopyTagsToSnapshot,
            ]
        );
        assert!(!FixedSetting::StorageEncrypted.is_repairable_in_place());
        assert_eq!(
            FixedSetting::ManagedMasterUserPassword.name(),
            "manage_master_user_password"
        );
        let change = ClusterChange::restoring(&drift);
        assert!(change.enable_iam_database_authentication);
        assert!(change.enable_copy_tags_to_snapshot);
        assert!(change.enable_managed_master_user_password);
        let input = modify_request(&offline_client(), "x", &change);
        let input = input.as_input();
        assert_eq!(input.get_enable_iam_database_authentication(), &Some(true));
        assert_eq!(input.get_copy_tags_to_snapshot(), &Some(true));
        assert_eq!(input.get_manage_master_user_password(), &Some(true));
        assert_eq!(input.get_storage_type(), &None);
    }

    #[test]
    fn create_request_always_sets_the_fixed_settings() {
        let spec = ClusterSpec {
            identifier: "orders".into(),
            engine: "aurora-postgresql".into(),
            engine_version: Some("16.4".into()),
            master_username: "dbadmin".into(),
            deletion_protection: true,
            tags: [("env".to_owned(), "prod".to_owned())].into(),
            ..ClusterSpec::default()
        };
        let request = create_request(&offline_client(), &spec);
        let input = request.as_input();
        assert_eq!(input.get_storage_encrypted(), &Some(true));
        assert_eq!(input.get_enable_iam_database_authentication(), &Some(true));
        assert_eq!(input.get_manage_master_user_password(), &Some(true));
        assert_eq!(input.get_copy_tags_to_snapshot(), &Some(true));
        assert_eq!(input.get_master_user_password(), &None);
        assert_eq!(input.get_deletion_protection(), &Some(true));
        assert_eq!(input.get_engine_version().as_deref(), Some("16.4"));
        // Empty lists and unset options are not sent.
        assert_eq!(input.get_vpc_security_group_ids(), &None);
        assert_eq!(input.get_enable_cloudwatch_logs_exports(), &None);
        assert_eq!(input.get_kms_key_id(), &None);
        assert_eq!(input.get_port(), &None);
        assert_eq!(input.get_tags().as_ref().map(Vec::len), Some(1));
    }

    #[test]
    fn modify_request_sends_only_what_is_set() {
        let change = ClusterChange {
            backup_retention_period: Some(14),
            log_exports: diff_log_exports(&strings(&["postgresql"]), &strings(&[])),
            deletion_protection: Some(false),
            apply_immediately: true,
            ..ClusterChange::default()
        };
        assert!(!change.is_empty());
        let request = modify_request(&offline_client(), "orders", &change);
        let input = request.as_input();
        assert_eq!(input.get_db_cluster_identifier().as_deref(), Some("orders"));
        assert_eq!(input.get_backup_retention_period(), &Some(14));
        assert_eq!(input.get_deletion_protection(), &Some(false));
        assert_eq!(input.get_apply_immediately(), &Some(true));
        let logs = input
            .get_cloudwatch_logs_export_configuration()
            .clone()
            .unwrap();
        assert_eq!(logs.disable_log_types(), ["postgresql"]);
        assert!(logs.enable_log_types().is_empty());
        for unset in [
            input.get_engine_version(),
            input.get_db_cluster_parameter_group_name(),
            input.get_db_instance_parameter_group_name(),
            input.get_preferred_backup_window(),
        ] {
            assert_eq!(unset, &None);
        }
        assert_eq!(input.get_allow_major_version_upgrade(), &None);
        assert_eq!(input.get_enable_iam_database_authentication(), &None);
        assert_eq!(input.get_vpc_security_group_ids(), &None);
        assert_eq!(input.get_port(), &None);
    }

    #[test]
    fn major_upgrade_travels_in_one_request() {
        let change = ClusterChange {
            engine_version: Some("17.2".into()),
            allow_major_version_upgrade: true,
            db_cluster_parameter_group_name: Some("orders-pg17".into()),
            db_instance_parameter_group_name: Some("orders-pg17-instance".into()),
            apply_immediately: true,
            ..ClusterChange::default()
        };
        assert!(change.validate("ModifyDBCluster").is_ok());
        let request = modify_request(&offline_client(), "orders", &change);
        let input = request.as_input();
        assert_eq!(input.get_engine_version().as_deref(), Some("17.2"));
        assert_eq!(input.get_allow_major_version_upgrade(), &Some(true));
        assert_eq!(
            input.get_db_cluster_parameter_group_name().as_deref(),
            Some("orders-pg17")
        );
        assert_eq!(
            input.get_db_instance_parameter_group_name().as_deref(),
            Some("orders-pg17-instance")
        );
    }

    #[test]
    fn instance_group_without_major_upgrade_is_refused() {
        let change = ClusterChange {
            db_instance_parameter_group_name: Some("orders-pg16-instance".into()),
            ..ClusterChange::default()
        };
        let err = change.validate("ModifyDBCluster").unwrap_err();
        assert!(err.is_validation(), "{err:?}");
        let minor = ClusterChange {
            engine_version: Some("16.6".into()),
            ..change
        };
        assert!(minor.validate("ModifyDBCluster").is_err());
    }

    #[test]
    fn empty_change_is_empty() {
        assert!(ClusterChange::default().is_empty());
        assert!(
            ClusterChange {
                apply_immediately: true,
                allow_major_version_upgrade: true,
                ..ClusterChange::default()
            }
            .is_empty()
        );
        assert!(
            !ClusterChange {
                port: Some(5433),
                ..ClusterChange::default()
            }
            .is_empty()
        );
    }

    #[test]
    fn log_export_diff() {
        let d = diff_log_exports(
            &strings(&["audit", "error"]),
            &strings(&["slowquery", "error", "audit", "general"]),
        );
        assert_eq!(d.enable, strings(&["general", "slowquery"]));
        assert!(d.disable.is_empty());
        let d = diff_log_exports(&strings(&["audit", "error"]), &strings(&["error"]));
        assert_eq!(d.disable, strings(&["audit"]));
        assert!(diff_log_exports(&strings(&["a"]), &strings(&["a"])).is_empty());
    }

    #[test]
    fn adopting_checks_engine_and_status() {
        let existing = from_sdk(&sdk_cluster());
        let spec = ClusterSpec {
            identifier: "orders".into(),
            engine: "aurora-postgresql".into(),
            ..ClusterSpec::default()
        };
        assert_eq!(adopt(existing.clone(), &spec).unwrap(), existing);

        let mysql = ClusterSpec {
            engine: "aurora-mysql".into(),
            ..spec.clone()
        };
        let err = adopt(existing.clone(), &mysql).unwrap_err();
        assert!(err.is_already_exists(), "{err:?}");
        assert!(err.to_string().contains("aurora-postgresql"), "{err}");

        let deleting = Cluster {
            status: "deleting".into(),
            ..existing
        };
        let err = adopt(deleting, &spec).unwrap_err();
        assert!(err.aws_error().is_some_and(AwsError::is_busy), "{err:?}");
    }
}
