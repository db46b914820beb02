//! Inline and attached policies of a role.

use tokio_util::sync::CancellationToken;

use super::consistency::settling;
use super::decode::url_decode;
use crate::classify::classify;
use crate::deadline::Deadline;
use crate::error::OperationError;
use crate::retry::retry;

/// Creates or replaces the inline policy `policy_name` on `role`. A role IAM has not finished
/// creating is retried while that propagates.
pub async fn put_role_policy(
    iam: &aws_sdk_iam::Client,
    role: &str,
    policy_name: &str,
    document: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    const OP: &str = "PutRolePolicy";
    retry(
        OP,
        deadline,
        cancel,
        settling(|| {
            let request = iam
                .put_role_policy()
                .role_name(role)
                .policy_name(policy_name)
                .policy_document(document);
            async move {
                request
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| classify(OP, e))
            }
        }),
    )
    .await
}

/// The decoded document of inline policy `policy_name`; `Ok(None)` when the role or the policy
/// does not exist.
pub async fn find_role_policy(
    iam: &aws_sdk_iam::Client,
    role: &str,
    policy_name: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Option<String>, OperationError> {
    const OP: &str = "GetRolePolicy";
    let found = retry(OP, deadline, cancel, || {
        let request = iam
            .get_role_policy()
            .role_name(role)
            .policy_name(policy_name);
        async move {
            let out = request.send().await.map_err(|e| classify(OP, e))?;
            Ok(Some(url_decode(out.policy_document())))
        }
    })
    .await;
    match found {
        Err(err) if err.is_not_found() => Ok(None),
        other => other,
    }
}

/// Deletes inline policy `policy_name`; succeeds if it is already gone.
pub async fn delete_role_policy(
    iam: &aws_sdk_iam::Client,
    role: &str,
    policy_name: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    const OP: &str = "DeleteRolePolicy";
    let deleted = retry(OP, deadline, cancel, || {
        let request = iam
            .delete_role_policy()
            .role_name(role)
            .policy_name(policy_name);
        async move {
            request
                .send()
                .await
                .map(|_| ())
                .map_err(|e| classify(OP, e))
        }
    })
    .await;
    match deleted {
        Err(err) if err.is_not_found() => Ok(()),
        other => other,
    }
}

/// The names of every inline policy on `role`, sorted.
pub async fn list_role_policies(
    iam: &aws_sdk_iam::Client,
    role: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Vec<String>, OperationError> {
    const OP: &str = "ListRolePolicies";
    let mut names = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = retry(OP, deadline, cancel, || {
            let request = iam
                .list_role_policies()
                .role_name(role)
                .set_marker(marker.clone());
            async move { request.send().await.map_err(|e| classify(OP, e)) }
        })
        .await?;
        names.extend(page.policy_names().iter().cloned());
        match page.marker().filter(|_| page.is_truncated()) {
            Some(next) => marker = Some(next.to_owned()),
            None => break,
        }
    }
    names.sort();
    Ok(names)
}

/// The ARNs of every managed policy attached to `role`, sorted.
pub async fn list_attached_role_policies(
    iam: &aws_sdk_iam::Client,
    role: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Vec<String>, OperationError> {
    const OP: &str = "ListAttachedRolePolicies";
    let mut arns = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = retry(OP, deadline, cancel, || {
            let request = iam
                .list_attached_role_policies()
                .role_name(role)
                .set_marker(marker.clone());
            async move { request.send().await.map_err(|e| classify(OP, e)) }
        })
        .await?;
        arns.extend(
            page.attached_policies()
                .iter()
                .filter_map(|p| p.policy_arn().map(str::to_owned)),
        );
        match page.marker().filter(|_| page.is_truncated()) {
            Some(next) => marker = Some(next.to_owned()),
            None => break,
        }
    }
    arns.sort();
    Ok(arns)
}
