//! Parameter groups: plain AWS ones and dbrail baselines.
//!
//! A group is judged on its own (G9, G10 and the parameter checks) and also lends its
//! parameters to every cluster that uses it, which is how a cluster's TLS and audit settings
//! get checked at all: no scanner follows a cluster to its parameter group.

use dbrail_rules::{Fact, ParameterGroupSubject, Scope};
use rustc_hash::FxHashMap as HashMap;

use super::{Target, attrs, dbrail, links};
use crate::error::InputError;
use crate::plan::{Plan, Resource};
use crate::vocabulary::Vocabulary;

/// A cluster parameter group a cluster may use.
#[derive(Debug, Clone)]
pub(crate) struct ClusterGroup<'a> {
    /// The resource defining it.
    pub(crate) resource: &'a Resource<'a>,
    /// Its name as clusters refer to it.
    pub(crate) name: Fact<String>,
    /// Its parameters.
    pub(crate) group: ParameterGroupSubject,
}

/// The parameter group subject of an `aws_rds_cluster_parameter_group` or
/// `aws_db_parameter_group`.
pub(crate) fn subject(
    file: &str,
    resource: &Resource,
) -> Result<ParameterGroupSubject, InputError> {
    let a = attrs(file, resource);
    let scope = if resource.kind == "aws_db_parameter_group" {
        Scope::Instance
    } else {
        Scope::Cluster
    };
    let mut group = ParameterGroupSubject::new(scope, a.string("family")?);
    if let Some(parameters) = a.string_blocks("parameter", ["name", "value"]) {
        for [name, value] in parameters {
            match name {
                Fact::Known(name) => group = group.with_parameter(name, value),
                _ => group = group.with_unknown_parameters(),
            }
        }
        return Ok(group);
    }
    match a.blocks("parameter")? {
        Fact::Known(blocks) => {
            for block in blocks {
                match block.string("name")? {
                    Fact::Known(name) => group = group.with_parameter(name, block.string("value")?),
                    _ => group = group.with_unknown_parameters(),
                }
            }
        }
        Fact::Unknown => group = group.with_unknown_parameters(),
        Fact::Absent => {}
    }
    Ok(group)
}

/// A plain AWS parameter group as a target; a cluster parameter group's subject was already
/// built for the clusters that use it and is not read twice.
pub(super) fn target(
    file: &str,
    groups: &ClusterGroups<'_>,
    resource: &Resource,
) -> Result<Target, InputError> {
    let group = match groups.by_address.get(resource.address.as_str()) {
        Some(&index) if resource.kind == "aws_rds_cluster_parameter_group" => {
            groups.list.get(index).map(|g| g.group.clone())
        }
        _ => None,
    };
    let group = match group {
        Some(group) => group,
        None => subject(file, resource)?,
    };
    Ok(Target::new(
        resource,
        group.into(),
        Vocabulary::Parameters("parameter"),
    ))
}

/// The cluster parameter groups of a plan, indexed by known name.
#[derive(Debug, Default)]
pub(crate) struct ClusterGroups<'a> {
    list: Vec<ClusterGroup<'a>>,
    by_name: HashMap<String, Vec<usize>>,
    /// Keyed by (module instance, address without module and index), so that following a
    /// cluster's configuration reference is a lookup, not a scan of every group.
    by_local: HashMap<(&'a str, &'a str), Vec<usize>>,
    /// Keyed by full address.
    by_address: HashMap<&'a str, usize>,
}

/// Every cluster parameter group in the plan a cluster could use.
pub(crate) fn cluster_groups<'a>(
    file: &str,
    plan: &'a Plan,
) -> Result<ClusterGroups<'a>, InputError> {
    let mut out = Vec::new();
    for resource in plan.of_type("aws_rds_cluster_parameter_group") {
        out.push(ClusterGroup {
            resource,
            name: attrs(file, resource).string("name")?,
            group: subject(file, resource)?,
        });
    }
    for resource in plan.of_type("dbrail_parameter_baseline") {
        out.push(ClusterGroup {
            resource,
            name: attrs(file, resource).string("cluster_parameter_group_name")?,
            group: dbrail::baseline_cluster_group(file, resource)?,
        });
    }
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::default();
    let mut by_local: HashMap<(&'a str, &'a str), Vec<usize>> = HashMap::default();
    let mut by_address: HashMap<&'a str, usize> = HashMap::default();
    for (index, group) in out.iter().enumerate() {
        by_address.insert(group.resource.address.as_str(), index);
        if let Fact::Known(name) = &group.name {
            by_name.entry(name.clone()).or_default().push(index);
        }
        let resource = group.resource;
        by_local
            .entry((resource.module.as_str(), resource.local.as_str()))
            .or_default()
            .push(index);
    }
    Ok(ClusterGroups {
        list: out,
        by_name,
        by_local,
        by_address,
    })
}

/// The group a cluster uses: by its known name, else through the configuration's references.
/// `None` when the plan cannot tell what the group holds.
pub(crate) fn group_of(
    cluster: &Resource,
    name: &Fact<String>,
    groups: &ClusterGroups<'_>,
) -> Option<ParameterGroupSubject> {
    const ATTRIBUTE: &str = "db_cluster_parameter_group_name";
    let mut indices: Vec<usize> = cluster
        .references
        .get(ATTRIBUTE)
        .into_iter()
        .flatten()
        .filter_map(|r| links::referenced_resource(r))
        .filter_map(|local| groups.by_local.get(&(cluster.module.as_str(), local)))
        .flatten()
        .copied()
        .collect();
    // In plan order, each group once, as a scan of the list would give them.
    indices.sort_unstable();
    indices.dedup();
    let referenced: Vec<&ClusterGroup<'_>> =
        indices.iter().filter_map(|i| groups.list.get(*i)).collect();
    let pick = |candidates: Vec<&ClusterGroup<'_>>| {
        let index = links::index_of(&cluster.address);
        candidates
            .iter()
            .find(|g| links::index_of(&g.resource.address) == index)
            .or(candidates.first())
            .map(|g| g.group.clone())
    };
    match name {
        Fact::Known(name) => {
            let named: Vec<_> = groups
                .by_name
                .get(name)
                .into_iter()
                .flatten()
                .filter_map(|i| groups.list.get(*i))
                .collect();
            if !named.is_empty() {
                return pick(named);
            }
            if !referenced.is_empty() {
                return pick(referenced);
            }
            // AWS's default group sets nothing: every TLS and audit parameter takes the engine
            // default, which the rules do not accept as evidence.
            name.strip_prefix("default.").map(|family| {
                ParameterGroupSubject::new(Scope::Cluster, Fact::Known(family.to_owned()))
            })
        }
        Fact::Unknown => pick(referenced),
        Fact::Absent => Some(ParameterGroupSubject::new(Scope::Cluster, Fact::Absent)),
    }
}
