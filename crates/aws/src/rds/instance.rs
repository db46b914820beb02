//! Aurora cluster instances (the writer and the readers): create (idempotent), find, list a
//! cluster's instances, modify, delete.
//!
//! The `dbrail_cluster` resource owns its instances and adds or removes only the difference
//! when the reader count changes, so the building blocks here are per instance;
//! [`list_cluster_instances`] reads them all in one paginated call.
//!
//! **Writer or reader** is not part of `DescribeDBInstances`: AWS reports it only in the
//! cluster's `DBClusterMembers`. [`find_instance`] therefore also reads the cluster, and
//! [`list_cluster_instances`] takes the [`Cluster`] the caller already read.
//!
//! **Never public**: `PubliclyAccessible` is always sent as `false` (guardrail G3), and
//! [`InstanceChange::disable_public_access`] repairs drift. **No final snapshot**: a cluster
//! member's storage is the cluster's, so [`delete_instance`] always sets `SkipFinalSnapshot`;
//! the cluster's own final snapshot is what protects the data.
//!
//! **Idempotent create**: on `DBInstanceAlreadyExists` an instance that already belongs to the
//! same cluster with the same engine is adopted; anything else is an `AlreadyExists` error.
//!
//! ## What the moto emulator does (moto 5.2.1, `moto/rds/`)
//! - Instances are `available` immediately; a second create answers `DBInstanceAlreadyExists`,
//!   a wrong engine `InvalidParameterCombination`, an unknown cluster `DBClusterNotFoundFault`,
//!   an unknown parameter group `DBParameterGroupNotFound` — all as on AWS.
//! - **AZ placement**: `AvailabilityZone` is stored as sent; without it every instance lands in
//!   `<region>a` (AWS spreads them). Nothing checks the zone against the subnet group.
//! - The first instance becomes the writer (`IsClusterWriter` in the cluster's members); on
//!   writer deletion the lowest promotion tier takes over.
//! - **Performance Insights and monitoring**: stock moto never reports the Performance Insights
//!   settings and reports monitoring only after a modify; the test emulator models both, with
//!   AWS's validation, through dbrail's extension (`acceptance-tests/emulator/
//!   rds_instance_monitoring.py`). `PubliclyAccessible` is reported only when
//!   sent. `DbiResourceId` is the same constant for every instance.
//! - `ModifyDBInstance` applies everything at once (`PendingModifiedValues` never appears) and
//!   answers `DBInstanceNotFound` for an unknown instance. `DeleteDBInstance` removes the
//!   instance at once (the answer says `deleting`) and answers `DBInstanceNotFound` afterwards;
//!   moto would even take a final DB snapshot of a cluster member if asked (on AWS the setting
//!   does not apply to Aurora members).
//! - `Filters` `db-cluster-id` works, and `MaxRecords`/`Marker` paginate as on AWS (checked
//!   with 25 instances and pages of 20); the tests' three instances fit one page of 100.

use aws_sdk_rds::operation::create_db_instance::builders::CreateDBInstanceFluentBuilder;
use aws_sdk_rds::operation::modify_db_instance::builders::ModifyDBInstanceFluentBuilder;
use aws_sdk_rds::types::{DbInstance, Filter, PendingModifiedValues};
use tokio_util::sync::CancellationToken;

use super::cluster::{Cluster, describe_cluster};
use super::common::{missing_in_response, owned, owned_opt, same_id};
use super::tags::{Tags, from_sdk_tags, to_sdk_tags};
use crate::classify::classify;
use crate::deadline::Deadline;
use crate::error::{AwsError, ErrorClass, OperationError};
use crate::retry::retry;

/// Page size for listing instances (AWS allows 20–100).
const PAGE_SIZE: i32 = 100;

/// What to create: one instance of an Aurora cluster.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InstanceSpec {
    /// Instance identifier (AWS lower-cases it).
    pub identifier: String,
    /// The cluster it joins.
    pub cluster_identifier: String,
    /// Instance class, e.g. `db.r6g.large`.
    pub instance_class: String,
    /// Must equal the cluster's engine.
    pub engine: String,
    /// Availability zone; `None` lets AWS choose.
    pub availability_zone: Option<String>,
    /// DB (instance) parameter group.
    pub db_parameter_group_name: Option<String>,
    /// Enhanced monitoring interval in seconds (0, 1, 5, 10, 15, 30, 60); 0 disables it.
    pub monitoring_interval: i32,
    /// Role that publishes enhanced monitoring; required when the interval is above 0.
    pub monitoring_role_arn: Option<String>,
    /// Performance Insights.
    pub performance_insights_enabled: bool,
    /// KMS key for Performance Insights data.
    pub performance_insights_kms_key_id: Option<String>,
    /// Days of Performance Insights retention (7, month multiples, or 731).
    pub performance_insights_retention_period: Option<i32>,
    /// Let AWS apply minor engine upgrades in the maintenance window.
    pub auto_minor_version_upgrade: bool,
    /// Failover priority, 0 (first) – 15.
    pub promotion_tier: Option<i32>,
    /// Tags.
    pub tags: Tags,
}

/// An instance as AWS reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// Instance identifier.
    pub identifier: String,
    /// ARN, used for tagging.
    pub arn: String,
    /// `available`, `creating`, `modifying`, `deleting`, ...
    pub status: String,
    /// The cluster it belongs to.
    pub cluster_identifier: Option<String>,
    /// Engine.
    pub engine: String,
    /// Engine version (the cluster's).
    pub engine_version: Option<String>,
    /// Instance class.
    pub instance_class: String,
    /// Availability zone.
    pub availability_zone: Option<String>,
    /// Whether it is the cluster's writer (from the cluster's members).
    pub is_writer: bool,
    /// Failover priority.
    pub promotion_tier: Option<i32>,
    /// The instance's own endpoint address.
    pub endpoint: Option<String>,
    /// DB parameter group name.
    pub db_parameter_group: Option<String>,
    /// `in-sync`, `applying` or `pending-reboot` for that group.
    pub parameter_apply_status: Option<String>,
    /// Enhanced monitoring interval; 0 when off.
    pub monitoring_interval: i32,
    /// Enhanced monitoring role.
    pub monitoring_role_arn: Option<String>,
    /// Performance Insights.
    pub performance_insights_enabled: bool,
    /// Performance Insights KMS key.
    pub performance_insights_kms_key_id: Option<String>,
    /// Performance Insights retention in days.
    pub performance_insights_retention_period: Option<i32>,
    /// Automatic minor upgrades.
    pub auto_minor_version_upgrade: bool,
    /// Whether it is publicly accessible (never, for instances dbrail creates).
    pub publicly_accessible: bool,
    /// Whether AWS reports modifications not applied yet (`PendingModifiedValues`).
    pub has_pending_modifications: bool,
    /// Tags, from the describe answer's `TagList`.
    pub tags: Tags,
}

/// An in-place change to an instance: only what is set is sent, in one call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InstanceChange {
    /// New instance class.
    pub instance_class: Option<String>,
    /// New DB parameter group.
    pub db_parameter_group_name: Option<String>,
    /// New enhanced monitoring interval (0 disables).
    pub monitoring_interval: Option<i32>,
    /// New enhanced monitoring role.
    pub monitoring_role_arn: Option<String>,
    /// Performance Insights on or off.
    pub performance_insights_enabled: Option<bool>,
    /// Performance Insights KMS key.
    pub performance_insights_kms_key_id: Option<String>,
    /// Performance Insights retention in days.
    pub performance_insights_retention_period: Option<i32>,
    /// Automatic minor upgrades on or off.
    pub auto_minor_version_upgrade: Option<bool>,
    /// New failover priority.
    pub promotion_tier: Option<i32>,
    /// Send `PubliclyAccessible=false` (repairs drift; there is no way to send `true`).
    pub disable_public_access: bool,
    /// Apply now rather than in the next maintenance window.
    pub apply_immediately: bool,
}

impl InstanceChange {
    /// Nothing to send (`apply_immediately` alone changes nothing).
    pub fn is_empty(&self) -> bool {
        let Self {
            instance_class,
            db_parameter_group_name,
            monitoring_interval,
            monitoring_role_arn,
            performance_insights_enabled,
            performance_insights_kms_key_id,
            performance_insights_retention_period,
            auto_minor_version_upgrade,
            promotion_tier,
            disable_public_access,
            apply_immediately: _,
        } = self;
        instance_class.is_none()
            && db_parameter_group_name.is_none()
            && monitoring_interval.is_none()
            && monitoring_role_arn.is_none()
            && performance_insights_enabled.is_none()
            && performance_insights_kms_key_id.is_none()
            && performance_insights_retention_period.is_none()
            && auto_minor_version_upgrade.is_none()
            && promotion_tier.is_none()
            && !disable_public_access
    }
}

fn pending(values: Option<&PendingModifiedValues>) -> bool {
    values.is_some_and(|v| *v != PendingModifiedValues::builder().build())
}

/// Converts an SDK instance; `is_writer` comes from the cluster, so the caller supplies it.
pub(crate) fn from_sdk(i: &DbInstance, is_writer: bool) -> Instance {
    let group = i.db_parameter_groups().first();
    Instance {
        identifier: owned(i.db_instance_identifier()),
        arn: owned(i.db_instance_arn()),
        status: owned(i.db_instance_status()),
        cluster_identifier: owned_opt(i.db_cluster_identifier()),
        engine: owned(i.engine()),
        engine_version: owned_opt(i.engine_version()),
        instance_class: owned(i.db_instance_class()),
        availability_zone: owned_opt(i.availability_zone()),
        is_writer,
        promotion_tier: i.promotion_tier(),
        endpoint: owned_opt(i.endpoint().and_then(|e| e.address())),
        db_parameter_group: owned_opt(group.and_then(|g| g.db_parameter_group_name())),
        parameter_apply_status: owned_opt(group.and_then(|g| g.parameter_apply_status())),
        monitoring_interval: i.monitoring_interval().unwrap_or(0),
        monitoring_role_arn: owned_opt(i.monitoring_role_arn()),
        performance_insights_enabled: i.performance_insights_enabled().unwrap_or(false),
        performance_insights_kms_key_id: owned_opt(i.performance_insights_kms_key_id()),
        performance_insights_retention_period: i.performance_insights_retention_period(),
        auto_minor_version_upgrade: i.auto_minor_version_upgrade().unwrap_or(false),
        publicly_accessible: i.publicly_accessible().unwrap_or(false),
        has_pending_modifications: pending(i.pending_modified_values()),
        tags: from_sdk_tags(i.tag_list()),
    }
}

/// The `CreateDBInstance` request for `spec`; never publicly accessible.
pub(crate) fn create_request(
    rds: &aws_sdk_rds::Client,
    spec: &InstanceSpec,
) -> CreateDBInstanceFluentBuilder {
    let tags = to_sdk_tags(&spec.tags);
    rds.create_db_instance()
        .db_instance_identifier(&spec.identifier)
        .db_cluster_identifier(&spec.cluster_identifier)
        .db_instance_class(&spec.instance_class)
        .engine(&spec.engine)
        .set_availability_zone(spec.availability_zone.clone())
        .set_db_parameter_group_name(spec.db_parameter_group_name.clone())
        .monitoring_interval(spec.monitoring_interval)
        .set_monitoring_role_arn(spec.monitoring_role_arn.clone())
        .enable_performance_insights(spec.performance_insights_enabled)
        .set_performance_insights_kms_key_id(spec.performance_insights_kms_key_id.clone())
        .set_performance_insights_retention_period(spec.performance_insights_retention_period)
        .auto_minor_version_upgrade(spec.auto_minor_version_upgrade)
        .set_promotion_tier(spec.promotion_tier)
        .set_tags((!tags.is_empty()).then_some(tags))
        // Fixed by design (guardrail G3).
        .publicly_accessible(false)
}

/// The `ModifyDBInstance` request for `change`.
pub(crate) fn modify_request(
    rds: &aws_sdk_rds::Client,
    identifier: &str,
    change: &InstanceChange,
) -> ModifyDBInstanceFluentBuilder {
    rds.modify_db_instance()
        .db_instance_identifier(identifier)
        .set_db_instance_class(change.instance_class.clone())
        .set_db_parameter_group_name(change.db_parameter_group_name.clone())
        .set_monitoring_interval(change.monitoring_interval)
        .set_monitoring_role_arn(change.monitoring_role_arn.clone())
        .set_enable_performance_insights(change.performance_insights_enabled)
        .set_performance_insights_kms_key_id(change.performance_insights_kms_key_id.clone())
        .set_performance_insights_retention_period(change.performance_insights_retention_period)
        .set_auto_minor_version_upgrade(change.auto_minor_version_upgrade)
        .set_promotion_tier(change.promotion_tier)
        .set_publicly_accessible(change.disable_public_access.then_some(false))
        .apply_immediately(change.apply_immediately)
}

/// One `DescribeDBInstances` call: `Ok(None)` when the instance does not exist. `is_writer` is
/// left false; see [`find_instance`].
pub(crate) async fn describe_instance(
    rds: &aws_sdk_rds::Client,
    identifier: &str,
) -> Result<Option<Instance>, AwsError> {
    const OP: &str = "DescribeDBInstances";
    match rds
        .describe_db_instances()
        .db_instance_identifier(identifier)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .db_instances()
            .iter()
            .map(|i| from_sdk(i, false))
            .find(|i| same_id(&i.identifier, identifier) || i.arn == identifier)),
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

/// Sets `instance.is_writer` from its cluster's members (one `DescribeDBClusters` call). An
/// instance without a cluster, or whose cluster is gone, is no writer.
pub(crate) async fn fill_writer(
    rds: &aws_sdk_rds::Client,
    instance: &mut Instance,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    let Some(cluster_id) = instance.cluster_identifier.clone() else {
        instance.is_writer = false;
        return Ok(());
    };
    let cluster = retry("DescribeDBClusters", deadline, cancel, || {
        describe_cluster(rds, &cluster_id)
    })
    .await?;
    instance.is_writer = cluster.is_some_and(|c| c.is_writer(&instance.identifier));
    Ok(())
}

/// Looks an instance up by identifier (or ARN); `Ok(None)` when it does not exist. Reads its
/// cluster too, to tell the writer from readers.
pub async fn find_instance(
    rds: &aws_sdk_rds::Client,
    identifier: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Option<Instance>, OperationError> {
    let found = retry("DescribeDBInstances", deadline, cancel, || {
        describe_instance(rds, identifier)
    })
    .await?;
    match found {
        Some(mut instance) => {
            fill_writer(rds, &mut instance, deadline, cancel).await?;
            Ok(Some(instance))
        }
        None => Ok(None),
    }
}

/// Every instance of `cluster`, sorted by identifier, with `is_writer` from `cluster`'s
/// members. Pages through `DescribeDBInstances` filtered by `db-cluster-id`.
pub async fn list_cluster_instances(
    rds: &aws_sdk_rds::Client,
    cluster: &Cluster,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Vec<Instance>, OperationError> {
    const OP: &str = "DescribeDBInstances";
    let filter = Filter::builder()
        .name("db-cluster-id")
        .values(&cluster.identifier)
        .build();
    let mut instances = Vec::new();
    let mut marker: Option<String> = None;
    let mut seen_markers = std::collections::HashSet::new();
    loop {
        let (page, next) = retry(OP, deadline, cancel, || {
            let request = rds
                .describe_db_instances()
                .filters(filter.clone())
                .max_records(PAGE_SIZE)
                .set_marker(marker.clone());
            async move {
                let out = request.send().await.map_err(|e| classify(OP, e))?;
                Ok((out.db_instances.unwrap_or_default(), out.marker))
            }
        })
        .await?;
        instances.extend(page.iter().map(|i| {
            let mut instance = from_sdk(i, false);
            instance.is_writer = cluster.is_writer(&instance.identifier);
            instance
        }));
        match next.filter(|m| !m.is_empty()) {
            Some(next) if seen_markers.insert(next.clone()) => marker = Some(next),
            _ => break,
        }
    }
    instances.retain(|i| {
        i.cluster_identifier
            .as_deref()
            .is_some_and(|c| same_id(c, &cluster.identifier))
    });
    instances.sort_by(|a, b| a.identifier.cmp(&b.identifier));
    instances.dedup_by(|a, b| a.identifier == b.identifier);
    Ok(instances)
}

/// Adopts an existing instance for `spec`, or explains why it can't.
fn adopt(existing: Instance, spec: &InstanceSpec) -> Result<Instance, OperationError> {
    const OP: &str = "CreateDBInstance";
    let same_cluster = existing
        .cluster_identifier
        .as_deref()
        .is_some_and(|c| same_id(c, &spec.cluster_identifier));
    if !same_cluster || existing.engine != spec.engine {
        return Err(AwsError::new(OP, ErrorClass::AlreadyExists)
            .with_code("DBInstanceAlreadyExists")
            .with_message(format!(
                "DB instance {} already exists in cluster {} with engine {}; wanted cluster {} \
                 with engine {}",
                existing.identifier,
                existing.cluster_identifier.as_deref().unwrap_or("(none)"),
                existing.engine,
                spec.cluster_identifier,
                spec.engine
            ))
            .into());
    }
    if existing.status == "deleting" {
        return Err(AwsError::new(OP, ErrorClass::Busy)
            .with_code("InvalidDBInstanceState")
            .with_message(format!(
                "DB instance {} is being deleted; wait until it is gone, then create it again",
                existing.identifier
            ))
            .into());
    }
    tracing::info!(instance = %existing.identifier, "adopting an existing DB instance");
    Ok(existing)
}

/// Creates a cluster instance (never publicly accessible). Idempotent: an existing instance of
/// the same cluster and engine is returned as it is; any other is an error for which
/// `is_already_exists()` holds. A cluster that is still busy (`InvalidDBClusterStateFault`) is
/// retried until the deadline.
///
/// Returns the instance as the create answer reports it, with `is_writer` from the cluster;
/// wait for it with [`super::wait_for_instance_available`].
pub async fn create_instance(
    rds: &aws_sdk_rds::Client,
    spec: &InstanceSpec,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Instance, OperationError> {
    const OP: &str = "CreateDBInstance";
    let request = create_request(rds, spec);
    let created = retry(OP, deadline, cancel, || {
        let request = request.clone();
        async move {
            let out = request.send().await.map_err(|e| classify(OP, e))?;
            out.db_instance()
                .map(|i| from_sdk(i, false))
                .ok_or_else(|| missing_in_response(OP, "DB instance"))
        }
    })
    .await;
    let mut instance = match created {
        Err(err) if err.is_already_exists() => {
            match retry("DescribeDBInstances", deadline, cancel, || {
                describe_instance(rds, &spec.identifier)
            })
            .await?
            {
                Some(existing) => adopt(existing, spec)?,
                None => return Err(err),
            }
        }
        other => other?,
    };
    fill_writer(rds, &mut instance, deadline, cancel).await?;
    Ok(instance)
}

/// Sends `change` in one `ModifyDBInstance` call; an empty change sends nothing. Busy states
/// are retried until the deadline.
pub async fn modify_instance(
    rds: &aws_sdk_rds::Client,
    identifier: &str,
    change: &InstanceChange,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    const OP: &str = "ModifyDBInstance";
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

/// Deletes a cluster instance, without a snapshot of its own (see the module docs). Succeeds if
/// it is already gone; an instance still busy (`InvalidDBInstanceState`, e.g. still creating or
/// already deleting) is retried until the deadline.
///
/// On AWS, the last instance of a cluster with deletion protection cannot be deleted (which
/// error code that is was not confirmed; a busy-state code would be retried until the
/// deadline): turn the cluster's deletion protection off before removing its last instance.
///
/// Does not wait; follow with [`super::wait_for_instance_deleted`].
pub async fn delete_instance(
    rds: &aws_sdk_rds::Client,
    identifier: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    const OP: &str = "DeleteDBInstance";
    let deleted = retry(OP, deadline, cancel, || {
        let request = rds
            .delete_db_instance()
            .db_instance_identifier(identifier)
            .skip_final_snapshot(true);
        async move {
            request.send().await.map_err(|e| classify(OP, e))?;
            Ok(())
        }
    })
    .await;
    match deleted {
        Err(err) if err.is_not_found() => Ok(()),
        other => other,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use aws_sdk_rds::types::{DbParameterGroupStatus, Endpoint, Tag};

    use super::super::cluster::tests::{offline_client, sdk_cluster};
    use super::*;

    fn sdk_instance(id: &str) -> DbInstance {
        DbInstance::builder()
            .db_instance_identifier(id)
            .db_instance_arn(format!("arn:aws:rds:us-east-1:123456789012:db:{id}"))
            .db_instance_status("available")
            .db_cluster_identifier("orders")
            .engine("aurora-postgresql")
            .engine_version("16.4")
            .db_instance_class("db.r6g.large")
            .availability_zone("us-east-1b")
            .promotion_tier(1)
            .endpoint(Endpoint::builder().address(format!("{id}.x.rds")).build())
            .db_parameter_groups(
                DbParameterGroupStatus::builder()
                    .db_parameter_group_name("orders-pg16-instance")
                    .parameter_apply_status("in-sync")
                    .build(),
            )
            .monitoring_interval(30)
            .monitoring_role_arn("arn:aws:iam::123456789012:role/monitoring")
            .performance_insights_enabled(true)
            .performance_insights_kms_key_id("arn:aws:kms:us-east-1:123456789012:key/pi")
            .performance_insights_retention_period(7)
            .auto_minor_version_upgrade(true)
            .publicly_accessible(false)
            .tag_list(Tag::builder().key("role").value("reader").build())
            .build()
    }

    #[test]
    fn sdk_instance_converts() {
        let i = from_sdk(&sdk_instance("orders-2"), false);
        assert_eq!(i.identifier, "orders-2");
        assert_eq!(i.cluster_identifier.as_deref(), Some("orders"));
        assert_eq!(i.availability_zone.as_deref(), Some("us-east-1b"));
        assert_eq!(
            i.db_parameter_group.as_deref(),
            Some("orders-pg16-instance")
        );
        assert_eq!(i.parameter_apply_status.as_deref(), Some("in-sync"));
        assert_eq!(i.monitoring_interval, 30);
        assert!(i.performance_insights_enabled);
        assert_eq!(i.performance_insights_retention_period, Some(7));
        assert!(i.auto_minor_version_upgrade);
        assert!(!i.publicly_accessible);
        assert!(!i.has_pending_modifications);
        assert_eq!(i.endpoint.as_deref(), Some("orders-2.x.rds"));
        assert_eq!(i.tags.get("role").map(String::as_str), Some("reader"));

        // Absent fields read as "off".
        let bare = from_sdk(
            &DbInstance::builder().db_instance_identifier("b").build(),
            true,
        );
        assert_eq!(bare.monitoring_interval, 0);
        assert!(!bare.performance_insights_enabled);
        assert!(bare.is_writer);
        assert_eq!(bare.cluster_identifier, None);
    }

    #[test]
    fn pending_values_count_only_when_something_is_pending() {
        assert!(!pending(Some(&PendingModifiedValues::builder().build())));
        assert!(pending(Some(
            &PendingModifiedValues::builder()
                .db_instance_class("db.r6g.xlarge")
                .build()
        )));
    }

    #[test]
    fn create_request_is_never_public() {
        let spec = InstanceSpec {
            identifier: "orders-1".into(),
            cluster_identifier: "orders".into(),
            instance_class: "db.r6g.large".into(),
            engine: "aurora-postgresql".into(),
            availability_zone: Some("us-east-1a".into()),
            monitoring_interval: 0,
            ..InstanceSpec::default()
        };
        let request = create_request(&offline_client(), &spec);
        let input = request.as_input();
        assert_eq!(input.get_publicly_accessible(), &Some(false));
        assert_eq!(input.get_db_cluster_identifier().as_deref(), Some("orders"));
        assert_eq!(input.get_availability_zone().as_deref(), Some("us-east-1a"));
        assert_eq!(input.get_monitoring_interval(), &Some(0));
        assert_eq!(input.get_enable_performance_insights(), &Some(false));
        assert_eq!(input.get_master_user_password(), &None);
        assert_eq!(input.get_tags(), &None);
    }

    #[test]
    fn modify_request_sends_only_what_is_set() {
        let change = InstanceChange {
            instance_class: Some("db.r6g.xlarge".into()),
            disable_public_access: true,
            apply_immediately: true,
            ..InstanceChange::default()
        };
        assert!(!change.is_empty());
        assert!(
            InstanceChange {
                apply_immediately: true,
                ..InstanceChange::default()
            }
            .is_empty()
        );
        let request = modify_request(&offline_client(), "orders-2", &change);
        let input = request.as_input();
        assert_eq!(
            input.get_db_instance_class().as_deref(),
            Some("db.r6g.xlarge")
        );
        assert_eq!(input.get_publicly_accessible(), &Some(false));
        assert_eq!(input.get_apply_immediately(), &Some(true));
        assert_eq!(input.get_db_parameter_group_name(), &None);
        assert_eq!(input.get_monitoring_interval(), &None);
        assert_eq!(input.get_enable_performance_insights(), &None);
        assert_eq!(input.get_auto_minor_version_upgrade(), &None);
    }

    #[test]
    fn writer_flag_comes_from_the_cluster() {
        let cluster = super::super::cluster::from_sdk(&sdk_cluster());
        assert!(cluster.is_writer("orders-1"));
        assert!(!cluster.is_writer("orders-2"));
        assert!(!cluster.is_writer("orders-3"));
    }

    #[test]
    fn adopting_checks_cluster_engine_and_status() {
        let existing = from_sdk(&sdk_instance("orders-2"), false);
        let spec = InstanceSpec {
            identifier: "orders-2".into(),
            cluster_identifier: "ORDERS".into(),
            engine: "aurora-postgresql".into(),
            ..InstanceSpec::default()
        };
        assert_eq!(adopt(existing.clone(), &spec).unwrap(), existing);
        let other_cluster = InstanceSpec {
            cluster_identifier: "payments".into(),
            ..spec.clone()
        };
        let err = adopt(existing.clone(), &other_cluster).unwrap_err();
        assert!(err.is_already_exists(), "{err:?}");
        assert!(err.to_string().contains("payments"), "{err}");
        let deleting = Instance {
            status: "deleting".into(),
            ..existing
        };
        assert!(
            adopt(deleting, &spec)
                .unwrap_err()
                .aws_error()
                .is_some_and(AwsError::is_busy)
        );
    }
}
