//! From resources to rules subjects.
//!
//! Each database-related resource becomes one [`Target`]: the subject the rules judge, plus what
//! the reports need to point at the right place (address, vocabulary of attribute names, the
//! instances that hold instance-level settings). Facts that live in other resources are joined
//! here: an `aws_rds_cluster` takes instance-level settings from its `aws_rds_cluster_instance`s
//! and its TLS and audit settings from the parameter group it names or references.

mod access_role;
mod aws_cluster;
mod backup;
mod db_instance;
mod dbrail;
mod groups;
mod links;

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
pub(crate) fn attrs<'a>(file: &'a str, resource: &'a Resource) -> Attrs<'a> {
    Attrs::new(
        file,
        &resource.values,
        &resource.unknown,
        format!("{}.values", resource.json_path),
    )
}

/// Every subject in the plan, in document order of their resources.
pub fn targets(file: &str, plan: &Plan) -> Result<Vec<Target>, InputError> {
    let groups = groups::cluster_groups(file, plan)?;
    let instances = aws_cluster::Instances::index(file, plan)?;
    let vaults = backup::Vaults::index(file, plan)?;
    let mut targets = Vec::new();
    for resource in &plan.resources {
        match resource.kind.as_str() {
            "dbrail_cluster" => targets.push(dbrail::cluster(file, resource)?),
            "dbrail_parameter_baseline" => targets.extend(dbrail::baseline(file, resource)?),
            "aws_rds_cluster_parameter_group" | "aws_db_parameter_group" => {
                targets.push(groups::target(file, resource)?);
            }
            "aws_rds_cluster" => {
                targets.push(aws_cluster::target(file, &instances, &groups, resource)?)
            }
            "aws_db_instance" => targets.push(db_instance::target(file, resource)?),
            "dbrail_access_role" => targets.push(access_role::target(file, resource)?),
            "dbrail_backup_policy" => targets.push(backup::policy(file, resource)?),
            "aws_backup_plan" => targets.push(backup::plan_target(file, &vaults, resource)?),
            _ => targets.extend(crate::iam::target(file, resource)?),
        }
    }
    Ok(targets)
}
