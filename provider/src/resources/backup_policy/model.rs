//! The typed state of `dbrail_backup_policy`; field names are the schema's attribute names.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One `copy_to` block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CopyTo {
    pub(crate) region: Option<String>,
    pub(crate) vault_arn: Option<String>,
    pub(crate) retention_days: Option<i64>,
}

/// The `vault_lock` block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct VaultLock {
    pub(crate) mode: String,
    pub(crate) min_retention_days: Option<i64>,
    pub(crate) max_retention_days: Option<i64>,
    pub(crate) changeable_for_days: Option<i64>,
}

impl VaultLock {
    pub(crate) fn compliance(&self) -> bool {
        self.mode == "compliance"
    }
}

/// State of one backup policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct State {
    pub(crate) id: Option<String>,
    pub(crate) name: String,
    pub(crate) tier: String,
    pub(crate) vault_kms_key_arn: Option<String>,
    pub(crate) backup_role_arn: String,
    pub(crate) schedule: Option<String>,
    pub(crate) retention_days: i64,
    pub(crate) continuous: Option<bool>,
    pub(crate) tags: Option<BTreeMap<String, String>>,
    pub(crate) vault_arn: Option<String>,
    pub(crate) plan_id: Option<String>,
    pub(crate) plan_arn: Option<String>,
    pub(crate) selection_id: Option<String>,
    pub(crate) summary: Option<String>,
    pub(crate) copy_to: Option<Vec<CopyTo>>,
    pub(crate) vault_lock: Option<VaultLock>,
}

/// The tag a resource carries to be covered by the policy `name`.
pub(crate) const POLICY_TAG: &str = "dbrail:backup-policy";
/// The tier tag on the vault, so import recovers it.
pub(crate) const TIER_TAG: &str = "dbrail:tier";

impl State {
    /// The policy in one sentence.
    pub(crate) fn summary(&self) -> String {
        let mut text = format!(
            "{} ({}): backups {} kept {} days",
            self.name,
            self.tier,
            self.schedule
                .as_deref()
                .unwrap_or(super::schema::DEFAULT_SCHEDULE),
            self.retention_days
        );
        if self.continuous == Some(true) {
            text.push_str(", with point-in-time restore");
        }
        for copy in self.copy_to.iter().flatten() {
            let to = copy
                .region
                .as_deref()
                .or(copy.vault_arn.as_deref())
                .unwrap_or("?");
            let days = copy.retention_days.unwrap_or(self.retention_days);
            text.push_str(&format!(", copied to {to} for {days} days"));
        }
        match &self.vault_lock {
            Some(lock) => {
                text.push_str(&format!("; vault locked in {} mode", lock.mode));
                if let Some(min) = lock.min_retention_days {
                    text.push_str(&format!(", minimum {min} days"));
                }
                if let Some(max) = lock.max_retention_days {
                    text.push_str(&format!(", maximum {max} days"));
                }
            }
            None => text.push_str("; vault not locked"),
        }
        text.push_str(&format!(
            "; covers resources tagged {POLICY_TAG} = {}.",
            self.name
        ));
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_reads_as_one_sentence() {
        let state = State {
            name: "pci-gold".into(),
            tier: "production".into(),
            retention_days: 35,
            continuous: Some(true),
            copy_to: Some(vec![CopyTo {
                region: Some("eu-west-1".into()),
                vault_arn: None,
                retention_days: Some(90),
            }]),
            vault_lock: Some(VaultLock {
                mode: "compliance".into(),
                min_retention_days: Some(7),
                max_retention_days: None,
                changeable_for_days: Some(3),
            }),
            ..State::default()
        };
        assert_eq!(
            state.summary(),
            "pci-gold (production): backups cron(0 5 ? * * *) kept 35 days, with point-in-time \
             restore, copied to eu-west-1 for 90 days; vault locked in compliance mode, minimum 7 \
             days; covers resources tagged dbrail:backup-policy = pci-gold."
        );
    }
}
