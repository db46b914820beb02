//! Everything dbrail can create, as the emulator holds it: the evidence that an interrupted
//! or faulted apply neither duplicated nor orphaned anything.
//!
//! AWS identifiers are unique, so a duplicate shows as an *extra* resource (a second writer
//! `orders-2`, a reader created twice under new indexes), and an orphan as an instance whose
//! cluster is gone. Comparing the whole inventory with what the configuration implies catches
//! both. Read through the harness's own SDK client, independently of the provider.

use std::collections::BTreeMap;

use super::Stack;
use crate::{EmulatorRds, HarnessError, Workspace};

/// The RDS resources in the emulator (AWS's `default.*` parameter groups left out).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    /// Cluster identifiers, sorted.
    pub clusters: Vec<String>,
    /// Instance identifier → its cluster.
    pub instances: BTreeMap<String, Option<String>>,
    /// Cluster and instance parameter group names, sorted.
    pub parameter_groups: Vec<String>,
    /// DB subnet group names, sorted.
    pub subnet_groups: Vec<String>,
}

fn aws_error(operation: &str, e: impl std::fmt::Debug) -> HarnessError {
    HarnessError::Aws {
        operation: operation.to_owned(),
        detail: format!("{e:?}"),
    }
}

impl Inventory {
    /// Reads the emulator.
    pub fn of(rds: &EmulatorRds) -> Result<Self, HarnessError> {
        let client = rds.client();
        let clusters = rds
            .block_on(
                client
                    .describe_db_clusters()
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>(),
            )
            .map_err(|e| aws_error("DescribeDBClusters", e))?;
        let mut clusters: Vec<String> = clusters
            .iter()
            .filter_map(|c| c.db_cluster_identifier().map(str::to_owned))
            .collect();
        clusters.sort();
        let instances = rds
            .block_on(
                client
                    .describe_db_instances()
                    .into_paginator()
                    .items()
                    .send()
                    .collect::<Result<Vec<_>, _>>(),
            )
            .map_err(|e| aws_error("DescribeDBInstances", e))?;
        let instances = instances
            .iter()
            .filter_map(|i| {
                Some((
                    i.db_instance_identifier()?.to_owned(),
                    i.db_cluster_identifier().map(str::to_owned),
                ))
            })
            .collect();
        let mut parameter_groups: Vec<String> = rds
            .cluster_parameter_group_names()?
            .into_iter()
            .chain(rds.instance_parameter_group_names()?)
            .filter(|name| !name.starts_with("default."))
            .collect();
        parameter_groups.sort();
        let subnets = rds
            .block_on(client.describe_db_subnet_groups().send())
            .map_err(|e| aws_error("DescribeDBSubnetGroups", e))?;
        let mut subnet_groups: Vec<String> = subnets
            .db_subnet_groups()
            .iter()
            .filter_map(|g| g.db_subnet_group_name().map(str::to_owned))
            .filter(|name| name != "default")
            .collect();
        subnet_groups.sort();
        Ok(Self {
            clusters,
            instances,
            parameter_groups,
            subnet_groups,
        })
    }

    /// Instance identifiers, sorted.
    pub fn instance_ids(&self) -> Vec<String> {
        self.instances.keys().cloned().collect()
    }

    /// Instances whose cluster does not exist (or that belong to none).
    pub fn orphaned_instances(&self) -> Vec<String> {
        self.instances
            .iter()
            .filter(|(_, cluster)| {
                cluster
                    .as_ref()
                    .is_none_or(|c| self.clusters.binary_search(c).is_err())
            })
            .map(|(id, _)| id.clone())
            .collect()
    }
}

/// After a re-run: exactly the stack's clusters, instances and parameter groups exist, no
/// instance is orphaned, and the next plan is empty. Returns the inventory for further checks.
pub fn assert_converged(
    ws: &Workspace,
    rds: &EmulatorRds,
    stack: &Stack,
) -> Result<Inventory, HarnessError> {
    let inventory = Inventory::of(rds)?;
    assert_eq!(inventory.clusters, stack.cluster_names(), "{inventory:#?}");
    assert_eq!(
        inventory.instance_ids(),
        stack.instances(),
        "{inventory:#?}"
    );
    assert_eq!(
        inventory.parameter_groups,
        stack.parameter_groups(),
        "{inventory:#?}"
    );
    assert!(inventory.orphaned_instances().is_empty(), "{inventory:#?}");
    ws.plan_detailed()?.expect_no_changes()?;
    Ok(inventory)
}

/// The cluster's `DbClusterResourceId`: random per cluster, so a cluster deleted and created
/// again under the same name has a new one (its ARN, made of the name, would not change).
pub fn cluster_resource_id(rds: &EmulatorRds, id: &str) -> Result<Option<String>, HarnessError> {
    match rds.block_on(
        rds.client()
            .describe_db_clusters()
            .db_cluster_identifier(id)
            .send(),
    ) {
        Ok(out) => Ok(out
            .db_clusters()
            .first()
            .and_then(|c| c.db_cluster_resource_id().map(str::to_owned))),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_db_cluster_not_found_fault()) =>
        {
            Ok(None)
        }
        Err(e) => Err(aws_error("DescribeDBClusters", e)),
    }
}
