//! The backup policy subject: an AWS Backup vault, plan rule and vault lock as the backup rules
//! see them.
//!
//! Two callers build it. The provider builds it from a `dbrail_backup_policy` plan; the CI policy
//! command builds it from an `aws_backup_plan` rule together with the `aws_backup_vault` and
//! `aws_backup_vault_lock_configuration` it targets. Whether a copy leaves the source region or
//! account is decided by the caller, which knows the provider's region and account; the rules only
//! judge the answer.
//!
//! Findings name attributes in `dbrail_backup_policy`'s vocabulary (`retention_days`,
//! `copy_to`, `vault_lock.mode`, ...).

use crate::Fact;

/// The two modes of an AWS Backup vault lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LockMode {
    /// Users with enough IAM permissions can change or remove the lock.
    Governance,
    /// After its cooling-off period (`changeable_for_days`, at least 3) nobody can change or
    /// remove the lock, nor delete recovery points before their retention ends.
    Compliance,
}

impl LockMode {
    /// `governance` or `compliance`, as `dbrail_backup_policy` spells it.
    pub fn name(self) -> &'static str {
        match self {
            LockMode::Governance => "governance",
            LockMode::Compliance => "compliance",
        }
    }

    /// Parses `governance` / `compliance` (any ASCII case).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "governance" => Some(LockMode::Governance),
            "compliance" => Some(LockMode::Compliance),
            _ => None,
        }
    }
}

/// A vault lock.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VaultLock {
    /// Governance or compliance.
    pub mode: Fact<LockMode>,
    /// The shortest retention a recovery point in the vault may have; `Absent` means no minimum.
    pub min_retention_days: Fact<u32>,
    /// The longest retention a recovery point in the vault may have; `Absent` means no maximum.
    pub max_retention_days: Fact<u32>,
}

impl VaultLock {
    /// A lock in `mode` with the given bounds.
    pub fn new(mode: Fact<LockMode>, min: Fact<u32>, max: Fact<u32>) -> Self {
        Self {
            mode,
            min_retention_days: min,
            max_retention_days: max,
        }
    }
}

/// A copy of each recovery point to another vault.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BackupCopy {
    /// Whether the destination is in another region or another account than the source vault.
    pub leaves_source: Fact<bool>,
    /// How long the copy is kept; `Absent` means as long as the source's lifecycle says.
    pub retention_days: Fact<u32>,
}

impl BackupCopy {
    /// A copy that does or does not leave the source region/account.
    pub fn new(leaves_source: Fact<bool>, retention_days: Fact<u32>) -> Self {
        Self {
            leaves_source,
            retention_days,
        }
    }
}

/// A backup policy's guardrail-relevant settings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BackupPolicySubject {
    /// The KMS key encrypting the vault; `Absent` means the AWS-managed `aws/backup` key.
    pub vault_kms_key_arn: Fact<String>,
    /// Days recovery points are kept (the rule's `DeleteAfterDays`).
    pub retention_days: Fact<u32>,
    /// Whether the rule takes continuous backups (point-in-time restore, at most 35 days).
    pub continuous: Fact<bool>,
    /// The copy actions; an empty list means none.
    pub copies: Fact<Vec<BackupCopy>>,
    /// The vault lock; `Absent` means the vault is not locked.
    pub vault_lock: Fact<VaultLock>,
}

impl BackupPolicySubject {
    /// A policy about which nothing is known yet.
    pub fn new() -> Self {
        Self {
            vault_kms_key_arn: Fact::Unknown,
            retention_days: Fact::Unknown,
            continuous: Fact::Unknown,
            copies: Fact::Unknown,
            vault_lock: Fact::Unknown,
        }
    }

    /// The same policy with the vault's KMS key.
    #[must_use]
    pub fn with_vault_kms_key_arn(mut self, value: Fact<String>) -> Self {
        self.vault_kms_key_arn = value;
        self
    }

    /// The same policy with its retention.
    #[must_use]
    pub fn with_retention_days(mut self, value: Fact<u32>) -> Self {
        self.retention_days = value;
        self
    }

    /// The same policy with continuous backup on or off.
    #[must_use]
    pub fn with_continuous(mut self, value: Fact<bool>) -> Self {
        self.continuous = value;
        self
    }

    /// The same policy with its copy actions.
    #[must_use]
    pub fn with_copies(mut self, value: Fact<Vec<BackupCopy>>) -> Self {
        self.copies = value;
        self
    }

    /// The same policy with its vault lock.
    #[must_use]
    pub fn with_vault_lock(mut self, value: Fact<VaultLock>) -> Self {
        self.vault_lock = value;
        self
    }
}

impl Default for BackupPolicySubject {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_modes_parse_and_print() {
        assert_eq!(LockMode::parse(" Compliance"), Some(LockMode::Compliance));
        assert_eq!(LockMode::parse("governance"), Some(LockMode::Governance));
        assert_eq!(LockMode::parse("strict"), None);
        assert_eq!(LockMode::Compliance.name(), "compliance");
    }

    #[test]
    fn a_new_policy_knows_nothing() {
        let policy = BackupPolicySubject::default();
        assert!(policy.retention_days.is_unknown());
        assert!(policy.vault_lock.is_unknown());
        assert!(policy.copies.is_unknown());
    }
}
