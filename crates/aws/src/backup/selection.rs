//! Backup selections: which resources a plan backs up.
//!
//! dbrail selects by tag (`ListOfTags`, `STRINGEQUALS`), so a cluster opts in by carrying
//! `dbrail:backup-policy = <name>` and no selection has to change when clusters come and go.

use aws_sdk_backup::types::{BackupSelection, Condition, ConditionType};
use tokio_util::sync::CancellationToken;

use super::common::{build_error, missing};
use crate::classify::classify;
use crate::deadline::Deadline;
use crate::error::{AwsError, OperationError};
use crate::retry::retry;

/// A tag a resource must carry (`STRINGEQUALS`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagCondition {
    /// Tag key.
    pub key: String,
    /// Tag value.
    pub value: String,
}

/// What to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectionSpec {
    /// 1–50 letters, digits, `-`, `_`, `.`.
    pub name: String,
    /// The role AWS Backup assumes to back the resources up.
    pub iam_role_arn: String,
    /// Resources carrying any of these tags are selected.
    pub tags: Vec<TagCondition>,
    /// Resources selected by ARN.
    pub resources: Vec<String>,
}

/// A selection as AWS reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Selection id.
    pub id: String,
    /// The plan it belongs to.
    pub plan_id: String,
    /// Name.
    pub name: String,
    /// The role AWS Backup assumes.
    pub iam_role_arn: String,
    /// Tag conditions.
    pub tags: Vec<TagCondition>,
    /// Resources by ARN.
    pub resources: Vec<String>,
}

fn to_sdk(operation: &'static str, spec: &SelectionSpec) -> Result<BackupSelection, AwsError> {
    let mut selection = BackupSelection::builder()
        .selection_name(&spec.name)
        .iam_role_arn(&spec.iam_role_arn)
        .set_resources((!spec.resources.is_empty()).then(|| spec.resources.clone()));
    for tag in &spec.tags {
        selection = selection.list_of_tags(
            Condition::builder()
                .condition_type(ConditionType::Stringequals)
                .condition_key(&tag.key)
                .condition_value(&tag.value)
                .build()
                .map_err(|e| build_error(operation, e))?,
        );
    }
    selection.build().map_err(|e| build_error(operation, e))
}

/// Creates a selection in a plan; returns its id.
pub async fn create_selection(
    backup: &aws_sdk_backup::Client,
    plan_id: &str,
    spec: &SelectionSpec,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<String, OperationError> {
    const OP: &str = "CreateBackupSelection";
    let selection = to_sdk(OP, spec)?;
    let mut attempts = 0u32;
    let created = retry(OP, deadline, cancel, || {
        attempts += 1;
        let request = backup
            .create_backup_selection()
            .backup_plan_id(plan_id)
            .backup_selection(selection.clone());
        async move {
            let out = request.send().await.map_err(|e| classify(OP, e))?;
            out.selection_id()
                .map(str::to_owned)
                .ok_or_else(|| missing(OP, "selection id"))
        }
    })
    .await;
    match created {
        Err(err) if err.is_already_exists() && attempts > 1 => {
            let existing = list_selections(backup, plan_id, deadline, cancel).await?;
            existing
                .into_iter()
                .find(|s| s.name == spec.name)
                .map(|s| s.id)
                .ok_or(err)
        }
        other => other,
    }
}

/// Looks a selection up; `Ok(None)` when it (or its plan) does not exist.
pub async fn find_selection(
    backup: &aws_sdk_backup::Client,
    plan_id: &str,
    selection_id: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Option<Selection>, OperationError> {
    const OP: &str = "GetBackupSelection";
    let found = retry(OP, deadline, cancel, || {
        let request = backup
            .get_backup_selection()
            .backup_plan_id(plan_id)
            .selection_id(selection_id);
        async move {
            let out = request.send().await.map_err(|e| classify(OP, e))?;
            let selection = out
                .backup_selection()
                .ok_or_else(|| missing(OP, "selection"))?;
            Ok(Selection {
                id: out.selection_id().unwrap_or(selection_id).to_owned(),
                plan_id: out.backup_plan_id().unwrap_or(plan_id).to_owned(),
                name: selection.selection_name().to_owned(),
                iam_role_arn: selection.iam_role_arn().to_owned(),
                tags: selection
                    .list_of_tags()
                    .iter()
                    .map(|c| TagCondition {
                        key: c.condition_key().to_owned(),
                        value: c.condition_value().to_owned(),
                    })
                    .collect(),
                resources: selection.resources().to_vec(),
            })
        }
    })
    .await;
    match found {
        Ok(selection) => Ok(Some(selection)),
        Err(err) if err.is_not_found() => Ok(None),
        Err(err) => Err(err),
    }
}

/// The selections of a plan (id, name and role; tags are read with [`find_selection`]).
pub async fn list_selections(
    backup: &aws_sdk_backup::Client,
    plan_id: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Vec<Selection>, OperationError> {
    const OP: &str = "ListBackupSelections";
    let mut token: Option<String> = None;
    let mut all = Vec::new();
    loop {
        let page = retry(OP, deadline, cancel, || {
            let request = backup
                .list_backup_selections()
                .backup_plan_id(plan_id)
                .set_next_token(token.clone());
            async move { request.send().await.map_err(|e| classify(OP, e)) }
        })
        .await;
        let page = match page {
            Err(err) if err.is_not_found() => return Ok(all),
            other => other?,
        };
        all.extend(page.backup_selections_list().iter().map(|s| Selection {
            id: s.selection_id().unwrap_or_default().to_owned(),
            plan_id: plan_id.to_owned(),
            name: s.selection_name().unwrap_or_default().to_owned(),
            iam_role_arn: s.iam_role_arn().unwrap_or_default().to_owned(),
            tags: Vec::new(),
            resources: Vec::new(),
        }));
        match page.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_owned()),
            _ => return Ok(all),
        }
    }
}

/// Deletes a selection; a missing one is success.
pub async fn delete_selection(
    backup: &aws_sdk_backup::Client,
    plan_id: &str,
    selection_id: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<(), OperationError> {
    const OP: &str = "DeleteBackupSelection";
    let deleted = retry(OP, deadline, cancel, || {
        let request = backup
            .delete_backup_selection()
            .backup_plan_id(plan_id)
            .selection_id(selection_id);
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
