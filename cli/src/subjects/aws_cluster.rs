//! `aws_rds_cluster` with its `aws_rds_cluster_instance`s and its parameter group.
//!
//! The AWS provider splits an Aurora cluster over several resources; the rules judge it whole.
//! Instance-level settings are combined as the weakest instance (any public instance makes the
//! cluster public; monitoring is off if any instance has it off), and AWS defaults apply where an
//! argument is not set, since that is what AWS will do. Coverage by a backup plan comes from the
//! plan's `aws_backup_selection`s.

use std::collections::BTreeSet;

use dbrail_rules::{ClusterSubject, Engine, Fact, Subject};
use rustc_hash::FxHashMap as HashMap;

use super::coverage::{ClusterFacts, Selections};
use super::groups::{ClusterGroups, group_of};
use super::{Target, attrs, links};
use crate::error::InputError;
use crate::plan::{Plan, Resource};
use crate::vocabulary::Vocabulary;

/// The plan's `aws_rds_cluster_instance`s, by the cluster identifier they name when it is
/// known; the others can only join a cluster through a configuration reference.
#[derive(Debug, Default)]
pub(super) struct Instances<'a> {
    by_identifier: HashMap<String, Vec<&'a Resource<'a>>>,
    /// Keyed by (module instance, referenced resource without index).
    by_reference: HashMap<(&'a str, &'a str), Vec<&'a Resource<'a>>>,
}

impl<'a> Instances<'a> {
    /// Indexes the plan's instances once, so joining is linear in the plan's size.
    pub(super) fn index(file: &str, plan: &'a Plan) -> Result<Self, InputError> {
        let mut index = Self::default();
        for instance in plan.of_type("aws_rds_cluster_instance") {
            if let Fact::Known(id) = attrs(file, instance).string("cluster_identifier")? {
                index.by_identifier.entry(id).or_default().push(instance);
            }
            let targets = instance
                .references
                .get("cluster_identifier")
                .into_iter()
                .flatten();
            for target in targets.filter_map(|r| links::referenced_resource(r)) {
                index
                    .by_reference
                    .entry((instance.module.as_str(), target))
                    .or_default()
                    .push(instance);
            }
        }
        Ok(index)
    }

    /// The instances joining `cluster`, in plan order.
    fn of(&self, cluster: &Resource, identifier: &Fact<String>) -> Vec<&'a Resource<'a>> {
        let mut found: Vec<&'a Resource<'a>> = identifier
            .known()
            .and_then(|id| self.by_identifier.get(id))
            .cloned()
            .unwrap_or_default();
        let key = (cluster.module.as_str(), cluster.local.as_str());
        for instance in self.by_reference.get(&key).into_iter().flatten() {
            if !found.iter().any(|f| std::ptr::eq(*f, *instance)) {
                found.push(instance);
            }
        }
        found
    }
}

/// Combines one fact across instances with `merge`; unknown wins over everything.
fn combine<T: Clone>(facts: &[Fact<T>], merge: impl Fn(T, T) -> T, empty: T) -> Fact<T> {
    let mut acc = empty;
    for fact in facts {
        match fact {
            Fact::Known(v) => acc = merge(acc, v.clone()),
            Fact::Unknown => return Fact::Unknown,
            Fact::Absent => {}
        }
    }
    Fact::Known(acc)
}

/// The weakest instance's monitoring: off if any instance has it off, else the longest interval.
fn monitoring_interval(intervals: &[Fact<u32>]) -> Fact<u32> {
    combine(
        &intervals.iter().map(|f| f.map(Some)).collect::<Vec<_>>(),
        |a, b| match (a, b) {
            (None, b) => b,
            (Some(0), _) | (_, Some(0)) => Some(0),
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, None) => a,
        },
        None,
    )
    .map(|i| i.unwrap_or(0))
}

/// An `aws_rds_cluster` target.
pub(super) fn target(
    file: &str,
    instances: &Instances<'_>,
    groups: &ClusterGroups<'_>,
    selections: &Selections<'_>,
    resource: &Resource,
) -> Result<Target, InputError> {
    let a = attrs(file, resource);
    let identifier = a.string("cluster_identifier")?;
    let instances = instances.of(resource, &identifier);
    let (mut public, mut minor, mut monitoring, mut insights, mut insights_kms, mut zones) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for instance in &instances {
        let i = attrs(file, instance);
        public.push(i.bool("publicly_accessible", Some(false))?);
        minor.push(i.bool("auto_minor_version_upgrade", Some(true))?);
        monitoring.push(i.u32("monitoring_interval", Some(0))?);
        insights.push(i.bool("performance_insights_enabled", Some(false))?);
        insights_kms.push(i.non_empty("performance_insights_kms_key_id")?);
        zones.push(match i.non_empty("availability_zone")? {
            // A zone left to AWS cannot be counted on for spread.
            Fact::Absent => Fact::Unknown,
            other => other,
        });
    }
    let engine = match a.string("engine")? {
        Fact::Known(name) => Engine::from_name(&name).map_or(Fact::Absent, Fact::Known),
        Fact::Unknown => Fact::Unknown,
        Fact::Absent => Fact::Absent,
    };
    let zones = combine(
        &zones
            .into_iter()
            .map(|z| z.map(|z| BTreeSet::from([z])))
            .collect::<Vec<_>>(),
        |mut a, b| {
            a.extend(b);
            a
        },
        BTreeSet::new(),
    );
    // The weakest instance's key: absent (AWS-managed) if any instance leaves it out.
    let insights_kms = if insights_kms.iter().any(Fact::is_unknown) {
        Fact::Unknown
    } else if insights_kms.is_empty() || insights_kms.iter().any(Fact::is_absent) {
        Fact::Absent
    } else {
        insights_kms[0].clone()
    };
    let tags = match a.string_map("tags_all")? {
        Fact::Absent => a.string_map("tags")?,
        other => other,
    };
    let coverage = selections.coverage(&ClusterFacts {
        resource,
        arn: a.string("arn")?,
        identifier: identifier.clone(),
        tags: tags.clone(),
    });
    let mut cluster = ClusterSubject::new(engine)
        .with_engine_version(a.non_empty("engine_version")?)
        .with_storage_encrypted(a.bool("storage_encrypted", Some(false))?)
        .with_kms_key_id(a.non_empty("kms_key_id")?)
        .with_publicly_accessible(combine(&public, |a, b| a || b, false))
        .with_deletion_protection(a.bool("deletion_protection", Some(false))?)
        .with_iam_database_authentication(
            a.bool("iam_database_authentication_enabled", Some(false))?,
        )
        .with_backup_retention_days(a.u32("backup_retention_period", Some(1))?)
        .with_log_exports(a.strings("enabled_cloudwatch_logs_exports")?)
        .with_auto_minor_version_upgrade(combine(&minor, |a, b| a && b, true))
        .with_readers(Fact::Known(
            u32::try_from(instances.len().saturating_sub(1)).unwrap_or(u32::MAX),
        ))
        .with_availability_zones(zones)
        .with_monitoring_interval(monitoring_interval(&monitoring))
        .with_performance_insights(combine(&insights, |a, b| a && b, true))
        .with_performance_insights_kms_key_id(insights_kms)
        .with_copy_tags_to_snapshot(a.bool("copy_tags_to_snapshot", Some(false))?)
        .with_tags(tags)
        .with_master_username(a.non_empty("master_username")?)
        .with_port(
            a.u32("port", None)?
                .map(|p| u16::try_from(p).unwrap_or(u16::MAX)),
        )
        .with_manage_master_user_password(a.bool("manage_master_user_password", Some(false))?)
        .with_backup_coverage(coverage);
    if instances.is_empty() {
        cluster = cluster
            .with_monitoring_interval(Fact::Known(0))
            .with_performance_insights(Fact::Known(false))
            .with_availability_zones(Fact::Known(BTreeSet::new()));
    }
    let name = a.non_empty("db_cluster_parameter_group_name")?;
    if let Some(group) = group_of(resource, &name, groups) {
        cluster = cluster.with_cluster_parameters(group.with_engine(engine));
    }
    let mut target = Target::new(resource, Subject::Cluster(cluster), Vocabulary::AwsCluster);
    target.instances = instances.iter().map(|i| i.address.clone()).collect();
    Ok(target)
}
