//! From resources to rules subjects.
//!
//! Each database-related resource becomes one [`Target`]: the subject the rules judge, plus what
//! the reports need to point at the right place (address, vocabulary of attribute names, the
//! instances that hold instance-level settings). Facts that live in other resources are joined
//! here: an `aws_rds_cluster` takes instance-level settings from its `aws_rds_cluster_instance`s
//! and its TLS and audit settings from the parameter group it names or references, and every
//! cluster its coverage by a backup plan from the `aws_backup_selection`s that target it. A
//! snapshot takes its encryption from the cluster or instance it is taken from.

mod access_role;
mod aws_cluster;
mod backup;
mod coverage;
mod db_instance;
mod dbrail;
mod global_cluster;
mod groups;
mod links;
mod proxy;
mod snapshot;

use dbrail_rules::{Subject, Tier, Waiver};

use crate::attrs::Attrs;
use crate::error::InputError;
use crate::plan::{Plan, Resource};
use crate::vocabulary::Vocabulary;

/// One subject to evaluate, with where to report its findings.
#[derive(Debug, Clone)]
pub struct Target {
    /// The resource address.
    pub address: String,
    /// The resource type.
    pub kind: String,
    /// The module instance address (empty for the root module).
    pub module: String,
    /// What the rules judge.
    pub subject: Subject,
    /// How attribute names translate to the resource's own.
    pub vocabulary: Vocabulary,
    /// Instances contributing instance-level settings (`aws_rds_cluster_instance` addresses).
    pub instances: Vec<String>,
    /// The tier the resource declares itself (`dbrail_cluster`'s `tier`), if any.
    pub tier: Option<Tier>,
    /// Waivers the resource declares itself (`dbrail_cluster`'s `waiver` blocks).
    pub own_waivers: Vec<Waiver>,
    /// Rule ids that are not meaningful for this resource type and are left out.
    pub skipped_rules: &'static [&'static str],
}

impl Target {
    pub(crate) fn new(resource: &Resource, subject: Subject, vocabulary: Vocabulary) -> Self {
        Self {
            address: resource.address.clone(),
            kind: resource.kind.clone(),
            module: resource.module.clone(),
            subject,
            vocabulary,
            instances: Vec::new(),
            tier: None,
            own_waivers: Vec::new(),
            skipped_rules: &[],
        }
    }
}

/// The typed view of a resource's values.
pub(crate) fn attrs<'a>(file: &'a str, resource: &'a Resource<'a>) -> Attrs<'a> {
    Attrs::new(
        file,
        &resource.values,
        &resource.unknown,
        &resource.values_path,
    )
}

/// What joining resources needs from the whole plan: parameter groups, cluster instances, backup
/// vaults and backup selections, each indexed once so that building a target is linear in the
/// plan's size.
pub struct Index<'p> {
    file: &'p str,
    groups: groups::ClusterGroups<'p>,
    instances: aws_cluster::Instances<'p>,
    vaults: backup::Vaults<'p>,
    selections: coverage::Selections<'p>,
    sources: snapshot::Sources<'p>,
}

impl<'p> Index<'p> {
    /// Indexes a plan.
    pub fn new(file: &'p str, plan: &'p Plan<'p>) -> Result<Self, InputError> {
        Ok(Self {
            file,
            groups: groups::cluster_groups(file, plan)?,
            instances: aws_cluster::Instances::index(file, plan)?,
            vaults: backup::Vaults::index(file, plan)?,
            selections: coverage::Selections::index(file, plan)?,
            sources: snapshot::Sources::index(file, plan)?,
        })
    }

    /// The subjects of one resource: none for a type judged only as part of another
    /// (`aws_rds_cluster_instance`, vaults), two for a baseline (its two groups).
    pub fn targets(&self, resource: &'p Resource<'p>) -> Result<Vec<Target>, InputError> {
        let file = self.file;
        Ok(match resource.kind.as_str() {
            "dbrail_cluster" => vec![dbrail::cluster(file, &self.selections, resource)?],
            "dbrail_parameter_baseline" => dbrail::baseline(file, resource)?,
            "aws_rds_cluster_parameter_group" | "aws_db_parameter_group" => {
                vec![groups::target(file, &self.groups, resource)?]
            }
            "aws_rds_cluster" => vec![aws_cluster::target(
                file,
                &self.instances,
                &self.groups,
                &self.selections,
                resource,
            )?],
            "aws_db_instance" => vec![db_instance::target(file, resource)?],
            "dbrail_access_role" => vec![access_role::target(file, resource)?],
            "dbrail_backup_policy" => vec![backup::policy(file, resource)?],
            "aws_backup_plan" => vec![backup::plan_target(file, &self.vaults, resource)?],
            "aws_db_proxy" => vec![proxy::target(file, resource)?],
            "aws_rds_global_cluster" => vec![global_cluster::target(file, resource)?],
            "aws_db_cluster_snapshot" | "aws_db_snapshot" => {
                snapshot::target(file, &self.sources, resource)?
                    .into_iter()
                    .collect()
            }
            _ => crate::iam::targets(file, resource)?,
        })
    }
}

/// Every subject in the plan, in document order of their resources.
pub fn targets(file: &str, plan: &Plan<'_>) -> Result<Vec<Target>, InputError> {
    let index = Index::new(file, plan)?;
    let mut targets = Vec::new();
    for resource in &plan.resources {
        targets.extend(index.targets(resource)?);
    }
    Ok(targets)
}
