//! Recovery points of a resource: the evidence that backups actually happen.

use aws_sdk_backup::types::Lifecycle;
use tokio_util::sync::CancellationToken;

use super::common::{days, epoch, missing};
use crate::classify::classify;
use crate::deadline::Deadline;
use crate::error::OperationError;
use crate::retry::retry;

/// One recovery point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryPoint {
    /// ARN.
    pub arn: String,
    /// The vault holding it.
    pub vault_name: Option<String>,
    /// When it was created (epoch seconds).
    pub created: Option<i64>,
    /// `COMPLETED`, `PARTIAL`, `DELETING`, `EXPIRED`, ...
    pub status: Option<String>,
}

/// The recovery points of a resource, newest first.
pub async fn list_recovery_points(
    backup: &aws_sdk_backup::Client,
    resource_arn: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Vec<RecoveryPoint>, OperationError> {
    const OP: &str = "ListRecoveryPointsByResource";
    let mut token: Option<String> = None;
    let mut all = Vec::new();
    loop {
        let page = retry(OP, deadline, cancel, || {
            let request = backup
                .list_recovery_points_by_resource()
                .resource_arn(resource_arn)
                .set_next_token(token.clone());
            async move { request.send().await.map_err(|e| classify(OP, e)) }
        })
        .await?;
        all.extend(page.recovery_points().iter().map(|p| RecoveryPoint {
            arn: p.recovery_point_arn().unwrap_or_default().to_owned(),
            vault_name: p.backup_vault_name().map(str::to_owned),
            created: epoch(p.creation_date()),
            status: p.status().map(|s| s.as_str().to_owned()),
        }));
        match page.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_owned()),
            _ => break,
        }
    }
    all.sort_by_key(|p| std::cmp::Reverse(p.created));
    Ok(all)
}

/// Starts an on-demand backup job of a resource into a vault; returns the recovery point ARN.
pub async fn start_backup_job(
    backup: &aws_sdk_backup::Client,
    vault_name: &str,
    resource_arn: &str,
    iam_role_arn: &str,
    retention_days: Option<u32>,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<String, OperationError> {
    const OP: &str = "StartBackupJob";
    retry(OP, deadline, cancel, || {
        let request = backup
            .start_backup_job()
            .backup_vault_name(vault_name)
            .resource_arn(resource_arn)
            .iam_role_arn(iam_role_arn)
            .set_lifecycle(
                retention_days.map(|d| Lifecycle::builder().delete_after_days(days(d)).build()),
            );
        async move {
            let out = request.send().await.map_err(|e| classify(OP, e))?;
            out.recovery_point_arn()
                .map(str::to_owned)
                .ok_or_else(|| missing(OP, "recovery point ARN"))
        }
    })
    .await
}
