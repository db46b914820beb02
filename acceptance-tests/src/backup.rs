//! The test's own view of AWS Backup in the emulator, through the real AWS SDK.
//!
//! Like [`EmulatorRds`](crate::EmulatorRds) it shares no code with the provider, so what the
//! assertions read is what the emulator holds, not what the provider believes. It can also start
//! a backup job and delete recovery points: AWS Backup's own scheduler does not run in the
//! emulator, so tests make the recovery points a schedule would.

use std::collections::BTreeMap;
use std::future::Future;

use aws_sdk_backup::Client;
use aws_sdk_backup::error::ProvideErrorMetadata;
use aws_sdk_backup::types::Lifecycle;

use crate::sdk::{self, aws_error};
use crate::{Emulator, HarnessError};

/// A vault as the emulator reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultView {
    /// ARN.
    pub arn: String,
    /// KMS key.
    pub kms_key_arn: Option<String>,
    /// Whether a vault lock is configured.
    pub locked: bool,
    /// Lock minimum.
    pub min_retention_days: Option<i64>,
    /// Lock maximum.
    pub max_retention_days: Option<i64>,
    /// Whether the lock has a lock date (compliance mode).
    pub compliance: bool,
}

/// A live backup plan's first rule as the emulator reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanView {
    /// Plan id.
    pub id: String,
    /// Retention of the rule (`DeleteAfterDays`).
    pub retention_days: Option<i64>,
    /// Continuous backup.
    pub continuous: bool,
    /// Copy destinations with their retention.
    pub copies: Vec<(String, Option<i64>)>,
}

/// A synchronous AWS Backup client for the emulator.
pub struct EmulatorBackup {
    runtime: tokio::runtime::Runtime,
    client: Client,
}

impl EmulatorBackup {
    /// A client for `emulator`.
    pub fn connect(emulator: &Emulator) -> Result<Self, HarnessError> {
        Ok(Self {
            runtime: sdk::runtime()?,
            client: sdk::emulator_client!(aws_sdk_backup, emulator.endpoint()),
        })
    }

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// The vault `name`, if it exists.
    pub fn vault(&self, name: &str) -> Result<Option<VaultView>, HarnessError> {
        let result = self.block_on(
            self.client
                .describe_backup_vault()
                .backup_vault_name(name)
                .send(),
        );
        match result {
            Ok(out) => Ok(Some(VaultView {
                arn: out.backup_vault_arn().unwrap_or_default().to_owned(),
                kms_key_arn: out.encryption_key_arn().map(str::to_owned),
                locked: out.locked().unwrap_or(false),
                min_retention_days: out.min_retention_days(),
                max_retention_days: out.max_retention_days(),
                compliance: out.lock_date().is_some(),
            })),
            Err(e) if e.code() == Some("ResourceNotFoundException") => Ok(None),
            Err(e) => Err(aws_error(format!("DescribeBackupVault({name})"), &e)),
        }
    }

    /// The live (not deleted) plan named `name`, if any.
    pub fn plan(&self, name: &str) -> Result<Option<PlanView>, HarnessError> {
        let list = self
            .block_on(self.client.list_backup_plans().send())
            .map_err(|e| aws_error("ListBackupPlans".into(), &e))?;
        let Some(id) = list
            .backup_plans_list()
            .iter()
            .find(|p| p.deletion_date().is_none() && p.backup_plan_name() == Some(name))
            .and_then(|p| p.backup_plan_id())
        else {
            return Ok(None);
        };
        let out = self
            .block_on(self.client.get_backup_plan().backup_plan_id(id).send())
            .map_err(|e| aws_error(format!("GetBackupPlan({id})"), &e))?;
        let rule = out.backup_plan().and_then(|p| p.rules().first());
        Ok(Some(PlanView {
            id: id.to_owned(),
            retention_days: rule
                .and_then(|r| r.lifecycle())
                .and_then(Lifecycle::delete_after_days),
            continuous: rule
                .and_then(|r| r.enable_continuous_backup())
                .unwrap_or(false),
            copies: rule
                .map(|r| {
                    r.copy_actions()
                        .iter()
                        .map(|c| {
                            (
                                c.destination_backup_vault_arn().to_owned(),
                                c.lifecycle().and_then(Lifecycle::delete_after_days),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }))
    }

    /// The selections of plan `plan_id`: selection id → tag conditions (key → value).
    pub fn selections(
        &self,
        plan_id: &str,
    ) -> Result<BTreeMap<String, BTreeMap<String, String>>, HarnessError> {
        let list = self
            .block_on(
                self.client
                    .list_backup_selections()
                    .backup_plan_id(plan_id)
                    .send(),
            )
            .map_err(|e| aws_error(format!("ListBackupSelections({plan_id})"), &e))?;
        let mut out = BTreeMap::new();
        for item in list.backup_selections_list() {
            let id = item.selection_id().unwrap_or_default();
            let got = self
                .block_on(
                    self.client
                        .get_backup_selection()
                        .backup_plan_id(plan_id)
                        .selection_id(id)
                        .send(),
                )
                .map_err(|e| aws_error(format!("GetBackupSelection({id})"), &e))?;
            let tags = got
                .backup_selection()
                .map(|s| {
                    s.list_of_tags()
                        .iter()
                        .map(|c| (c.condition_key().to_owned(), c.condition_value().to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            out.insert(id.to_owned(), tags);
        }
        Ok(out)
    }

    /// Starts an on-demand backup of `resource_arn` into `vault` (the emulator completes it at
    /// once); returns the recovery point ARN.
    pub fn start_backup_job(
        &self,
        vault: &str,
        resource_arn: &str,
        role_arn: &str,
    ) -> Result<String, HarnessError> {
        let out = self
            .block_on(
                self.client
                    .start_backup_job()
                    .backup_vault_name(vault)
                    .resource_arn(resource_arn)
                    .iam_role_arn(role_arn)
                    .send(),
            )
            .map_err(|e| aws_error(format!("StartBackupJob({resource_arn})"), &e))?;
        Ok(out.recovery_point_arn().unwrap_or_default().to_owned())
    }

    /// Deletes a recovery point.
    pub fn delete_recovery_point(&self, vault: &str, arn: &str) -> Result<(), HarnessError> {
        self.block_on(
            self.client
                .delete_recovery_point()
                .backup_vault_name(vault)
                .recovery_point_arn(arn)
                .send(),
        )
        .map_err(|e| aws_error(format!("DeleteRecoveryPoint({arn})"), &e))?;
        Ok(())
    }
}
