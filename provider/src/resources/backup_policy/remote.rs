//! Converging AWS Backup towards a policy's state, and reading it back.
//!
//! Create goes vault → lock → plan → selection, recording what exists after each step so a
//! failure part-way loses nothing; delete goes the other way, because AWS refuses to delete a
//! plan that still has selections. A selection cannot be changed in place (AWS has no
//! UpdateBackupSelection), so a new role means a new selection.

use super::model::{CopyTo, POLICY_TAG, State, TIER_TAG, VaultLock};
use crate::client::DbrailClient;
use crate::diagnostics::operation_error;
use dbrail_aws::backup::{
    self, CopyRule, Plan, PlanRule, PlanSpec, SelectionSpec, TagCondition, VaultLockSpec, VaultSpec,
};
use dbrail_aws::{CancellationToken, Deadline, OperationError};
use dbrail_tfplugin::diagnostics::{Diagnostic, Diagnostics};
use std::collections::HashMap;

/// AWS Backup on behalf of one operation.
pub(crate) struct Remote<'a> {
    pub(crate) client: &'a DbrailClient,
    pub(crate) deadline: Deadline,
    pub(crate) cancel: &'a CancellationToken,
}

/// A failed step and the state that exists despite it.
pub(crate) struct Failure {
    pub(crate) state: Option<State>,
    pub(crate) diagnostics: Diagnostics,
}

fn failed(what: &str, err: &OperationError, state: Option<State>) -> Failure {
    Failure {
        state,
        diagnostics: operation_error(what, err).into(),
    }
}

fn days(value: Option<i64>) -> Option<u32> {
    value.and_then(|v| u32::try_from(v).ok())
}

impl Remote<'_> {
    fn b(&self) -> &backup::Client {
        &self.client.aws.backup
    }

    /// The ARN of the same-named vault in `region` of this account.
    fn regional_vault_arn(&self, name: &str, region: &str) -> String {
        let aws = &self.client.aws;
        format!(
            "arn:{}:backup:{region}:{}:backup-vault:{name}",
            aws.partition, aws.account_id
        )
    }

    fn copy_rules(&self, state: &State) -> Vec<CopyRule> {
        state
            .copy_to
            .iter()
            .flatten()
            .map(|copy| CopyRule {
                destination_vault_arn: match (&copy.region, &copy.vault_arn) {
                    (Some(region), _) => self.regional_vault_arn(&state.name, region),
                    (None, Some(arn)) => arn.clone(),
                    (None, None) => String::new(),
                },
                retention_days: days(copy.retention_days.or(Some(state.retention_days))),
            })
            .collect()
    }

    fn plan_spec(&self, state: &State) -> PlanSpec {
        PlanSpec {
            name: state.name.clone(),
            rules: vec![PlanRule {
                name: state.name.clone(),
                vault_name: state.name.clone(),
                schedule: state.schedule.clone(),
                retention_days: days(Some(state.retention_days)),
                continuous: state.continuous == Some(true),
                copies: self.copy_rules(state),
            }],
        }
    }

    fn vault_tags(&self, state: &State) -> HashMap<String, String> {
        let own = state.tags.clone().unwrap_or_default();
        let mut tags: HashMap<String, String> =
            self.client.tags_with_defaults(&own).into_iter().collect();
        tags.insert(TIER_TAG.to_owned(), state.tier.clone());
        tags
    }

    fn selection_spec(state: &State) -> SelectionSpec {
        SelectionSpec {
            name: state.name.clone(),
            iam_role_arn: state.backup_role_arn.clone(),
            tags: vec![TagCondition {
                key: POLICY_TAG.to_owned(),
                value: state.name.clone(),
            }],
            resources: Vec::new(),
        }
    }

    fn lock_spec(lock: &VaultLock) -> VaultLockSpec {
        VaultLockSpec {
            min_retention_days: days(lock.min_retention_days),
            max_retention_days: days(lock.max_retention_days),
            changeable_for_days: lock
                .compliance()
                .then(|| days(lock.changeable_for_days).unwrap_or(3)),
        }
    }

    /// Creates everything; on failure returns what already exists.
    pub(crate) async fn create(&self, planned: &State) -> Result<State, Failure> {
        let mut state = planned.clone();
        state.id = Some(state.name.clone());
        let vault =
            match backup::find_vault(self.b(), &state.name, self.deadline, self.cancel).await {
                Ok(Some(existing)) => existing,
                Ok(None) => {
                    let spec = VaultSpec {
                        name: state.name.clone(),
                        kms_key_arn: state.vault_kms_key_arn.clone(),
                        tags: self.vault_tags(&state),
                    };
                    backup::create_vault(self.b(), &spec, self.deadline, self.cancel)
                        .await
                        .map_err(|e| failed("Creating the backup vault", &e, None))?
                }
                Err(e) => return Err(failed("Reading the backup vault", &e, None)),
            };
        state.vault_arn = Some(vault.arn);
        // From here on the vault exists: every failure records it.
        let partial = |state: &State| {
            Some(State {
                plan_id: state.plan_id.clone().or_else(|| Some(String::new())),
                ..state.clone()
            })
        };
        if let Some(lock) = &state.vault_lock {
            backup::put_vault_lock(
                self.b(),
                &state.name,
                Self::lock_spec(lock),
                self.deadline,
                self.cancel,
            )
            .await
            .map_err(|e| failed("Locking the backup vault", &e, partial(&state)))?;
        }
        let plan = backup::create_plan(
            self.b(),
            &self.plan_spec(&state),
            self.deadline,
            self.cancel,
        )
        .await
        .map_err(|e| failed("Creating the backup plan", &e, partial(&state)))?;
        state.plan_id = Some(plan.id.clone());
        state.plan_arn = Some(plan.arn.clone());
        let selection = backup::create_selection(
            self.b(),
            &plan.id,
            &Self::selection_spec(&state),
            self.deadline,
            self.cancel,
        )
        .await
        .map_err(|e| failed("Creating the backup selection", &e, partial(&state)))?;
        state.selection_id = Some(selection);
        state.summary = Some(state.summary());
        Ok(state)
    }

    /// Changes what differs between `prior` and `planned`.
    pub(crate) async fn update(&self, prior: &State, planned: &State) -> Result<State, Failure> {
        let mut state = State {
            vault_arn: prior.vault_arn.clone(),
            plan_id: prior.plan_id.clone(),
            plan_arn: prior.plan_arn.clone(),
            selection_id: prior.selection_id.clone(),
            ..planned.clone()
        };
        if planned.vault_lock != prior.vault_lock {
            let result = match &planned.vault_lock {
                Some(lock) => {
                    backup::put_vault_lock(
                        self.b(),
                        &state.name,
                        Self::lock_spec(lock),
                        self.deadline,
                        self.cancel,
                    )
                    .await
                }
                None => {
                    backup::delete_vault_lock(self.b(), &state.name, self.deadline, self.cancel)
                        .await
                }
            };
            result.map_err(|e| failed("Changing the vault lock", &e, Some(prior.clone())))?;
        }
        let plan_id = match &state.plan_id {
            Some(id) if !id.is_empty() => {
                let plan = backup::update_plan(
                    self.b(),
                    id,
                    &self.plan_spec(&state),
                    self.deadline,
                    self.cancel,
                )
                .await
                .map_err(|e| failed("Updating the backup plan", &e, Some(state.clone())))?;
                plan.id
            }
            _ => {
                let plan = backup::create_plan(
                    self.b(),
                    &self.plan_spec(&state),
                    self.deadline,
                    self.cancel,
                )
                .await
                .map_err(|e| failed("Creating the backup plan", &e, Some(state.clone())))?;
                state.plan_arn = Some(plan.arn);
                plan.id
            }
        };
        state.plan_id = Some(plan_id.clone());
        let role_changed = planned.backup_role_arn != prior.backup_role_arn;
        let missing = state.selection_id.as_deref().is_none_or(str::is_empty);
        if role_changed || missing {
            if let Some(old) = state.selection_id.take().filter(|s| !s.is_empty()) {
                backup::delete_selection(self.b(), &plan_id, &old, self.deadline, self.cancel)
                    .await
                    .map_err(|e| {
                        failed("Replacing the backup selection", &e, Some(state.clone()))
                    })?;
            }
            let id = backup::create_selection(
                self.b(),
                &plan_id,
                &Self::selection_spec(&state),
                self.deadline,
                self.cancel,
            )
            .await
            .map_err(|e| failed("Creating the backup selection", &e, Some(state.clone())))?;
            state.selection_id = Some(id);
        }
        state.summary = Some(state.summary());
        Ok(state)
    }

    /// What AWS holds for `prior`; `None` when the vault or plan is gone.
    pub(crate) async fn read(&self, prior: &State) -> Result<Option<State>, Diagnostics> {
        let err = |what: &str, e: OperationError| Diagnostics::from(operation_error(what, &e));
        let Some(vault) = backup::find_vault(self.b(), &prior.name, self.deadline, self.cancel)
            .await
            .map_err(|e| err("Reading the backup vault", e))?
        else {
            return Ok(None);
        };
        let plan = match prior.plan_id.as_deref().filter(|id| !id.is_empty()) {
            Some(id) => backup::find_plan(self.b(), id, self.deadline, self.cancel)
                .await
                .map_err(|e| err("Reading the backup plan", e))?,
            None => None,
        };
        let mut state = prior.clone();
        state.id = Some(prior.name.clone());
        state.vault_arn = Some(vault.arn.clone());
        if vault.kms_key_arn.is_some() || prior.vault_kms_key_arn.is_some() {
            state.vault_kms_key_arn = vault.kms_key_arn.clone();
        }
        state.vault_lock = vault.locked.then(|| VaultLock {
            mode: if vault.compliance() {
                "compliance"
            } else {
                "governance"
            }
            .to_owned(),
            min_retention_days: vault.min_retention_days.map(i64::from),
            max_retention_days: vault.max_retention_days.map(i64::from),
            changeable_for_days: prior
                .vault_lock
                .as_ref()
                .and_then(|l| l.changeable_for_days)
                .filter(|_| vault.compliance()),
        });
        let Some(plan) = plan else {
            // The vault is there, the plan is not: the next apply creates a plan.
            state.plan_id = None;
            state.plan_arn = None;
            state.selection_id = None;
            state.summary = Some(state.summary());
            return Ok(Some(state));
        };
        self.read_plan(&mut state, prior, &plan);
        state.selection_id = match prior.selection_id.as_deref().filter(|s| !s.is_empty()) {
            Some(id) => backup::find_selection(self.b(), &plan.id, id, self.deadline, self.cancel)
                .await
                .map_err(|e| err("Reading the backup selection", e))?
                .map(|selection| {
                    state.backup_role_arn = selection.iam_role_arn;
                    selection.id
                }),
            None => None,
        };
        state.summary = Some(state.summary());
        Ok(Some(state))
    }

    fn read_plan(&self, state: &mut State, prior: &State, plan: &Plan) {
        state.plan_id = Some(plan.id.clone());
        state.plan_arn = Some(plan.arn.clone());
        let Some(rule) = plan
            .rules
            .iter()
            .find(|r| r.name == prior.name)
            .or(plan.rules.first())
        else {
            return;
        };
        state.schedule = rule.schedule.clone();
        if let Some(days) = rule.retention_days {
            state.retention_days = i64::from(days);
        }
        state.continuous = Some(rule.continuous);
        state.copy_to = Some(
            rule.copies
                .iter()
                .map(|copy| {
                    // A vault of the policy's name in this account is what `region` means.
                    let region = copy
                        .destination_vault_arn
                        .split(':')
                        .nth(3)
                        .filter(|r| {
                            self.regional_vault_arn(&prior.name, r) == copy.destination_vault_arn
                        })
                        .map(str::to_owned);
                    let by_region = prior
                        .copy_to
                        .iter()
                        .flatten()
                        .find(|c| c.region.is_some() && c.region == region);
                    let configured_days = by_region
                        .or_else(|| {
                            prior.copy_to.iter().flatten().find(|c| {
                                c.vault_arn.as_deref() == Some(copy.destination_vault_arn.as_str())
                            })
                        })
                        .and_then(|c| c.retention_days);
                    let retention = copy.retention_days.map(i64::from);
                    CopyTo {
                        vault_arn: region.is_none().then(|| copy.destination_vault_arn.clone()),
                        region,
                        retention_days: if configured_days.is_none()
                            && retention == Some(state.retention_days)
                        {
                            None
                        } else {
                            retention
                        },
                    }
                })
                .collect(),
        );
    }

    /// Deletes selection, plan and vault, in that order.
    pub(crate) async fn delete(&self, prior: &State) -> Diagnostics {
        let mut diags = Diagnostics::new();
        if let Some(plan_id) = prior.plan_id.as_deref().filter(|id| !id.is_empty()) {
            if let Some(selection) = prior.selection_id.as_deref().filter(|s| !s.is_empty())
                && let Err(e) = backup::delete_selection(
                    self.b(),
                    plan_id,
                    selection,
                    self.deadline,
                    self.cancel,
                )
                .await
            {
                diags.push(operation_error("Deleting the backup selection", &e));
                return diags;
            }
            if let Err(e) = backup::delete_plan(self.b(), plan_id, self.deadline, self.cancel).await
            {
                diags.push(operation_error("Deleting the backup plan", &e));
                return diags;
            }
        }
        if let Err(e) =
            backup::delete_vault(self.b(), &prior.name, self.deadline, self.cancel).await
        {
            diags.push(Diagnostic::error(
                "Deleting the backup vault failed",
                format!(
                    "{e}\n\nAWS deletes only empty vaults, and a vault in compliance-mode lock keeps \
                     its recovery points until their retention ends. The plan and selection are \
                     already deleted; run `terraform destroy` again once the vault is empty."
                ),
            ));
        }
        diags
    }

    /// The state of the policy `name` as AWS holds it, for import.
    pub(crate) async fn import(&self, name: &str) -> Result<State, Diagnostics> {
        let err = |what: &str, e: OperationError| Diagnostics::from(operation_error(what, &e));
        let not_found = |what: &str| -> Diagnostics {
            Diagnostic::error(
                format!("No backup {what} named {name:?}"),
                "Import takes the policy name: the vault, plan and selection dbrail created share it.",
            )
            .into()
        };
        let vault = backup::find_vault(self.b(), name, self.deadline, self.cancel)
            .await
            .map_err(|e| err("Reading the backup vault", e))?
            .ok_or_else(|| not_found("vault"))?;
        let plan = backup::find_plan_by_name(self.b(), name, self.deadline, self.cancel)
            .await
            .map_err(|e| err("Listing backup plans", e))?
            .ok_or_else(|| not_found("plan"))?;
        let selections = backup::list_selections(self.b(), &plan.id, self.deadline, self.cancel)
            .await
            .map_err(|e| err("Listing backup selections", e))?;
        let selection = selections.into_iter().find(|s| s.name == name);
        let tags = backup::list_tags(self.b(), &vault.arn, self.deadline, self.cancel)
            .await
            .map_err(|e| err("Reading the vault's tags", e))?;
        let defaults = &self.client.default_tags;
        let user: std::collections::BTreeMap<String, String> = tags
            .iter()
            .filter(|(k, v)| !k.starts_with("dbrail:") && defaults.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let prior = State {
            id: Some(name.to_owned()),
            name: name.to_owned(),
            tier: tags
                .get(TIER_TAG)
                .cloned()
                .unwrap_or_else(|| "production".to_owned()),
            vault_kms_key_arn: vault.kms_key_arn.clone(),
            backup_role_arn: selection
                .as_ref()
                .map(|s| s.iam_role_arn.clone())
                .unwrap_or_default(),
            tags: (!user.is_empty()).then_some(user),
            plan_id: Some(plan.id.clone()),
            selection_id: selection.map(|s| s.id),
            vault_lock: vault.locked.then(|| VaultLock {
                mode: if vault.compliance() {
                    "compliance"
                } else {
                    "governance"
                }
                .to_owned(),
                min_retention_days: None,
                max_retention_days: None,
                changeable_for_days: None,
            }),
            ..State::default()
        };
        self.read(&prior).await?.ok_or_else(|| not_found("plan"))
    }
}
