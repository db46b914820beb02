//! Backup plans: one or more rules, each a schedule, a retention, optionally continuous backup
//! (point-in-time restore for up to 35 days) and copies to other vaults.
//!
//! Plans are addressed by id; [`find_plan_by_name`] lists plans to find one by its name, which is
//! how a policy is imported. A plan AWS reports with a `DeletionDate` counts as gone.

use aws_sdk_backup::types::{BackupPlanInput, BackupRule, BackupRuleInput, CopyAction, Lifecycle};
use tokio_util::sync::CancellationToken;

use super::common::{build_error, days, missing, to_days};
use crate::classify::classify;
use crate::deadline::Deadline;
use crate::error::{AwsError, OperationError};
use crate::retry::retry;

/// A copy of each recovery point to another vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyRule {
    /// The destination vault's ARN (another region or another account).
    pub destination_vault_arn: String,
    /// Days the copy is kept; `None` keeps it as long as the source.
    pub retention_days: Option<u32>,
}

/// One rule of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRule {
    /// Rule name.
    pub name: String,
    /// The vault recovery points go to.
    pub vault_name: String,
    /// A cron or rate expression, `cron(0 5 ? * * *)`.
    pub schedule: Option<String>,
    /// Days recovery points are kept.
    pub retention_days: Option<u32>,
    /// Continuous backup (point-in-time restore).
    pub continuous: bool,
    /// Copies.
    pub copies: Vec<CopyRule>,
}

/// What to create or update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanSpec {
    /// Plan name.
    pub name: String,
    /// Rules.
    pub rules: Vec<PlanRule>,
}

/// A plan as AWS reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Plan id.
    pub id: String,
    /// ARN.
    pub arn: String,
    /// Version id; changes with every update.
    pub version_id: String,
    /// Name.
    pub name: String,
    /// Rules.
    pub rules: Vec<PlanRule>,
}

fn lifecycle(retention_days: Option<u32>) -> Option<Lifecycle> {
    retention_days.map(|d| Lifecycle::builder().delete_after_days(days(d)).build())
}

fn to_input(operation: &'static str, spec: &PlanSpec) -> Result<BackupPlanInput, AwsError> {
    let mut plan = BackupPlanInput::builder().backup_plan_name(&spec.name);
    for rule in &spec.rules {
        let mut input = BackupRuleInput::builder()
            .rule_name(&rule.name)
            .target_backup_vault_name(&rule.vault_name)
            .set_schedule_expression(rule.schedule.clone())
            .set_lifecycle(lifecycle(rule.retention_days))
            .enable_continuous_backup(rule.continuous);
        for copy in &rule.copies {
            input = input.copy_actions(
                CopyAction::builder()
                    .destination_backup_vault_arn(&copy.destination_vault_arn)
                    .set_lifecycle(lifecycle(copy.retention_days))
                    .build()
                    .map_err(|e| build_error(operation, e))?,
            );
        }
        plan = plan.rules(input.build().map_err(|e| build_error(operation, e))?);
    }
    plan.build().map_err(|e| build_error(operation, e))
}

fn from_rule(rule: &BackupRule) -> PlanRule {
    PlanRule {
        name: rule.rule_name().to_owned(),
        vault_name: rule.target_backup_vault_name().to_owned(),
        schedule: rule.schedule_expression().map(str::to_owned),
        retention_days: to_days(rule.lifecycle().and_then(Lifecycle::delete_after_days)),
        continuous: rule.enable_continuous_backup().unwrap_or(false),
        copies: rule
            .copy_actions()
            .iter()
            .map(|c| CopyRule {
                destination_vault_arn: c.destination_backup_vault_arn().to_owned(),
                retention_days: to_days(c.lifecycle().and_then(Lifecycle::delete_after_days)),
            })
            .collect(),
    }
}

/// Creates a plan and returns it as AWS then reports it.
pub async fn create_plan(
    backup: &aws_sdk_backup::Client,
    spec: &PlanSpec,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Plan, OperationError> {
    const OP: &str = "CreateBackupPlan";
    let input = to_input(OP, spec)?;
    let mut attempts = 0u32;
    let created = retry(OP, deadline, cancel, || {
        attempts += 1;
        let request = backup.create_backup_plan().backup_plan(input.clone());
        async move {
            let out = request.send().await.map_err(|e| classify(OP, e))?;
            out.backup_plan_id()
                .map(str::to_owned)
                .ok_or_else(|| missing(OP, "plan id"))
        }
    })
    .await;
    let id = match created {
        Ok(id) => id,
        Err(err) if err.is_already_exists() && attempts > 1 => {
            match find_plan_by_name(backup, &spec.name, deadline, cancel).await? {
                Some(plan) => return Ok(plan),
                None => return Err(err),
            }
        }
        Err(err) => return Err(err),
    };
    find_plan(backup, &id, deadline, cancel)
        .await?
        .ok_or_else(|| OperationError::Aws(missing("GetBackupPlan", "plan just created")))
}

/// Replaces a plan's rules; a missing plan ends with an error for which `is_not_found()` holds.
pub async fn update_plan(
    backup: &aws_sdk_backup::Client,
    id: &str,
    spec: &PlanSpec,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Plan, OperationError> {
    const OP: &str = "UpdateBackupPlan";
    let input = to_input(OP, spec)?;
    retry(OP, deadline, cancel, || {
        let request = backup
            .update_backup_plan()
            .backup_plan_id(id)
            .backup_plan(input.clone());
        async move {
            request.send().await.map_err(|e| classify(OP, e))?;
            Ok(())
        }
    })
    .await?;
    find_plan(backup, id, deadline, cancel)
        .await?
        .ok_or_else(|| OperationError::Aws(missing("GetBackupPlan", "plan just updated")))
}

/// Looks a plan up by id; `Ok(None)` when it does not exist or was deleted.
pub async fn find_plan(
    backup: &aws_sdk_backup::Client,
    id: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Option<Plan>, OperationError> {
    const OP: &str = "GetBackupPlan";
    let found = retry(OP, deadline, cancel, || {
        let request = backup.get_backup_plan().backup_plan_id(id);
        async move {
            let out = request.send().await.map_err(|e| classify(OP, e))?;
            if out.deletion_date().is_some() {
                return Ok(None);
            }
            let document = out
                .backup_plan()
                .ok_or_else(|| missing(OP, "plan document"))?;
            Ok(Some(Plan {
                id: out.backup_plan_id().unwrap_or(id).to_owned(),
                arn: out.backup_plan_arn().unwrap_or_default().to_owned(),
                version_id: out.version_id().unwrap_or_default().to_owned(),
                name: document.backup_plan_name().to_owned(),
                rules: document.rules().iter().map(from_rule).collect(),
            }))
        }
    })
    .await;
    match found {
        Err(err) if err.is_not_found() => Ok(None),
        other => other,
    }
}

/// Looks a live plan up by name (for import); `Ok(None)` when there is none.
pub async fn find_plan_by_name(
    backup: &aws_sdk_backup::Client,
    name: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Option<Plan>, OperationError> {
    const OP: &str = "ListBackupPlans";
    let mut token: Option<String> = None;
    loop {
        let page = retry(OP, deadline, cancel, || {
            let request = backup.list_backup_plans().set_next_token(token.clone());
            async move { request.send().await.map_err(|e| classify(OP, e)) }
        })
        .await?;
        let hit = page
            .backup_plans_list()
            .iter()
            .find(|p| p.deletion_date().is_none() && p.backup_plan_name() == Some(name));
        if let Some(id) = hit.and_then(|p| p.backup_plan_id()) {
            return find_plan(backup, id, deadline, cancel).await;
        }
        match page.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_owned()),
            _ => return Ok(None),
        }
    }
}

/// Deletes a plan; a missing plan is success. A plan that still has selections is an
/// `InvalidRequestException`: delete its selections first.
pub async fn delete_plan(
    backup: &aws_sdk_backup::Client,
    id: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    const OP: &str = "DeleteBackupPlan";
    let deleted = retry(OP, deadline, cancel, || {
        let request = backup.delete_backup_plan().backup_plan_id(id);
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
