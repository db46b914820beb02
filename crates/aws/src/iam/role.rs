//! IAM roles: create, find, update in place, delete.
//!
//! Deleting a role requires it to be empty, so [`delete_role`] first deletes its inline
//! policies and detaches managed ones (someone else's attachment would otherwise block the
//! delete for good), then deletes the role. Not-found on delete is success, like the AWS
//! provider.

use std::collections::BTreeMap;

use aws_sdk_iam::types::Tag;
use tokio_util::sync::CancellationToken;

use super::consistency::settling;
use super::decode::url_decode;
use super::policy::{delete_role_policy, list_attached_role_policies, list_role_policies};
use crate::classify::classify;
use crate::deadline::Deadline;
use crate::error::{AwsError, ErrorClass, OperationError};
use crate::retry::retry;

/// An IAM role as AWS reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// Role name.
    pub name: String,
    /// Role ARN.
    pub arn: String,
    /// Stable unique id (`AROA…`).
    pub role_id: String,
    /// The trust policy, decoded JSON.
    pub trust_policy: String,
    /// The permissions boundary policy ARN.
    pub permissions_boundary_arn: Option<String>,
    /// Maximum session duration in seconds.
    pub max_session_duration: Option<i32>,
    /// Tags.
    pub tags: BTreeMap<String, String>,
}

/// What to create.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleSpec {
    /// Role name (≤ 64 characters of `[\w+=,.@-]`).
    pub name: String,
    /// Description shown in the console.
    pub description: Option<String>,
    /// The trust policy JSON.
    pub trust_policy: String,
    /// Permissions boundary policy ARN.
    pub permissions_boundary_arn: Option<String>,
    /// Maximum session duration in seconds (3600–43200).
    pub max_session_duration: Option<i32>,
    /// Tags.
    pub tags: BTreeMap<String, String>,
}

/// In-place changes to a role; `None` leaves a setting as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleChange {
    /// New trust policy JSON.
    pub trust_policy: Option<String>,
    /// `Some(Some(arn))` sets the boundary, `Some(None)` removes it.
    pub permissions_boundary_arn: Option<Option<String>>,
    /// New maximum session duration.
    pub max_session_duration: Option<i32>,
    /// Tags to set (overwriting values).
    pub add_tags: BTreeMap<String, String>,
    /// Tag keys to remove.
    pub remove_tags: Vec<String>,
}

fn sdk_tags(tags: &BTreeMap<String, String>) -> Result<Vec<Tag>, AwsError> {
    tags.iter()
        .map(|(k, v)| {
            Tag::builder().key(k).value(v).build().map_err(|e| {
                AwsError::new("TagRole", ErrorClass::Validation).with_message(e.to_string())
            })
        })
        .collect()
}

fn from_sdk(role: &aws_sdk_iam::types::Role) -> Role {
    Role {
        name: role.role_name().to_owned(),
        arn: role.arn().to_owned(),
        role_id: role.role_id().to_owned(),
        trust_policy: role
            .assume_role_policy_document()
            .map(url_decode)
            .unwrap_or_default(),
        permissions_boundary_arn: role
            .permissions_boundary()
            .and_then(|b| b.permissions_boundary_arn())
            .map(str::to_owned),
        max_session_duration: role.max_session_duration(),
        tags: role
            .tags()
            .iter()
            .map(|t| (t.key().to_owned(), t.value().to_owned()))
            .collect(),
    }
}

/// Creates a role. A trust policy naming a principal IAM has not finished creating is retried
/// while it propagates. If an earlier attempt succeeded unseen, the existing role is returned.
pub async fn create_role(
    iam: &aws_sdk_iam::Client,
    spec: &RoleSpec,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Role, OperationError> {
    const OP: &str = "CreateRole";
    let tags = sdk_tags(&spec.tags)?;
    let mut attempts = 0u32;
    let created = retry(
        OP,
        deadline,
        cancel,
        settling(|| {
            attempts += 1;
            let request = iam
                .create_role()
                .role_name(&spec.name)
                .assume_role_policy_document(&spec.trust_policy)
                .set_description(spec.description.clone())
                .set_permissions_boundary(spec.permissions_boundary_arn.clone())
                .set_max_session_duration(spec.max_session_duration)
                .set_tags((!tags.is_empty()).then(|| tags.clone()));
            async move {
                let out = request.send().await.map_err(|e| classify(OP, e))?;
                out.role().map(from_sdk).ok_or_else(|| {
                    AwsError::new(OP, ErrorClass::Other).with_message("the response has no role")
                })
            }
        }),
    )
    .await;
    match created {
        Err(err) if err.is_already_exists() && attempts > 1 => {
            find_role(iam, &spec.name, deadline, cancel)
                .await?
                .ok_or(err)
        }
        other => other,
    }
}

/// Looks a role up by name; `Ok(None)` when it does not exist.
pub async fn find_role(
    iam: &aws_sdk_iam::Client,
    name: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Option<Role>, OperationError> {
    const OP: &str = "GetRole";
    let found = retry(OP, deadline, cancel, || {
        let request = iam.get_role().role_name(name);
        async move {
            let out = request.send().await.map_err(|e| classify(OP, e))?;
            Ok(out.role().map(from_sdk))
        }
    })
    .await;
    match found {
        Err(err) if err.is_not_found() => Ok(None),
        other => other,
    }
}

/// Applies in-place changes, each with its own call. A role that does not exist yet to IAM
/// (just created) is retried while that propagates.
pub async fn update_role(
    iam: &aws_sdk_iam::Client,
    name: &str,
    change: &RoleChange,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    if let Some(policy) = &change.trust_policy {
        const OP: &str = "UpdateAssumeRolePolicy";
        retry(
            OP,
            deadline,
            cancel,
            settling(|| {
                let request = iam
                    .update_assume_role_policy()
                    .role_name(name)
                    .policy_document(policy);
                async move {
                    request
                        .send()
                        .await
                        .map(|_| ())
                        .map_err(|e| classify(OP, e))
                }
            }),
        )
        .await?;
    }
    match &change.permissions_boundary_arn {
        Some(Some(arn)) => {
            const OP: &str = "PutRolePermissionsBoundary";
            retry(
                OP,
                deadline,
                cancel,
                settling(|| {
                    let request = iam
                        .put_role_permissions_boundary()
                        .role_name(name)
                        .permissions_boundary(arn);
                    async move {
                        request
                            .send()
                            .await
                            .map(|_| ())
                            .map_err(|e| classify(OP, e))
                    }
                }),
            )
            .await?;
        }
        Some(None) => {
            const OP: &str = "DeleteRolePermissionsBoundary";
            retry(
                OP,
                deadline,
                cancel,
                settling(|| {
                    let request = iam.delete_role_permissions_boundary().role_name(name);
                    async move {
                        request
                            .send()
                            .await
                            .map(|_| ())
                            .map_err(|e| classify(OP, e))
                    }
                }),
            )
            .await?;
        }
        None => {}
    }
    if let Some(seconds) = change.max_session_duration {
        const OP: &str = "UpdateRole";
        retry(
            OP,
            deadline,
            cancel,
            settling(|| {
                let request = iam
                    .update_role()
                    .role_name(name)
                    .max_session_duration(seconds);
                async move {
                    request
                        .send()
                        .await
                        .map(|_| ())
                        .map_err(|e| classify(OP, e))
                }
            }),
        )
        .await?;
    }
    if !change.remove_tags.is_empty() {
        const OP: &str = "UntagRole";
        retry(
            OP,
            deadline,
            cancel,
            settling(|| {
                let request = iam
                    .untag_role()
                    .role_name(name)
                    .set_tag_keys(Some(change.remove_tags.clone()));
                async move {
                    request
                        .send()
                        .await
                        .map(|_| ())
                        .map_err(|e| classify(OP, e))
                }
            }),
        )
        .await?;
    }
    if !change.add_tags.is_empty() {
        const OP: &str = "TagRole";
        let tags = sdk_tags(&change.add_tags)?;
        retry(
            OP,
            deadline,
            cancel,
            settling(|| {
                let request = iam.tag_role().role_name(name).set_tags(Some(tags.clone()));
                async move {
                    request
                        .send()
                        .await
                        .map(|_| ())
                        .map_err(|e| classify(OP, e))
                }
            }),
        )
        .await?;
    }
    Ok(())
}

/// Empties and deletes a role: inline policies deleted, managed policies detached, then the
/// role. Succeeds if the role is already gone.
pub async fn delete_role(
    iam: &aws_sdk_iam::Client,
    name: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    let emptied = async {
        for policy in list_role_policies(iam, name, deadline, cancel).await? {
            delete_role_policy(iam, name, &policy, deadline, cancel).await?;
        }
        for arn in list_attached_role_policies(iam, name, deadline, cancel).await? {
            const OP: &str = "DetachRolePolicy";
            retry(OP, deadline, cancel, || {
                let request = iam.detach_role_policy().role_name(name).policy_arn(&arn);
                async move {
                    request
                        .send()
                        .await
                        .map(|_| ())
                        .map_err(|e| classify(OP, e))
                }
            })
            .await?;
        }
        const OP: &str = "DeleteRole";
        retry(OP, deadline, cancel, || {
            let request = iam.delete_role().role_name(name);
            async move {
                request
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| classify(OP, e))
            }
        })
        .await
    };
    match emptied.await {
        Err(err) if err.is_not_found() => Ok(()),
        other => other,
    }
}
