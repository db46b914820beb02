//! DB cluster parameter groups and DB (instance) parameter groups: create, find, delete.
//!
//! The two kinds have parallel but distinct APIs (`…DBClusterParameterGroup…` vs
//! `…DBParameterGroup…`); [`GroupKind`] selects one so callers write the logic once.
//!
//! AWS stores group names in lower case and matches them case-insensitively, so lookups here do
//! too. Not-found comes back as `DBParameterGroupNotFound` for both kinds (describe and delete);
//! the finder turns it into `Ok(None)` and delete treats it as success, like the AWS provider.

use aws_sdk_rds::types::{DbClusterParameterGroup, DbParameterGroup};
use tokio_util::sync::CancellationToken;

use super::common::single_attempt;
use super::tags::{Tags, to_sdk_tags};
use crate::classify::classify;
use crate::deadline::Deadline;
use crate::error::{AwsError, ErrorClass, OperationError};
use crate::retry::retry;

/// Which of the two parameter group APIs to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupKind {
    /// A DB cluster parameter group (Aurora cluster-level parameters).
    Cluster,
    /// A DB parameter group (instance-level parameters).
    Instance,
}

impl GroupKind {
    /// Human name, e.g. for messages: `DB cluster parameter group`.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Cluster => "DB cluster parameter group",
            Self::Instance => "DB parameter group",
        }
    }
}

/// A parameter group as AWS reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterGroup {
    /// Cluster or instance group.
    pub kind: GroupKind,
    /// Name (AWS lower-cases it).
    pub name: String,
    /// Parameter group family, e.g. `aurora-postgresql16`.
    pub family: String,
    /// Description.
    pub description: String,
    /// ARN, used for tagging.
    pub arn: String,
}

/// What to create.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParameterGroupSpec {
    /// Name; AWS requires 1-255 letters, digits and hyphens, starting with a letter.
    pub name: String,
    /// Family, e.g. `aurora-postgresql16` or `aurora-mysql8.0`.
    pub family: String,
    /// Description (required by AWS, cannot be changed later).
    pub description: String,
    /// Tags to create the group with.
    pub tags: Tags,
}

fn from_cluster(g: &DbClusterParameterGroup) -> ParameterGroup {
    ParameterGroup {
        kind: GroupKind::Cluster,
        name: g
            .db_cluster_parameter_group_name()
            .unwrap_or_default()
            .to_owned(),
        family: g.db_parameter_group_family().unwrap_or_default().to_owned(),
        description: g.description().unwrap_or_default().to_owned(),
        arn: g
            .db_cluster_parameter_group_arn()
            .unwrap_or_default()
            .to_owned(),
    }
}

fn from_instance(g: &DbParameterGroup) -> ParameterGroup {
    ParameterGroup {
        kind: GroupKind::Instance,
        name: g.db_parameter_group_name().unwrap_or_default().to_owned(),
        family: g.db_parameter_group_family().unwrap_or_default().to_owned(),
        description: g.description().unwrap_or_default().to_owned(),
        arn: g.db_parameter_group_arn().unwrap_or_default().to_owned(),
    }
}

fn missing_in_response(operation: &'static str) -> AwsError {
    AwsError::new(operation, ErrorClass::Other)
        .with_message("the response contains no parameter group")
}

/// Creates a parameter group with its tags.
///
/// If an earlier attempt succeeded without us seeing the answer (timeout, then
/// `AlreadyExists` on retry), the existing group is returned when its family matches.
pub async fn create_parameter_group(
    rds: &aws_sdk_rds::Client,
    kind: GroupKind,
    spec: &ParameterGroupSpec,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<ParameterGroup, OperationError> {
    let tags = to_sdk_tags(&spec.tags);
    let mut attempts = 0u32;
    let created = match kind {
        GroupKind::Cluster => {
            const OP: &str = "CreateDBClusterParameterGroup";
            retry(OP, deadline, cancel, || {
                attempts += 1;
                let request = rds
                    .create_db_cluster_parameter_group()
                    .db_cluster_parameter_group_name(&spec.name)
                    .db_parameter_group_family(&spec.family)
                    .description(&spec.description)
                    .set_tags((!tags.is_empty()).then(|| tags.clone()));
                async move {
                    let out = request
                        .customize()
                        .config_override(single_attempt())
                        .send()
                        .await
                        .map_err(|e| classify(OP, e))?;
                    out.db_cluster_parameter_group()
                        .map(from_cluster)
                        .ok_or_else(|| missing_in_response(OP))
                }
            })
            .await
        }
        GroupKind::Instance => {
            const OP: &str = "CreateDBParameterGroup";
            retry(OP, deadline, cancel, || {
                attempts += 1;
                let request = rds
                    .create_db_parameter_group()
                    .db_parameter_group_name(&spec.name)
                    .db_parameter_group_family(&spec.family)
                    .description(&spec.description)
                    .set_tags((!tags.is_empty()).then(|| tags.clone()));
                async move {
                    let out = request
                        .customize()
                        .config_override(single_attempt())
                        .send()
                        .await
                        .map_err(|e| classify(OP, e))?;
                    out.db_parameter_group()
                        .map(from_instance)
                        .ok_or_else(|| missing_in_response(OP))
                }
            })
            .await
        }
    };
    match created {
        Err(err) if err.is_already_exists() && attempts > 1 => {
            match find_parameter_group(rds, kind, &spec.name, deadline, cancel).await? {
                Some(group) if group.family == spec.family => Ok(group),
                _ => Err(err),
            }
        }
        other => other,
    }
}

/// Looks a parameter group up by name; `Ok(None)` when it does not exist.
pub async fn find_parameter_group(
    rds: &aws_sdk_rds::Client,
    kind: GroupKind,
    name: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Option<ParameterGroup>, OperationError> {
    let found = match kind {
        GroupKind::Cluster => {
            const OP: &str = "DescribeDBClusterParameterGroups";
            retry(OP, deadline, cancel, || {
                let request = rds
                    .describe_db_cluster_parameter_groups()
                    .db_cluster_parameter_group_name(name);
                async move {
                    let out = request.send().await.map_err(|e| classify(OP, e))?;
                    Ok(out
                        .db_cluster_parameter_groups()
                        .iter()
                        .map(from_cluster)
                        .find(|g| g.name.eq_ignore_ascii_case(name)))
                }
            })
            .await
        }
        GroupKind::Instance => {
            const OP: &str = "DescribeDBParameterGroups";
            retry(OP, deadline, cancel, || {
                let request = rds
                    .describe_db_parameter_groups()
                    .db_parameter_group_name(name);
                async move {
                    let out = request.send().await.map_err(|e| classify(OP, e))?;
                    Ok(out
                        .db_parameter_groups()
                        .iter()
                        .map(from_instance)
                        .find(|g| g.name.eq_ignore_ascii_case(name)))
                }
            })
            .await
        }
    };
    match found {
        Err(err) if err.is_not_found() => Ok(None),
        other => other,
    }
}

/// Deletes a parameter group. Succeeds if it is already gone.
///
/// A group still attached to a cluster or instance is `Busy`
/// (`InvalidDBParameterGroupState`) and retried until the deadline: detaching usually
/// completes within the same apply.
pub async fn delete_parameter_group(
    rds: &aws_sdk_rds::Client,
    kind: GroupKind,
    name: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    let deleted = match kind {
        GroupKind::Cluster => {
            const OP: &str = "DeleteDBClusterParameterGroup";
            retry(OP, deadline, cancel, || {
                let request = rds
                    .delete_db_cluster_parameter_group()
                    .db_cluster_parameter_group_name(name);
                async move {
                    request.send().await.map_err(|e| classify(OP, e))?;
                    Ok(())
                }
            })
            .await
        }
        GroupKind::Instance => {
            const OP: &str = "DeleteDBParameterGroup";
            retry(OP, deadline, cancel, || {
                let request = rds
                    .delete_db_parameter_group()
                    .db_parameter_group_name(name);
                async move {
                    request.send().await.map_err(|e| classify(OP, e))?;
                    Ok(())
                }
            })
            .await
        }
    };
    match deleted {
        Err(err) if err.is_not_found() => Ok(()),
        other => other,
    }
}
