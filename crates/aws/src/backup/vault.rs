//! Backup vaults and their vault lock.
//!
//! A vault lock has no explicit mode in the API: a lock put *with* `ChangeableForDays` becomes
//! immutable (compliance mode) once that many days pass — AWS requires at least 3 — and one put
//! without it stays changeable by anyone with the IAM permission (governance mode).
//! [`Vault::lock_date`] is set only for the former, which is how [`Vault::compliance`] tells
//! them apart.

use std::collections::HashMap;

use aws_sdk_backup::operation::describe_backup_vault::DescribeBackupVaultOutput;
use tokio_util::sync::CancellationToken;

use super::common::{days, epoch, to_days};
use crate::classify::classify;
use crate::deadline::Deadline;
use crate::error::OperationError;
use crate::retry::retry;

/// A backup vault as AWS reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vault {
    /// Name.
    pub name: String,
    /// ARN.
    pub arn: String,
    /// The KMS key encrypting recovery points.
    pub kms_key_arn: Option<String>,
    /// Whether a vault lock is configured.
    pub locked: bool,
    /// The lock's minimum retention.
    pub min_retention_days: Option<u32>,
    /// The lock's maximum retention.
    pub max_retention_days: Option<u32>,
    /// When a compliance-mode lock becomes immutable (epoch seconds); `None` in governance mode.
    pub lock_date: Option<i64>,
    /// Recovery points in the vault.
    pub recovery_points: i64,
}

impl Vault {
    /// Whether the lock is in compliance mode (it has, or had, a cooling-off period).
    pub fn compliance(&self) -> bool {
        self.locked && self.lock_date.is_some()
    }
}

/// What to create.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VaultSpec {
    /// Name: 2–50 letters, digits and hyphens.
    pub name: String,
    /// A customer-managed KMS key; `None` uses the AWS-managed `aws/backup` key.
    pub kms_key_arn: Option<String>,
    /// Tags.
    pub tags: HashMap<String, String>,
}

/// A vault lock to put.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VaultLockSpec {
    /// Shortest retention allowed.
    pub min_retention_days: Option<u32>,
    /// Longest retention allowed.
    pub max_retention_days: Option<u32>,
    /// Days until the lock becomes immutable (compliance mode); `None` for governance mode.
    pub changeable_for_days: Option<u32>,
}

fn from_describe(out: &DescribeBackupVaultOutput) -> Vault {
    Vault {
        name: out.backup_vault_name().unwrap_or_default().to_owned(),
        arn: out.backup_vault_arn().unwrap_or_default().to_owned(),
        kms_key_arn: out.encryption_key_arn().map(str::to_owned),
        locked: out.locked().unwrap_or(false),
        min_retention_days: to_days(out.min_retention_days()),
        max_retention_days: to_days(out.max_retention_days()),
        lock_date: epoch(out.lock_date()),
        recovery_points: out.number_of_recovery_points(),
    }
}

/// Creates a vault and returns it as AWS then reports it. A vault that already exists from an
/// earlier attempt whose answer was lost is adopted.
pub async fn create_vault(
    backup: &aws_sdk_backup::Client,
    spec: &VaultSpec,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Vault, OperationError> {
    const OP: &str = "CreateBackupVault";
    let mut attempts = 0u32;
    let created = retry(OP, deadline, cancel, || {
        attempts += 1;
        let request = backup
            .create_backup_vault()
            .backup_vault_name(&spec.name)
            .set_encryption_key_arn(spec.kms_key_arn.clone())
            .set_backup_vault_tags((!spec.tags.is_empty()).then(|| spec.tags.clone()));
        async move {
            request.send().await.map_err(|e| classify(OP, e))?;
            Ok(())
        }
    })
    .await;
    match created {
        Err(err) if !(err.is_already_exists() && attempts > 1) => return Err(err),
        _ => {}
    }
    find_vault(backup, &spec.name, deadline, cancel)
        .await?
        .ok_or_else(|| {
            OperationError::Aws(super::common::missing(
                "DescribeBackupVault",
                "vault just created",
            ))
        })
}

/// Looks a vault up by name; `Ok(None)` when it does not exist.
pub async fn find_vault(
    backup: &aws_sdk_backup::Client,
    name: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Option<Vault>, OperationError> {
    const OP: &str = "DescribeBackupVault";
    let found = retry(OP, deadline, cancel, || {
        let request = backup.describe_backup_vault().backup_vault_name(name);
        async move {
            let out = request.send().await.map_err(|e| classify(OP, e))?;
            Ok(from_describe(&out))
        }
    })
    .await;
    match found {
        Ok(vault) => Ok(Some(vault)),
        Err(err) if err.is_not_found() => Ok(None),
        Err(err) => Err(err),
    }
}

/// Deletes a vault; a missing vault is success. A vault that still holds recovery points is an
/// `InvalidRequestException` (AWS deletes only empty vaults).
pub async fn delete_vault(
    backup: &aws_sdk_backup::Client,
    name: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    const OP: &str = "DeleteBackupVault";
    let deleted = retry(OP, deadline, cancel, || {
        let request = backup.delete_backup_vault().backup_vault_name(name);
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

/// Puts (creates or changes) the vault lock.
pub async fn put_vault_lock(
    backup: &aws_sdk_backup::Client,
    name: &str,
    lock: VaultLockSpec,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    const OP: &str = "PutBackupVaultLockConfiguration";
    retry(OP, deadline, cancel, || {
        let request = backup
            .put_backup_vault_lock_configuration()
            .backup_vault_name(name)
            .set_min_retention_days(lock.min_retention_days.map(days))
            .set_max_retention_days(lock.max_retention_days.map(days))
            .set_changeable_for_days(lock.changeable_for_days.map(days));
        async move {
            request.send().await.map_err(|e| classify(OP, e))?;
            Ok(())
        }
    })
    .await
}

/// Removes the vault lock. After a compliance lock's cooling-off AWS refuses
/// (`InvalidRequestException`), which is the point of the lock.
pub async fn delete_vault_lock(
    backup: &aws_sdk_backup::Client,
    name: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    const OP: &str = "DeleteBackupVaultLockConfiguration";
    let deleted = retry(OP, deadline, cancel, || {
        let request = backup
            .delete_backup_vault_lock_configuration()
            .backup_vault_name(name);
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

/// The tags of a Backup resource (vault or plan) by ARN.
pub async fn list_tags(
    backup: &aws_sdk_backup::Client,
    arn: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<HashMap<String, String>, OperationError> {
    const OP: &str = "ListTags";
    let mut token: Option<String> = None;
    let mut all = HashMap::new();
    loop {
        let page = retry(OP, deadline, cancel, || {
            let request = backup
                .list_tags()
                .resource_arn(arn)
                .set_next_token(token.clone());
            async move { request.send().await.map_err(|e| classify(OP, e)) }
        })
        .await?;
        all.extend(page.tags().cloned().unwrap_or_default());
        match page.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_owned()),
            _ => return Ok(all),
        }
    }
}
