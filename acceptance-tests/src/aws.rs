//! The test's own view of the emulator, through the real AWS SDK.
//!
//! Acceptance tests check what terraform says *and* what AWS now holds, and they change AWS
//! behind terraform's back to create drift. This client is built here, from the SDK directly,
//! and shares no code with the provider's client construction: a bug there cannot hide itself
//! from the assertions. It is synchronous (it owns a small runtime), like the rest of the harness.
//!
//! Finders return `Ok(None)` for a group that does not exist, whether the API says so with
//! `DBParameterGroupNotFound` (AWS, and moto for cluster groups) or with an empty list (moto's
//! `DescribeDBParameterGroups` for an unknown name).

use std::collections::BTreeMap;
use std::future::Future;

use aws_sdk_rds::Client;
use aws_sdk_rds::types::{
    ApplyMethod, DbCluster, DbClusterSnapshot, DbInstance, Filter, Parameter, Tag,
};

use crate::sdk::{self, aws_error};
use crate::{Emulator, HarnessError};

/// A parameter group as the emulator reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterGroup {
    /// Its name.
    pub name: String,
    /// Its family, e.g. `aurora-postgresql16`.
    pub family: String,
    /// Its ARN.
    pub arn: String,
    /// Its description.
    pub description: String,
}

/// A DB cluster as the emulator reports it (`DescribeDBClusters`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterView {
    /// Its identifier (lower-cased, as AWS stores it).
    pub identifier: String,
    /// Its ARN.
    pub arn: String,
    /// `Status`, e.g. `available`.
    pub status: String,
    /// `Engine`, e.g. `aurora-postgresql`.
    pub engine: String,
    /// The exact engine version, e.g. `16.6`.
    pub engine_version: String,
    /// `DeletionProtection`.
    pub deletion_protection: bool,
    /// `BackupRetentionPeriod`, in days.
    pub backup_retention_period: Option<i32>,
    /// `DBClusterMembers`, in the order AWS lists them.
    pub members: Vec<ClusterMember>,
    /// The cluster's tags (its `TagList`), as key → value.
    pub tags: BTreeMap<String, String>,
    /// `DBClusterParameterGroup`: the cluster parameter group's name.
    pub db_cluster_parameter_group: Option<String>,
    /// `IAMDatabaseAuthenticationEnabled`.
    pub iam_database_authentication_enabled: bool,
    /// `EnabledCloudwatchLogsExports`, in the order AWS lists them.
    pub enabled_cloudwatch_logs_exports: Vec<String>,
}

impl ClusterView {
    /// The writer's instance identifier, if the cluster has one.
    pub fn writer(&self) -> Option<&str> {
        self.members
            .iter()
            .find(|m| m.is_writer)
            .map(|m| m.instance_identifier.as_str())
    }
}

/// One entry of a cluster's `DBClusterMembers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterMember {
    /// The member instance's identifier.
    pub instance_identifier: String,
    /// `IsClusterWriter`.
    pub is_writer: bool,
}

/// A DB instance as the emulator reports it (`DescribeDBInstances`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceView {
    /// Its identifier.
    pub identifier: String,
    /// `DBInstanceStatus`.
    pub status: String,
    /// The cluster it belongs to.
    pub cluster_identifier: Option<String>,
    /// `AvailabilityZone`.
    pub availability_zone: Option<String>,
    /// `DBInstanceClass`, e.g. `db.r6g.large`.
    pub instance_class: String,
    /// The name of its (instance) DB parameter group.
    pub db_parameter_group: Option<String>,
    /// `PerformanceInsightsEnabled`.
    pub performance_insights_enabled: bool,
    /// `PerformanceInsightsKMSKeyId`.
    pub performance_insights_kms_key_id: Option<String>,
    /// `PerformanceInsightsRetentionPeriod`, in days.
    pub performance_insights_retention_period: Option<i32>,
    /// `MonitoringInterval` (0: enhanced monitoring off).
    pub monitoring_interval: i32,
    /// `MonitoringRoleArn`.
    pub monitoring_role_arn: Option<String>,
}

/// A DB cluster snapshot as the emulator reports it (`DescribeDBClusterSnapshots`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterSnapshotView {
    /// Its identifier.
    pub identifier: String,
    /// Its ARN.
    pub arn: String,
    /// The cluster it was taken from.
    pub cluster_identifier: String,
    /// `Status`, e.g. `available`.
    pub status: String,
    /// `SnapshotType`: `manual` or `automated`.
    pub snapshot_type: String,
    /// `StorageEncrypted`.
    pub storage_encrypted: bool,
    /// `KmsKeyId`.
    pub kms_key_id: Option<String>,
    /// `EngineVersion`.
    pub engine_version: Option<String>,
    /// The snapshot's tags (its `TagList`), as key → value.
    pub tags: BTreeMap<String, String>,
}

/// A synchronous RDS client bound to one emulator.
#[derive(Debug)]
pub struct EmulatorRds {
    runtime: tokio::runtime::Runtime,
    client: Client,
}

impl EmulatorRds {
    /// A client for `emulator`, in the harness's region with its dummy credentials.
    pub fn connect(emulator: &Emulator) -> Result<Self, HarnessError> {
        Self::with_endpoint(&emulator.endpoint())
    }

    /// A client for any endpoint URL (an emulator's).
    pub fn with_endpoint(endpoint: &str) -> Result<Self, HarnessError> {
        Ok(Self {
            runtime: sdk::runtime()?,
            client: sdk::emulator_client!(aws_sdk_rds, endpoint),
        })
    }

    /// The underlying SDK client, for calls the helpers do not cover (use with [`Self::block_on`]).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Runs a future (typically an SDK call) to completion.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// The cluster parameter group `name`, if it exists.
    pub fn cluster_parameter_group(
        &self,
        name: &str,
    ) -> Result<Option<ParameterGroup>, HarnessError> {
        let result = self.block_on(
            self.client
                .describe_db_cluster_parameter_groups()
                .db_cluster_parameter_group_name(name)
                .send(),
        );
        match result {
            Ok(out) => Ok(out
                .db_cluster_parameter_groups()
                .iter()
                .find(|g| g.db_cluster_parameter_group_name() == Some(name))
                .map(|g| ParameterGroup {
                    name: name.to_owned(),
                    family: g.db_parameter_group_family().unwrap_or_default().to_owned(),
                    arn: g
                        .db_cluster_parameter_group_arn()
                        .unwrap_or_default()
                        .to_owned(),
                    description: g.description().unwrap_or_default().to_owned(),
                })),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_db_parameter_group_not_found_fault()) =>
            {
                Ok(None)
            }
            Err(e) => Err(aws_error(
                format!("DescribeDBClusterParameterGroups({name})"),
                &e,
            )),
        }
    }

    /// The (instance) DB parameter group `name`, if it exists.
    pub fn instance_parameter_group(
        &self,
        name: &str,
    ) -> Result<Option<ParameterGroup>, HarnessError> {
        let result = self.block_on(
            self.client
                .describe_db_parameter_groups()
                .db_parameter_group_name(name)
                .send(),
        );
        match result {
            Ok(out) => Ok(out
                .db_parameter_groups()
                .iter()
                .find(|g| g.db_parameter_group_name() == Some(name))
                .map(|g| ParameterGroup {
                    name: name.to_owned(),
                    family: g.db_parameter_group_family().unwrap_or_default().to_owned(),
                    arn: g.db_parameter_group_arn().unwrap_or_default().to_owned(),
                    description: g.description().unwrap_or_default().to_owned(),
                })),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_db_parameter_group_not_found_fault()) =>
            {
                Ok(None)
            }
            Err(e) => Err(aws_error(format!("DescribeDBParameterGroups({name})"), &e)),
        }
    }

    /// Names of all cluster parameter groups.
    pub fn cluster_parameter_group_names(&self) -> Result<Vec<String>, HarnessError> {
        let groups = self
            .block_on(
                self.client
                    .describe_db_cluster_parameter_groups()
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>(),
            )
            .map_err(|e| aws_error("DescribeDBClusterParameterGroups".into(), &e))?;
        Ok(groups
            .iter()
            .filter_map(|g| g.db_cluster_parameter_group_name().map(str::to_owned))
            .collect())
    }

    /// Names of all (instance) DB parameter groups.
    pub fn instance_parameter_group_names(&self) -> Result<Vec<String>, HarnessError> {
        let groups = self
            .block_on(
                self.client
                    .describe_db_parameter_groups()
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>(),
            )
            .map_err(|e| aws_error("DescribeDBParameterGroups".into(), &e))?;
        Ok(groups
            .iter()
            .filter_map(|g| g.db_parameter_group_name().map(str::to_owned))
            .collect())
    }

    /// The parameters of cluster parameter group `name`, as name → value (unset values omitted).
    pub fn cluster_parameters(&self, name: &str) -> Result<BTreeMap<String, String>, HarnessError> {
        let params = self
            .block_on(
                self.client
                    .describe_db_cluster_parameters()
                    .db_cluster_parameter_group_name(name)
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>(),
            )
            .map_err(|e| aws_error(format!("DescribeDBClusterParameters({name})"), &e))?;
        Ok(to_map(&params))
    }

    /// The parameters of (instance) DB parameter group `name`, as name → value.
    pub fn instance_parameters(
        &self,
        name: &str,
    ) -> Result<BTreeMap<String, String>, HarnessError> {
        let params = self
            .block_on(
                self.client
                    .describe_db_parameters()
                    .db_parameter_group_name(name)
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>(),
            )
            .map_err(|e| aws_error(format!("DescribeDBParameters({name})"), &e))?;
        Ok(to_map(&params))
    }

    /// Sets parameters of cluster parameter group `name` out of band (`immediate`), e.g. to
    /// create drift. Sends at most 20 per call, as AWS requires.
    pub fn modify_cluster_parameters(
        &self,
        name: &str,
        params: &[(&str, &str)],
    ) -> Result<(), HarnessError> {
        for chunk in params.chunks(20) {
            self.block_on(
                self.client
                    .modify_db_cluster_parameter_group()
                    .db_cluster_parameter_group_name(name)
                    .set_parameters(Some(to_parameters(chunk)))
                    .send(),
            )
            .map_err(|e| aws_error(format!("ModifyDBClusterParameterGroup({name})"), &e))?;
        }
        Ok(())
    }

    /// Sets parameters of (instance) DB parameter group `name` out of band (`immediate`).
    pub fn modify_instance_parameters(
        &self,
        name: &str,
        params: &[(&str, &str)],
    ) -> Result<(), HarnessError> {
        for chunk in params.chunks(20) {
            self.block_on(
                self.client
                    .modify_db_parameter_group()
                    .db_parameter_group_name(name)
                    .set_parameters(Some(to_parameters(chunk)))
                    .send(),
            )
            .map_err(|e| aws_error(format!("ModifyDBParameterGroup({name})"), &e))?;
        }
        Ok(())
    }

    /// Creates a cluster parameter group out of band (e.g. to prepare an import).
    pub fn create_cluster_parameter_group(
        &self,
        name: &str,
        family: &str,
        description: &str,
    ) -> Result<ParameterGroup, HarnessError> {
        let out = self
            .block_on(
                self.client
                    .create_db_cluster_parameter_group()
                    .db_cluster_parameter_group_name(name)
                    .db_parameter_group_family(family)
                    .description(description)
                    .send(),
            )
            .map_err(|e| aws_error(format!("CreateDBClusterParameterGroup({name})"), &e))?;
        let group = out.db_cluster_parameter_group();
        Ok(ParameterGroup {
            name: name.to_owned(),
            family: family.to_owned(),
            arn: group
                .and_then(|g| g.db_cluster_parameter_group_arn())
                .unwrap_or_default()
                .to_owned(),
            description: description.to_owned(),
        })
    }

    /// Deletes a cluster parameter group out of band.
    pub fn delete_cluster_parameter_group(&self, name: &str) -> Result<(), HarnessError> {
        self.block_on(
            self.client
                .delete_db_cluster_parameter_group()
                .db_cluster_parameter_group_name(name)
                .send(),
        )
        .map_err(|e| aws_error(format!("DeleteDBClusterParameterGroup({name})"), &e))?;
        Ok(())
    }

    /// The tags on the resource `arn`, as key → value.
    pub fn tags(&self, arn: &str) -> Result<BTreeMap<String, String>, HarnessError> {
        let out = self
            .block_on(
                self.client
                    .list_tags_for_resource()
                    .resource_name(arn)
                    .send(),
            )
            .map_err(|e| aws_error(format!("ListTagsForResource({arn})"), &e))?;
        Ok(tag_map(out.tag_list()))
    }

    /// The DB cluster `id`, if it exists.
    pub fn cluster(&self, id: &str) -> Result<Option<ClusterView>, HarnessError> {
        let result = self.block_on(
            self.client
                .describe_db_clusters()
                .db_cluster_identifier(id)
                .send(),
        );
        match result {
            Ok(out) => Ok(out.db_clusters().first().map(cluster_view)),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_db_cluster_not_found_fault()) =>
            {
                Ok(None)
            }
            Err(e) => Err(aws_error(format!("DescribeDBClusters({id})"), &e)),
        }
    }

    /// The DB instances of cluster `cluster_id` (filter `db-cluster-id`), sorted by identifier;
    /// empty when there are none or the cluster does not exist.
    pub fn instances_of(&self, cluster_id: &str) -> Result<Vec<InstanceView>, HarnessError> {
        let instances = self
            .block_on(
                self.client
                    .describe_db_instances()
                    .filters(
                        Filter::builder()
                            .name("db-cluster-id")
                            .values(cluster_id)
                            .build(),
                    )
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>(),
            )
            .map_err(|e| {
                aws_error(
                    format!("DescribeDBInstances(db-cluster-id={cluster_id})"),
                    &e,
                )
            })?;
        let mut views: Vec<InstanceView> = instances.iter().map(instance_view).collect();
        views.sort_by(|a, b| a.identifier.cmp(&b.identifier));
        Ok(views)
    }

    /// Upgrades cluster `id` to `version` out of band (`ModifyDBCluster` with `EngineVersion`
    /// and `ApplyImmediately`), e.g. the minor upgrade AWS applies in a maintenance window.
    pub fn set_cluster_engine_version(&self, id: &str, version: &str) -> Result<(), HarnessError> {
        self.block_on(
            self.client
                .modify_db_cluster()
                .db_cluster_identifier(id)
                .engine_version(version)
                .apply_immediately(true)
                .send(),
        )
        .map_err(|e| {
            aws_error(
                format!("ModifyDBCluster({id}, EngineVersion={version})"),
                &e,
            )
        })?;
        Ok(())
    }

    /// Changes deletion protection and/or backup retention of cluster `id` out of band
    /// (`ApplyImmediately`), to create drift. `None` leaves a setting alone.
    pub fn modify_cluster_drift(
        &self,
        id: &str,
        deletion_protection: Option<bool>,
        retention: Option<i32>,
    ) -> Result<(), HarnessError> {
        self.block_on(
            self.client
                .modify_db_cluster()
                .db_cluster_identifier(id)
                .set_deletion_protection(deletion_protection)
                .set_backup_retention_period(retention)
                .apply_immediately(true)
                .send(),
        )
        .map_err(|e| aws_error(format!("ModifyDBCluster({id})"), &e))?;
        Ok(())
    }

    /// Deletes DB instance `id` out of band (no final snapshot: Aurora members take none).
    pub fn delete_instance(&self, id: &str) -> Result<(), HarnessError> {
        self.block_on(
            self.client
                .delete_db_instance()
                .db_instance_identifier(id)
                .send(),
        )
        .map_err(|e| aws_error(format!("DeleteDBInstance({id})"), &e))?;
        Ok(())
    }

    /// The DB cluster snapshot `id` (manual or automated), if it exists.
    pub fn cluster_snapshot(&self, id: &str) -> Result<Option<ClusterSnapshotView>, HarnessError> {
        let result = self.block_on(
            self.client
                .describe_db_cluster_snapshots()
                .db_cluster_snapshot_identifier(id)
                .send(),
        );
        match result {
            Ok(out) => Ok(out
                .db_cluster_snapshots()
                .iter()
                .find(|s| {
                    s.db_cluster_snapshot_identifier()
                        .is_some_and(|found| found.eq_ignore_ascii_case(id))
                })
                .map(snapshot_view)),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_db_cluster_snapshot_not_found_fault()) =>
            {
                Ok(None)
            }
            Err(e) => Err(aws_error(format!("DescribeDBClusterSnapshots({id})"), &e)),
        }
    }

    /// Identifiers of all manual DB cluster snapshots (`SnapshotType=manual`: what a final
    /// snapshot or a user creates), sorted. Automated snapshots (moto takes one,
    /// `rds:<cluster>-<time>`, whenever a cluster is created) are left out; look them up with
    /// [`Self::cluster_snapshot`].
    pub fn cluster_snapshot_ids(&self) -> Result<Vec<String>, HarnessError> {
        let snapshots = self
            .block_on(
                self.client
                    .describe_db_cluster_snapshots()
                    .snapshot_type("manual")
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>(),
            )
            .map_err(|e| aws_error("DescribeDBClusterSnapshots(manual)".into(), &e))?;
        let mut ids: Vec<String> = snapshots
            .iter()
            .filter_map(|s| owned(s.db_cluster_snapshot_identifier()))
            .collect();
        ids.sort();
        Ok(ids)
    }
}

fn tag_map(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .filter_map(|t| {
            Some((
                t.key()?.to_owned(),
                t.value().unwrap_or_default().to_owned(),
            ))
        })
        .collect()
}

fn owned(value: Option<&str>) -> Option<String> {
    value.map(str::to_owned)
}

fn cluster_view(c: &DbCluster) -> ClusterView {
    ClusterView {
        identifier: c.db_cluster_identifier().unwrap_or_default().to_owned(),
        arn: c.db_cluster_arn().unwrap_or_default().to_owned(),
        status: c.status().unwrap_or_default().to_owned(),
        engine: c.engine().unwrap_or_default().to_owned(),
        engine_version: c.engine_version().unwrap_or_default().to_owned(),
        deletion_protection: c.deletion_protection().unwrap_or(false),
        backup_retention_period: c.backup_retention_period(),
        members: c
            .db_cluster_members()
            .iter()
            .map(|m| ClusterMember {
                instance_identifier: m.db_instance_identifier().unwrap_or_default().to_owned(),
                is_writer: m.is_cluster_writer().unwrap_or(false),
            })
            .collect(),
        tags: tag_map(c.tag_list()),
        db_cluster_parameter_group: owned(c.db_cluster_parameter_group()),
        iam_database_authentication_enabled: c
            .iam_database_authentication_enabled()
            .unwrap_or(false),
        enabled_cloudwatch_logs_exports: c.enabled_cloudwatch_logs_exports().to_vec(),
    }
}

fn instance_view(i: &DbInstance) -> InstanceView {
    InstanceView {
        identifier: i.db_instance_identifier().unwrap_or_default().to_owned(),
        status: i.db_instance_status().unwrap_or_default().to_owned(),
        cluster_identifier: owned(i.db_cluster_identifier()),
        availability_zone: owned(i.availability_zone()),
        instance_class: i.db_instance_class().unwrap_or_default().to_owned(),
        db_parameter_group: i
            .db_parameter_groups()
            .first()
            .and_then(|g| owned(g.db_parameter_group_name())),
        performance_insights_enabled: i.performance_insights_enabled().unwrap_or(false),
        performance_insights_kms_key_id: owned(i.performance_insights_kms_key_id()),
        performance_insights_retention_period: i.performance_insights_retention_period(),
        monitoring_interval: i.monitoring_interval().unwrap_or(0),
        monitoring_role_arn: owned(i.monitoring_role_arn()),
    }
}

fn snapshot_view(s: &DbClusterSnapshot) -> ClusterSnapshotView {
    ClusterSnapshotView {
        identifier: s
            .db_cluster_snapshot_identifier()
            .unwrap_or_default()
            .to_owned(),
        arn: s.db_cluster_snapshot_arn().unwrap_or_default().to_owned(),
        cluster_identifier: s.db_cluster_identifier().unwrap_or_default().to_owned(),
        status: s.status().unwrap_or_default().to_owned(),
        snapshot_type: s.snapshot_type().unwrap_or_default().to_owned(),
        storage_encrypted: s.storage_encrypted().unwrap_or(false),
        kms_key_id: owned(s.kms_key_id()),
        engine_version: owned(s.engine_version()),
        tags: tag_map(s.tag_list()),
    }
}

fn to_map(params: &[Parameter]) -> BTreeMap<String, String> {
    params
        .iter()
        .filter_map(|p| {
            Some((
                p.parameter_name()?.to_owned(),
                p.parameter_value()?.to_owned(),
            ))
        })
        .collect()
}

fn to_parameters(params: &[(&str, &str)]) -> Vec<Parameter> {
    params
        .iter()
        .map(|(name, value)| {
            Parameter::builder()
                .parameter_name(*name)
                .parameter_value(*value)
                .apply_method(ApplyMethod::Immediate)
                .build()
        })
        .collect()
}
