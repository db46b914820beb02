//! DB subnet groups: create, find, modify the subnets, delete.
//!
//! A cluster's subnet group decides which VPC and which availability zones its instances can be
//! placed in; changing the group of an existing cluster forces replacement, but
//! the *subnets inside* the group can change in place, which is why [`modify_subnet_group`]
//! exists. AWS lower-cases group names and matches them case-insensitively, so lookups here do
//! too. Not-found (`DBSubnetGroupNotFoundFault`) makes [`find_subnet_group`] return `Ok(None)`
//! and [`delete_subnet_group`] succeed, like the AWS provider. A group still used by a cluster
//! is `InvalidDBSubnetGroupStateFault` (`Busy`) and is retried until the deadline, because the
//! cluster using it is usually being deleted in the same apply.
//!
//! ## What the moto emulator does (moto 5.2.1, `moto/rds/`)
//! - Subnet ids must exist in moto's EC2 (its default VPC has one subnet per AZ,
//!   `us-east-1a`–`f`); an unknown id is the EC2 code `InvalidSubnetID.NotFound` (AWS:
//!   `InvalidSubnet`). Subnets of different VPCs and groups covering a single AZ are accepted
//!   (AWS: `InvalidSubnet`, `DBSubnetGroupDoesNotCoverEnoughAZs`).
//! - **Creating an existing name silently replaces the group** (no
//!   `DBSubnetGroupAlreadyExists`), so the adopt-after-retry path below is not exercised.
//! - `ModifyDBSubnetGroup` of an unknown group fails with an HTML 500 (a `KeyError` inside
//!   moto), which looks transient and is retried until the deadline (AWS:
//!   `DBSubnetGroupNotFoundFault`).
//! - A group in use by a cluster can be deleted (AWS: `InvalidDBSubnetGroupStateFault`).
//! - Describe, delete, tags and the not-found code behave like AWS.

use aws_sdk_rds::types::DbSubnetGroup;
use tokio_util::sync::CancellationToken;

use super::common::{missing_in_response, owned, owned_opt, same_id, single_attempt};
use super::tags::{Tags, to_sdk_tags};
use crate::classify::classify;
use crate::deadline::Deadline;
use crate::error::OperationError;
use crate::retry::retry;

/// A DB subnet group as AWS reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetGroup {
    /// Name (AWS lower-cases it).
    pub name: String,
    /// Description.
    pub description: String,
    /// ARN, used for tagging.
    pub arn: String,
    /// The VPC all subnets belong to.
    pub vpc_id: Option<String>,
    /// `Complete` when usable.
    pub status: Option<String>,
    /// The subnets, sorted by id.
    pub subnets: Vec<SubnetGroupSubnet>,
}

impl SubnetGroup {
    /// The subnet ids, sorted.
    pub fn subnet_ids(&self) -> Vec<String> {
        self.subnets.iter().map(|s| s.id.clone()).collect()
    }

    /// The distinct availability zones the subnets cover, sorted.
    pub fn availability_zones(&self) -> Vec<String> {
        let mut zones: Vec<String> = self
            .subnets
            .iter()
            .filter_map(|s| s.availability_zone.clone())
            .collect();
        zones.sort();
        zones.dedup();
        zones
    }
}

/// One subnet of a [`SubnetGroup`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetGroupSubnet {
    /// Subnet id, `subnet-…`.
    pub id: String,
    /// Its availability zone, e.g. `us-east-1a`.
    pub availability_zone: Option<String>,
    /// `Active` when usable.
    pub status: Option<String>,
}

/// What to create.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubnetGroupSpec {
    /// Name; AWS allows letters, digits, spaces, periods, underscores and hyphens (≤ 255).
    pub name: String,
    /// Description (required by AWS).
    pub description: String,
    /// Subnets; AWS requires at least two availability zones.
    pub subnet_ids: Vec<String>,
    /// Tags to create the group with.
    pub tags: Tags,
}

pub(crate) fn from_sdk(g: &DbSubnetGroup) -> SubnetGroup {
    let mut subnets: Vec<SubnetGroupSubnet> = g
        .subnets()
        .iter()
        .filter_map(|s| {
            Some(SubnetGroupSubnet {
                id: s.subnet_identifier()?.to_owned(),
                availability_zone: owned_opt(s.subnet_availability_zone().and_then(|z| z.name())),
                status: owned_opt(s.subnet_status()),
            })
        })
        .collect();
    subnets.sort_by(|a, b| a.id.cmp(&b.id));
    SubnetGroup {
        name: owned(g.db_subnet_group_name()),
        description: owned(g.db_subnet_group_description()),
        arn: owned(g.db_subnet_group_arn()),
        vpc_id: owned_opt(g.vpc_id()),
        status: owned_opt(g.subnet_group_status()),
        subnets,
    }
}

/// Creates a subnet group with its tags.
///
/// If an earlier attempt succeeded without us seeing the answer (timeout, then `AlreadyExists`
/// on retry), the existing group is returned.
pub async fn create_subnet_group(
    rds: &aws_sdk_rds::Client,
    spec: &SubnetGroupSpec,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<SubnetGroup, OperationError> {
    const OP: &str = "CreateDBSubnetGroup";
    let tags = to_sdk_tags(&spec.tags);
    let mut attempts = 0u32;
    let created = retry(OP, deadline, cancel, || {
        attempts += 1;
        let request = rds
            .create_db_subnet_group()
            .db_subnet_group_name(&spec.name)
            .db_subnet_group_description(&spec.description)
            .set_subnet_ids(Some(spec.subnet_ids.clone()))
            .set_tags((!tags.is_empty()).then(|| tags.clone()));
        async move {
            let out = request
                .customize()
                .config_override(single_attempt())
                .send()
                .await
                .map_err(|e| classify(OP, e))?;
            out.db_subnet_group()
                .map(from_sdk)
                .ok_or_else(|| missing_in_response(OP, "DB subnet group"))
        }
    })
    .await;
    match created {
        Err(err) if err.is_already_exists() && attempts > 1 => {
            find_subnet_group(rds, &spec.name, deadline, cancel)
                .await?
                .ok_or(err)
        }
        other => other,
    }
}

/// Looks a subnet group up by name; `Ok(None)` when it does not exist.
pub async fn find_subnet_group(
    rds: &aws_sdk_rds::Client,
    name: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Option<SubnetGroup>, OperationError> {
    const OP: &str = "DescribeDBSubnetGroups";
    let found = retry(OP, deadline, cancel, || {
        let request = rds.describe_db_subnet_groups().db_subnet_group_name(name);
        async move {
            let out = request.send().await.map_err(|e| classify(OP, e))?;
            Ok(out
                .db_subnet_groups()
                .iter()
                .map(from_sdk)
                .find(|g| same_id(&g.name, name)))
        }
    })
    .await;
    match found {
        Err(err) if err.is_not_found() => Ok(None),
        other => other,
    }
}

/// Replaces the subnets of a group (and its description, when given). A missing group ends with
/// an error for which `is_not_found()` holds.
pub async fn modify_subnet_group(
    rds: &aws_sdk_rds::Client,
    name: &str,
    subnet_ids: &[String],
    description: Option<&str>,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<SubnetGroup, OperationError> {
    const OP: &str = "ModifyDBSubnetGroup";
    retry(OP, deadline, cancel, || {
        let request = rds
            .modify_db_subnet_group()
            .db_subnet_group_name(name)
            .set_subnet_ids(Some(subnet_ids.to_vec()))
            .set_db_subnet_group_description(description.map(str::to_owned));
        async move {
            let out = request.send().await.map_err(|e| classify(OP, e))?;
            out.db_subnet_group()
                .map(from_sdk)
                .ok_or_else(|| missing_in_response(OP, "DB subnet group"))
        }
    })
    .await
}

/// Deletes a subnet group. Succeeds if it is already gone; a group still in use is retried
/// until the deadline.
pub async fn delete_subnet_group(
    rds: &aws_sdk_rds::Client,
    name: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    const OP: &str = "DeleteDBSubnetGroup";
    let deleted = retry(OP, deadline, cancel, || {
        let request = rds.delete_db_subnet_group().db_subnet_group_name(name);
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
    use aws_sdk_rds::types::{AvailabilityZone, Subnet};

    use super::*;

    fn subnet(id: &str, az: &str) -> Subnet {
        Subnet::builder()
            .subnet_identifier(id)
            .subnet_availability_zone(AvailabilityZone::builder().name(az).build())
            .subnet_status("Active")
            .build()
    }

    #[test]
    fn sdk_group_converts_with_sorted_subnets() {
        let g = DbSubnetGroup::builder()
            .db_subnet_group_name("orders")
            .db_subnet_group_description("orders db")
            .db_subnet_group_arn("arn:aws:rds:us-east-1:123456789012:subgrp:orders")
            .vpc_id("vpc-1")
            .subnet_group_status("Complete")
            .subnets(subnet("subnet-b", "us-east-1b"))
            .subnets(subnet("subnet-a", "us-east-1a"))
            .subnets(subnet("subnet-c", "us-east-1a"))
            .subnets(Subnet::builder().subnet_status("Active").build())
            .build();
        let got = from_sdk(&g);
        assert_eq!(got.name, "orders");
        assert_eq!(got.description, "orders db");
        assert_eq!(got.vpc_id.as_deref(), Some("vpc-1"));
        assert_eq!(got.status.as_deref(), Some("Complete"));
        assert_eq!(got.subnet_ids(), vec!["subnet-a", "subnet-b", "subnet-c"]);
        assert_eq!(got.availability_zones(), vec!["us-east-1a", "us-east-1b"]);
        assert_eq!(got.subnets[0].status.as_deref(), Some("Active"));
    }
}
