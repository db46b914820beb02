//! The cluster and its instances in AWS: create, converge, read, delete.
//!
//! Every step is idempotent, so an apply interrupted anywhere (throttling past the retry budget,
//! a killed provider) and run again adopts what exists and continues: the cluster is looked up
//! before it is created, instances are named `<name>-<n>` and adopted when present, and reader
//! changes create or delete only the difference — never the writer.

use super::model::{BaselineRef, State, default_port, family_of, major_of, version_satisfied};
use super::tags::{dbrail_tags, tier_from, user_tags, waivers_from};
use crate::client::DbrailClient;
use crate::diagnostics::operation_error;
use dbrail_aws::rds::{
    self, Cluster, ClusterChange, ClusterSpec, Instance, InstanceChange, InstanceSpec,
    SubnetGroupSpec,
};
use dbrail_aws::{CancellationToken, Deadline, OperationError};
use dbrail_tfplugin::diagnostics::{Diagnostic, Diagnostics};
use std::collections::{BTreeMap, BTreeSet};

/// Shared arguments of every call.
pub(crate) struct Remote<'a> {
    pub(crate) client: &'a DbrailClient,
    pub(crate) deadline: Deadline,
    pub(crate) cancel: &'a CancellationToken,
}

/// A failed step: what it was doing and the AWS error.
pub(crate) struct StepError {
    what: String,
    error: Box<OperationError>,
}

impl StepError {
    pub(crate) fn diagnostics(&self) -> Diagnostics {
        operation_error(&self.what, &self.error).into()
    }
}

trait Step<T> {
    fn step(self, what: impl FnOnce() -> String) -> Result<T, StepError>;
}

impl<T> Step<T> for Result<T, OperationError> {
    fn step(self, what: impl FnOnce() -> String) -> Result<T, StepError> {
        self.map_err(|error| StepError {
            what: what(),
            error: Box::new(error),
        })
    }
}

/// `<name>-<n>` → n.
fn instance_index(cluster: &str, instance: &str) -> Option<u32> {
    instance
        .strip_prefix(cluster)?
        .strip_prefix('-')?
        .parse()
        .ok()
}

fn instance_name(cluster: &str, index: u32) -> String {
    format!("{cluster}-{index}")
}

/// The final snapshot's name: unique per cluster incarnation, known once the cluster exists.
pub(crate) fn final_snapshot_name(name: &str, resource_id: &str) -> String {
    let suffix = resource_id
        .trim_start_matches("cluster-")
        .to_ascii_lowercase();
    format!("{name}-final-{suffix}")
}

impl Remote<'_> {
    fn rds(&self) -> &aws_sdk_rds::Client {
        &self.client.aws.rds
    }

    fn all_tags(&self, state: &State) -> BTreeMap<String, String> {
        let mut tags = self
            .client
            .tags_with_defaults(&state.tags.clone().unwrap_or_default());
        tags.extend(dbrail_tags(state));
        tags
    }

    /// Availability zones of the subnet group, sorted; empty when AWS does not say.
    pub(crate) async fn subnet_zones(&self, group: &str) -> Result<Vec<String>, StepError> {
        let found = rds::find_subnet_group(self.rds(), group, self.deadline, self.cancel)
            .await
            .step(|| format!("Reading DB subnet group {group}"))?;
        let zones: BTreeSet<String> = found
            .into_iter()
            .flat_map(|g| g.subnets)
            .filter_map(|s| s.availability_zone)
            .collect();
        Ok(zones.into_iter().collect())
    }

    /// The exact version to ask AWS for: a configured major (`16`, `8.0`) resolves to AWS's
    /// default version of that major; an exact version is sent as written. If the catalogue
    /// cannot be read (permissions, a partial emulator), the configured string is sent and AWS
    /// decides.
    pub(crate) async fn resolve_engine_version(
        &self,
        engine: &str,
        configured: &str,
    ) -> Result<String, StepError> {
        if major_of(engine, configured) != configured {
            return Ok(configured.to_owned());
        }
        let deadline = self
            .deadline
            .min_timeout(std::time::Duration::from_secs(60));
        match rds::default_engine_version(self.rds(), engine, configured, deadline, self.cancel).await {
            Ok(Some(exact)) => Ok(exact),
            Ok(None) => Err(StepError {
                what: format!("Resolving {engine} {configured} to an engine version"),
                error: Box::new(OperationError::Aws(
                    dbrail_aws::AwsError::new("DescribeDBEngineVersions", dbrail_aws::ErrorClass::Validation)
                        .with_message(format!("AWS offers no {engine} version in major {configured}; choose a supported major")),
                )),
            }),
            Err(err) if err.is_cancelled() => Err(StepError {
                what: format!("Resolving {engine} {configured}"),
                error: Box::new(err),
            }),
            Err(err) => {
                tracing::warn!(engine, major = configured, error = %err, "could not list engine versions; sending the major version as configured");
                Ok(configured.to_owned())
            }
        }
    }

    /// A cluster of this name that dbrail did not create (no `dbrail:tier` tag) is never adopted:
    /// a create that would take over someone else's database fails and suggests an import.
    pub(crate) async fn refuse_foreign_cluster(&self, name: &str) -> Result<(), Diagnostics> {
        let existing = rds::find_cluster(self.rds(), name, self.deadline, self.cancel)
            .await
            .step(|| format!("Looking for an existing cluster {name}"))
            .map_err(|e| e.diagnostics())?;
        match existing {
            Some(cluster) if !cluster.tags.contains_key(super::tags::TIER_TAG) => Err(Diagnostic::error(
                format!("A cluster named {name} already exists"),
                format!(
                    "It was not created by dbrail, so dbrail will not take it over. To manage it, \
                     import it: `terraform import dbrail_cluster.<label> {name}`; otherwise choose another `name`."
                ),
            )
            .at(dbrail_tfplugin::path::AttributePath::attr("name"))
            .into()),
            _ => Ok(()),
        }
    }

    /// Creates or updates the subnet group dbrail owns when `subnet_ids` is set.
    pub(crate) async fn ensure_subnet_group(
        &self,
        state: &State,
    ) -> Result<Option<String>, StepError> {
        let Some(subnets) = &state.subnet_ids else {
            return Ok(state.db_subnet_group_name.clone());
        };
        let name = format!("{}-subnets", state.name);
        let ids: Vec<String> = subnets.iter().cloned().collect();
        let existing = rds::find_subnet_group(self.rds(), &name, self.deadline, self.cancel)
            .await
            .step(|| format!("Reading DB subnet group {name}"))?;
        match existing {
            None => {
                let spec = SubnetGroupSpec {
                    name: name.clone(),
                    description: format!("dbrail subnets of cluster {}", state.name),
                    subnet_ids: ids,
                    tags: self
                        .client
                        .tags_with_defaults(&state.tags.clone().unwrap_or_default()),
                };
                rds::create_subnet_group(self.rds(), &spec, self.deadline, self.cancel)
                    .await
                    .step(|| format!("Creating DB subnet group {name}"))?;
            }
            Some(group) => {
                let current: BTreeSet<&String> = group.subnets.iter().map(|s| &s.id).collect();
                if current != subnets.iter().collect() {
                    rds::modify_subnet_group(
                        self.rds(),
                        &name,
                        &ids,
                        None,
                        self.deadline,
                        self.cancel,
                    )
                    .await
                    .step(|| format!("Updating DB subnet group {name}"))?;
                }
            }
        }
        Ok(Some(name))
    }

    /// Creates the cluster (adopting one an interrupted create left) and waits for it.
    pub(crate) async fn create_cluster(
        &self,
        state: &State,
        engine_version: Option<String>,
    ) -> Result<Cluster, StepError> {
        let spec = ClusterSpec {
            identifier: state.name.clone(),
            engine: state.engine.clone(),
            engine_version,
            database_name: None,
            db_subnet_group_name: state.db_subnet_group_name.clone(),
            vpc_security_group_ids: state.security_group_ids.iter().flatten().cloned().collect(),
            kms_key_id: state.kms_key_id.clone(),
            master_username: state
                .master_username
                .clone()
                .unwrap_or_else(|| "dbrail_admin".into()),
            master_user_secret_kms_key_id: state.kms_key_id.clone(),
            port: Some(
                i32::try_from(state.port.unwrap_or_else(|| default_port(&state.engine)))
                    .unwrap_or_default(),
            ),
            backup_retention_period: state
                .backup
                .as_ref()
                .and_then(|b| b.retention_days)
                .and_then(|d| i32::try_from(d).ok()),
            preferred_backup_window: state.backup.as_ref().and_then(|b| b.window.clone()),
            preferred_maintenance_window: state.maintenance_window.clone(),
            enabled_cloudwatch_logs_exports: state.log_exports.iter().flatten().cloned().collect(),
            deletion_protection: state.guarded(),
            db_cluster_parameter_group_name: state
                .parameter_baseline
                .as_ref()
                .map(|b| b.cluster_parameter_group_name.clone()),
            tags: self.all_tags(state),
        };
        rds::create_cluster(self.rds(), &spec, self.deadline, self.cancel)
            .await
            .step(|| format!("Creating cluster {}", state.name))?;
        rds::wait_for_cluster_available(self.rds(), &state.name, self.deadline, self.cancel)
            .await
            .step(|| format!("Waiting for cluster {} to become available", state.name))
    }

    fn instance_spec(
        &self,
        state: &State,
        identifier: String,
        zone: Option<String>,
        writer: bool,
    ) -> InstanceSpec {
        InstanceSpec {
            identifier,
            cluster_identifier: state.name.clone(),
            instance_class: state.instance_class.clone(),
            engine: state.engine.clone(),
            availability_zone: zone,
            db_parameter_group_name: state
                .parameter_baseline
                .as_ref()
                .map(|b| b.instance_parameter_group_name.clone()),
            monitoring_interval: i32::try_from(state.monitoring_interval.unwrap_or(60))
                .unwrap_or(60),
            monitoring_role_arn: state.monitoring_role_arn.clone(),
            performance_insights_enabled: state.performance_insights.unwrap_or(true),
            performance_insights_kms_key_id: state
                .kms_key_id
                .clone()
                .filter(|_| state.performance_insights.unwrap_or(true)),
            performance_insights_retention_period: None,
            auto_minor_version_upgrade: true,
            promotion_tier: Some(if writer { 0 } else { 1 }),
            tags: self.all_tags(state),
        }
    }

    /// Makes the instance set match: a writer and `readers` readers. Creates or deletes only
    /// the difference; the writer is never touched by a reader change.
    pub(crate) async fn converge_instances(
        &self,
        state: &State,
        cluster: &Cluster,
        zones: &[String],
    ) -> Result<(), StepError> {
        let existing = rds::list_cluster_instances(self.rds(), cluster, self.deadline, self.cancel)
            .await
            .step(|| format!("Listing instances of {}", state.name))?;
        let writer = existing.iter().find(|i| i.is_writer);
        let mut readers: Vec<&Instance> = existing.iter().filter(|i| !i.is_writer).collect();
        readers.sort_by_key(|i| instance_index(&state.name, &i.identifier).unwrap_or(u32::MAX));
        let mut used: Vec<u32> = existing
            .iter()
            .filter_map(|i| instance_index(&state.name, &i.identifier))
            .collect();
        let mut zone_load: BTreeMap<String, usize> = zones.iter().map(|z| (z.clone(), 0)).collect();
        for instance in &existing {
            if let Some(zone) = &instance.availability_zone {
                *zone_load.entry(zone.clone()).or_default() += 1;
            }
        }
        let next_zone = |load: &mut BTreeMap<String, usize>| -> Option<String> {
            let zone = load
                .iter()
                .min_by_key(|(z, n)| (**n, (*z).clone()))
                .map(|(z, _)| z.clone())?;
            *load.entry(zone.clone()).or_default() += 1;
            Some(zone)
        };
        let mut created = Vec::new();
        if writer.is_none() {
            let id = instance_name(&state.name, 1);
            if !used.contains(&1) {
                used.push(1);
            }
            let zone = next_zone(&mut zone_load);
            rds::create_instance(
                self.rds(),
                &self.instance_spec(state, id.clone(), zone, true),
                self.deadline,
                self.cancel,
            )
            .await
            .step(|| format!("Creating writer instance {id}"))?;
            rds::wait_for_instance_available(self.rds(), &id, self.deadline, self.cancel)
                .await
                .step(|| format!("Waiting for instance {id}"))?;
        }
        let wanted = state.reader_count();
        if readers.len() > wanted {
            let extra: Vec<String> = readers
                .iter()
                .rev()
                .take(readers.len() - wanted)
                .map(|i| i.identifier.clone())
                .collect();
            for id in &extra {
                rds::delete_instance(self.rds(), id, self.deadline, self.cancel)
                    .await
                    .step(|| format!("Deleting reader {id}"))?;
            }
            for id in &extra {
                rds::wait_for_instance_deleted(self.rds(), id, self.deadline, self.cancel)
                    .await
                    .step(|| format!("Waiting for reader {id} to be deleted"))?;
            }
        }
        for _ in readers.len()..wanted {
            let index = (1..).find(|n| !used.contains(n)).unwrap_or(u32::MAX);
            used.push(index);
            let id = instance_name(&state.name, index);
            let zone = next_zone(&mut zone_load);
            rds::create_instance(
                self.rds(),
                &self.instance_spec(state, id.clone(), zone, false),
                self.deadline,
                self.cancel,
            )
            .await
            .step(|| format!("Creating reader {id}"))?;
            created.push(id);
        }
        for id in &created {
            rds::wait_for_instance_available(self.rds(), id, self.deadline, self.cancel)
                .await
                .step(|| format!("Waiting for reader {id}"))?;
        }
        Ok(())
    }

    /// Applies instance-level settings (class, parameter group, monitoring, Performance
    /// Insights) to every instance that differs. A baseline switched within the same family, or
    /// an instance group AWS did not move during a major upgrade, is applied here.
    pub(crate) async fn converge_instance_settings(
        &self,
        state: &State,
        cluster: &Cluster,
    ) -> Result<(), StepError> {
        let instances =
            rds::list_cluster_instances(self.rds(), cluster, self.deadline, self.cancel)
                .await
                .step(|| format!("Listing instances of {}", state.name))?;
        for instance in instances {
            let desired =
                self.instance_spec(state, instance.identifier.clone(), None, instance.is_writer);
            let change = InstanceChange {
                instance_class: (instance.instance_class != desired.instance_class)
                    .then(|| desired.instance_class.clone()),
                monitoring_interval: (instance.monitoring_interval != desired.monitoring_interval)
                    .then_some(desired.monitoring_interval),
                monitoring_role_arn: (instance.monitoring_interval != desired.monitoring_interval)
                    .then(|| desired.monitoring_role_arn.clone())
                    .flatten(),
                performance_insights_enabled: (instance.performance_insights_enabled
                    != desired.performance_insights_enabled)
                    .then_some(desired.performance_insights_enabled),
                performance_insights_kms_key_id: (instance.performance_insights_enabled
                    != desired.performance_insights_enabled)
                    .then(|| desired.performance_insights_kms_key_id.clone())
                    .flatten(),
                db_parameter_group_name: desired
                    .db_parameter_group_name
                    .clone()
                    .filter(|group| instance.db_parameter_group.as_deref() != Some(group.as_str())),
                disable_public_access: instance.publicly_accessible,
                auto_minor_version_upgrade: (!instance.auto_minor_version_upgrade).then_some(true),
                apply_immediately: true,
                ..InstanceChange::default()
            };
            if !change.is_empty() {
                let id = instance.identifier.clone();
                rds::modify_instance(self.rds(), &id, &change, self.deadline, self.cancel)
                    .await
                    .step(|| format!("Updating instance {id}"))?;
                rds::wait_for_instance_available(self.rds(), &id, self.deadline, self.cancel)
                    .await
                    .step(|| format!("Waiting for instance {id} to apply its changes"))?;
            }
        }
        Ok(())
    }

    /// Sends every cluster-level difference between AWS and `planned` in one call.
    pub(crate) async fn converge_cluster(
        &self,
        planned: &State,
        cluster: &Cluster,
    ) -> Result<(), StepError> {
        let mut change = ClusterChange::restoring(&cluster.fixed_setting_drift());
        if !version_satisfied(
            &planned.engine,
            &planned.engine_version,
            &cluster.engine_version,
        ) {
            change.engine_version = Some(
                self.resolve_engine_version(&planned.engine, &planned.engine_version)
                    .await?,
            );
            let major_change = major_of(&planned.engine, &planned.engine_version)
                != major_of(&cluster.engine, &cluster.engine_version);
            change.allow_major_version_upgrade = major_change;
            if major_change && let Some(baseline) = &planned.parameter_baseline {
                change.db_cluster_parameter_group_name =
                    Some(baseline.cluster_parameter_group_name.clone());
                change.db_instance_parameter_group_name =
                    Some(baseline.instance_parameter_group_name.clone());
            }
        }
        if let Some(baseline) = &planned.parameter_baseline
            && cluster.db_cluster_parameter_group.as_deref()
                != Some(baseline.cluster_parameter_group_name.as_str())
        {
            change.db_cluster_parameter_group_name =
                Some(baseline.cluster_parameter_group_name.clone());
        }
        let backup = planned.backup.clone().unwrap_or_default();
        if let Some(days) = backup.retention_days.and_then(|d| i32::try_from(d).ok())
            && cluster.backup_retention_period != Some(days)
        {
            change.backup_retention_period = Some(days);
        }
        if backup.window.is_some() && backup.window != cluster.preferred_backup_window {
            change.preferred_backup_window = backup.window.clone();
        }
        if planned.maintenance_window.is_some()
            && planned.maintenance_window != cluster.preferred_maintenance_window
        {
            change.preferred_maintenance_window = planned.maintenance_window.clone();
        }
        let desired_logs: Vec<String> = planned.log_exports.iter().flatten().cloned().collect();
        change.log_exports =
            rds::diff_log_exports(&cluster.enabled_cloudwatch_logs_exports, &desired_logs);
        if cluster.deletion_protection != planned.guarded() {
            change.deletion_protection = Some(planned.guarded());
        }
        let desired_sgs: BTreeSet<String> = planned.security_group_ids.clone().unwrap_or_default();
        if planned.security_group_ids.is_some()
            && desired_sgs != cluster.vpc_security_group_ids.iter().cloned().collect()
        {
            change.vpc_security_group_ids = Some(desired_sgs.into_iter().collect());
        }
        if let Some(port) = planned.port.and_then(|p| i32::try_from(p).ok())
            && cluster.port != Some(port)
        {
            change.port = Some(port);
        }
        if change.is_empty() {
            return Ok(());
        }
        change.apply_immediately = true;
        rds::modify_cluster(
            self.rds(),
            &planned.name,
            &change,
            self.deadline,
            self.cancel,
        )
        .await
        .step(|| format!("Updating cluster {}", planned.name))?;
        rds::wait_for_cluster_available(self.rds(), &planned.name, self.deadline, self.cancel)
            .await
            .step(|| format!("Waiting for cluster {} to settle", planned.name))?;
        Ok(())
    }

    /// Makes the cluster's tags match.
    pub(crate) async fn converge_tags(
        &self,
        planned: &State,
        cluster: &Cluster,
    ) -> Result<(), StepError> {
        let desired = self.all_tags(planned);
        let (add, remove) = rds::diff_tags(&cluster.tags, &desired);
        if !remove.is_empty() {
            rds::remove_tags(
                self.rds(),
                &cluster.arn,
                &remove,
                self.deadline,
                self.cancel,
            )
            .await
            .step(|| format!("Removing tags from {}", planned.name))?;
        }
        if !add.is_empty() {
            rds::add_tags(self.rds(), &cluster.arn, &add, self.deadline, self.cancel)
                .await
                .step(|| format!("Tagging {}", planned.name))?;
        }
        Ok(())
    }

    /// Reads the cluster into `prior`'s shape; `None` when it no longer exists.
    pub(crate) async fn read(
        &self,
        prior: &State,
    ) -> Result<Option<(State, Diagnostics)>, StepError> {
        let Some(cluster) = rds::find_cluster(self.rds(), &prior.name, self.deadline, self.cancel)
            .await
            .step(|| format!("Reading cluster {}", prior.name))?
        else {
            return Ok(None);
        };
        let instances =
            rds::list_cluster_instances(self.rds(), &cluster, self.deadline, self.cancel)
                .await
                .step(|| format!("Listing instances of {}", prior.name))?;
        let mut warnings = Diagnostics::new();
        let importing = prior.engine.is_empty();
        let mut state = prior.clone();
        state.id = Some(cluster.identifier.clone());
        state.engine = cluster.engine.clone();
        state.engine_version = if !importing
            && version_satisfied(
                &cluster.engine,
                &prior.engine_version,
                &cluster.engine_version,
            ) {
            prior.engine_version.clone()
        } else {
            major_of(&cluster.engine, &cluster.engine_version)
        };
        state.engine_version_actual = Some(cluster.engine_version.clone());
        let writer = instances.iter().find(|i| i.is_writer);
        let mut readers: Vec<&Instance> = instances.iter().filter(|i| !i.is_writer).collect();
        readers.sort_by_key(|i| instance_index(&prior.name, &i.identifier).unwrap_or(u32::MAX));
        if let Some(writer) = writer {
            state.instance_class = writer.instance_class.clone();
            state.performance_insights = Some(writer.performance_insights_enabled);
            state.monitoring_interval = Some(i64::from(writer.monitoring_interval));
            if importing {
                state.monitoring_role_arn = writer.monitoring_role_arn.clone();
            }
        }
        state.writer_instance_id = writer.map(|w| w.identifier.clone());
        state.readers = Some(i64::try_from(readers.len()).unwrap_or_default());
        state.reader_instance_ids = Some(readers.iter().map(|r| r.identifier.clone()).collect());
        state.availability_zones = Some(
            instances
                .iter()
                .filter_map(|i| i.availability_zone.clone())
                .collect(),
        );
        state.db_subnet_group_name = cluster.db_subnet_group.clone();
        let own_group = format!("{}-subnets", cluster.identifier);
        if importing && cluster.db_subnet_group.as_deref() == Some(own_group.as_str()) {
            // The group dbrail creates from `subnet_ids` (see `ensure_subnet_group`): import
            // recovers those subnets, so a configuration giving `subnet_ids` plans clean.
            let group = rds::find_subnet_group(self.rds(), &own_group, self.deadline, self.cancel)
                .await
                .step(|| format!("Reading DB subnet group {own_group}"))?;
            state.subnet_ids = group
                .map(|g| g.subnets.into_iter().map(|s| s.id).collect())
                .filter(|ids: &BTreeSet<String>| !ids.is_empty());
        }
        if importing || prior.security_group_ids.is_some() {
            state.security_group_ids =
                Some(cluster.vpc_security_group_ids.iter().cloned().collect())
                    .filter(|s: &BTreeSet<String>| !s.is_empty() || !importing);
        }
        if importing {
            state.kms_key_id = cluster.kms_key_id.clone();
        }
        state.port = cluster.port.map(i64::from);
        state.master_username = Some(cluster.master_username.clone());
        // The guard is configuration: AWS's deletion protection is reported in
        // `guarded_settings`, so switching it off outside Terraform cannot switch the guard off.
        if importing {
            state.deletion_guard = Some(cluster.deletion_protection);
        }
        state.maintenance_window = cluster.preferred_maintenance_window.clone();
        state.log_exports = Some(
            cluster
                .enabled_cloudwatch_logs_exports
                .iter()
                .cloned()
                .collect(),
        );
        let backup = state.backup.get_or_insert_with(Default::default);
        backup.retention_days = cluster.backup_retention_period.map(i64::from);
        backup.window = cluster.preferred_backup_window.clone();
        state.arn = Some(cluster.arn.clone());
        state.cluster_resource_id = Some(cluster.resource_id.clone());
        state.endpoint = cluster.endpoint.clone();
        state.reader_endpoint = cluster.reader_endpoint.clone();
        state.master_user_secret_arn = cluster.master_user_secret_arn.clone();
        state.final_snapshot_identifier = Some(final_snapshot_name(
            &cluster.identifier,
            &cluster.resource_id,
        ));
        state.tags = Some(user_tags(
            &cluster.tags,
            &self.client.default_tags,
            prior.tags.as_ref(),
        ))
        .filter(|t| !t.is_empty());
        if importing {
            state.tier = tier_from(&cluster.tags).unwrap_or_else(|| "production".to_owned());
            let waivers = waivers_from(&cluster.tags);
            state.waiver = (!waivers.is_empty()).then_some(waivers);
            state.allow_major_version_upgrade = Some(false);
        }
        state.parameter_baseline = self.read_baseline(prior, &cluster, writer).await?;
        let mut guarded = BTreeMap::new();
        guarded.insert(
            "copy_tags_to_snapshot".to_owned(),
            cluster.copy_tags_to_snapshot.to_string(),
        );
        guarded.insert(
            "iam_database_authentication".to_owned(),
            cluster.iam_database_authentication_enabled.to_string(),
        );
        guarded.insert(
            "manage_master_user_password".to_owned(),
            cluster.master_user_secret_arn.is_some().to_string(),
        );
        guarded.insert(
            "publicly_accessible".to_owned(),
            instances.iter().any(|i| i.publicly_accessible).to_string(),
        );
        guarded.insert(
            "storage_encrypted".to_owned(),
            cluster.storage_encrypted.to_string(),
        );
        guarded.insert(
            "deletion_protection".to_owned(),
            cluster.deletion_protection.to_string(),
        );
        for (setting, rule, wanted) in [
            ("copy_tags_to_snapshot", "G14", "true"),
            ("iam_database_authentication", "G5", "true"),
            ("manage_master_user_password", "G18", "true"),
            ("publicly_accessible", "G3", "false"),
            ("storage_encrypted", "G1", "true"),
        ] {
            if guarded.get(setting).map(String::as_str) != Some(wanted) {
                warnings.push(Diagnostic::warning(
                    format!("[{rule}] {setting} was changed outside Terraform"),
                    format!("Cluster {} reports {setting} = {}; dbrail requires {wanted}. The next apply restores it.", prior.name, guarded.get(setting).cloned().unwrap_or_default()),
                ));
            }
        }
        if !importing && prior.guarded() && !cluster.deletion_protection {
            warnings.push(Diagnostic::warning(
                "[G4] Deletion protection was turned off outside Terraform",
                format!("Cluster {} can be deleted by anyone with rds:DeleteDBCluster. The next apply turns protection back on.", prior.name),
            ));
        }
        let configured_retention = prior.backup.as_ref().and_then(|b| b.retention_days);
        let actual_retention = cluster.backup_retention_period.map(i64::from);
        if !importing && configured_retention.is_some() && actual_retention < configured_retention {
            warnings.push(Diagnostic::warning(
                "[G6] Backup retention was lowered outside Terraform",
                format!(
                    "Cluster {} keeps automated backups for {} days; the configuration says {}. The next apply restores it.",
                    prior.name,
                    actual_retention.unwrap_or_default(),
                    configured_retention.unwrap_or_default()
                ),
            ));
        }
        if !importing && prior.reader_count() > readers.len() {
            warnings.push(Diagnostic::warning(
                "[G12] A reader instance was removed outside Terraform",
                format!(
                    "Cluster {} has {} of {} readers. The next apply recreates the missing ones.",
                    prior.name,
                    readers.len(),
                    prior.reader_count()
                ),
            ));
        }
        state.guarded_settings = Some(guarded);
        Ok(Some((state, warnings)))
    }

    /// The baseline the cluster uses, as AWS reports it (import rebuilds it fully).
    async fn read_baseline(
        &self,
        prior: &State,
        cluster: &Cluster,
        writer: Option<&Instance>,
    ) -> Result<Option<BaselineRef>, StepError> {
        let cluster_group = cluster
            .db_cluster_parameter_group
            .clone()
            .unwrap_or_default();
        let instance_group = writer
            .and_then(|w| w.db_parameter_group.clone())
            .unwrap_or_default();
        if let Some(baseline) = &prior.parameter_baseline {
            return Ok(Some(BaselineRef {
                cluster_parameter_group_name: if cluster_group.is_empty() {
                    baseline.cluster_parameter_group_name.clone()
                } else {
                    cluster_group
                },
                instance_parameter_group_name: if instance_group.is_empty() {
                    baseline.instance_parameter_group_name.clone()
                } else {
                    instance_group
                },
                ..baseline.clone()
            }));
        }
        let Some(name) = cluster_group.strip_suffix("-cluster").map(str::to_owned) else {
            return Ok(None);
        };
        let group = rds::find_parameter_group(
            self.rds(),
            rds::GroupKind::Cluster,
            &cluster_group,
            self.deadline,
            self.cancel,
        )
        .await
        .step(|| format!("Reading parameter group {cluster_group}"))?;
        let params = rds::list_user_parameters(
            self.rds(),
            rds::GroupKind::Cluster,
            &cluster_group,
            self.deadline,
            self.cancel,
        )
        .await
        .step(|| format!("Reading parameters of {cluster_group}"))?;
        Ok(Some(BaselineRef {
            name,
            family: group
                .map(|g| g.family)
                .unwrap_or_else(|| family_of(&cluster.engine, &cluster.engine_version)),
            cluster_parameter_group_name: cluster_group,
            instance_parameter_group_name: instance_group,
            effective_cluster_parameters: Some(
                params
                    .into_iter()
                    .filter_map(|p| p.value.map(|v| (p.name, v)))
                    .collect(),
            ),
        }))
    }

    /// Deletes instances, then the cluster with its final snapshot, then dbrail's subnet group.
    pub(crate) async fn delete(&self, prior: &State) -> Result<(), StepError> {
        let Some(cluster) = rds::find_cluster(self.rds(), &prior.name, self.deadline, self.cancel)
            .await
            .step(|| format!("Reading cluster {}", prior.name))?
        else {
            return Ok(());
        };
        if cluster.deletion_protection {
            let change = ClusterChange {
                deletion_protection: Some(false),
                apply_immediately: true,
                ..ClusterChange::default()
            };
            rds::modify_cluster(self.rds(), &prior.name, &change, self.deadline, self.cancel)
                .await
                .step(|| format!("Turning off deletion protection of {}", prior.name))?;
        }
        let instances =
            rds::list_cluster_instances(self.rds(), &cluster, self.deadline, self.cancel)
                .await
                .step(|| format!("Listing instances of {}", prior.name))?;
        let mut ordered: Vec<&Instance> = instances.iter().collect();
        ordered.sort_by_key(|i| i.is_writer);
        for instance in &ordered {
            let id = instance.identifier.clone();
            rds::delete_instance(self.rds(), &id, self.deadline, self.cancel)
                .await
                .step(|| format!("Deleting instance {id}"))?;
        }
        for instance in &ordered {
            let id = instance.identifier.clone();
            rds::wait_for_instance_deleted(self.rds(), &id, self.deadline, self.cancel)
                .await
                .step(|| format!("Waiting for instance {id} to be deleted"))?;
        }
        let snapshot = final_snapshot_name(&cluster.identifier, &cluster.resource_id);
        rds::delete_cluster(
            self.rds(),
            &prior.name,
            Some(&snapshot),
            self.deadline,
            self.cancel,
        )
        .await
        .step(|| {
            format!(
                "Deleting cluster {} (final snapshot {snapshot})",
                prior.name
            )
        })?;
        rds::wait_for_cluster_deleted(self.rds(), &prior.name, self.deadline, self.cancel)
            .await
            .step(|| format!("Waiting for cluster {} to be deleted", prior.name))?;
        if prior.subnet_ids.is_some() {
            let group = format!("{}-subnets", prior.name);
            rds::delete_subnet_group(self.rds(), &group, self.deadline, self.cancel)
                .await
                .step(|| format!("Deleting DB subnet group {group}"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_names_and_indexes() {
        assert_eq!(instance_index("orders", "orders-3"), Some(3));
        assert_eq!(instance_index("orders", "orders-db-3"), None);
        assert_eq!(instance_index("orders", "other-1"), None);
        assert_eq!(instance_name("orders", 2), "orders-2");
    }

    #[test]
    fn final_snapshot_names_are_per_incarnation() {
        assert_eq!(
            final_snapshot_name("orders", "cluster-ABC123"),
            "orders-final-abc123"
        );
    }
}
