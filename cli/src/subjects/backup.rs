//! Backup policies: `dbrail_backup_policy`, and `aws_backup_plan` joined with the
//! `aws_backup_vault` and `aws_backup_vault_lock_configuration` its rules target.
//!
//! Whether a copy leaves the source region or account needs the source's region and account. The
//! provider knows them at plan time; a plan file states them only once the vault (or the AWS
//! provider's `region` argument) is known, so until then the copy part of G7 stays undecided here
//! rather than guessed.

use std::collections::BTreeMap;

use dbrail_rules::{BackupCopy, BackupPolicySubject, Fact, LockMode, Subject, Tier, VaultLock};

use super::{Target, attrs};
use crate::attrs::Attrs;
use crate::error::InputError;
use crate::plan::{Plan, Resource};
use crate::vocabulary::Vocabulary;

/// `region` and `account` of a Backup ARN (`arn:aws:backup:REGION:ACCOUNT:...`).
fn arn_home(arn: &str) -> Option<(&str, &str)> {
    match arn.split(':').collect::<Vec<_>>().as_slice() {
        ["arn", _, "backup", region, account, ..] => Some((region, account)),
        _ => None,
    }
}

/// Whether `destination` is in another region or account than `home` (`None`: unknown home).
fn leaves(destination: &Fact<String>, home: Option<(&str, Option<&str>)>) -> Fact<bool> {
    let Fact::Known(destination) = destination else {
        return destination.as_ref().map(|_| false);
    };
    let (Some((region, account)), Some((home_region, home_account))) =
        (arn_home(destination), home)
    else {
        return Fact::Unknown;
    };
    if region != home_region {
        return Fact::Known(true);
    }
    match home_account {
        Some(home_account) => Fact::Known(account != home_account),
        None => Fact::Unknown,
    }
}

fn lock(a: &Attrs<'_>, mode: Fact<LockMode>) -> Result<VaultLock, InputError> {
    Ok(VaultLock::new(
        mode,
        a.u32("min_retention_days", None)?,
        a.u32("max_retention_days", None)?,
    ))
}

/// A `dbrail_backup_policy`.
pub(super) fn policy(file: &str, resource: &Resource) -> Result<Target, InputError> {
    let a = attrs(file, resource);
    let name = a.string("name")?;
    let vault_arn = a.string("vault_arn")?;
    let home = vault_arn
        .known()
        .and_then(|arn| arn_home(arn))
        .map(|(r, acc)| (r.to_owned(), acc.to_owned()));
    let retention = a.u32("retention_days", None)?;
    let copies = match a.blocks("copy_to")? {
        Fact::Known(blocks) => Fact::Known(
            blocks
                .iter()
                .map(|c| {
                    let destination = match (c.string("region")?, c.string("vault_arn")?) {
                        (Fact::Known(region), _) => match (&home, name.known()) {
                            (Some((_, account)), Some(name)) => Fact::Known(format!(
                                "arn:aws:backup:{region}:{account}:backup-vault:{name}"
                            )),
                            _ => Fact::Unknown,
                        },
                        (Fact::Unknown, _) => Fact::Unknown,
                        (Fact::Absent, arn) => arn,
                    };
                    let days = match c.u32("retention_days", None)? {
                        Fact::Absent => retention,
                        other => other,
                    };
                    let home = home
                        .as_ref()
                        .map(|(r, acc)| (r.as_str(), Some(acc.as_str())));
                    Ok(BackupCopy::new(leaves(&destination, home), days))
                })
                .collect::<Result<Vec<_>, InputError>>()?,
        ),
        Fact::Unknown => Fact::Unknown,
        Fact::Absent => Fact::Known(Vec::new()),
    };
    let vault_lock = match a.object("vault_lock")? {
        Fact::Known(l) => {
            let mode = match l.string("mode")? {
                Fact::Known(m) => LockMode::parse(&m).map_or(Fact::Absent, Fact::Known),
                Fact::Unknown => Fact::Unknown,
                Fact::Absent => Fact::Absent,
            };
            Fact::Known(lock(&l, mode)?)
        }
        Fact::Unknown => Fact::Unknown,
        Fact::Absent => Fact::Absent,
    };
    let subject = BackupPolicySubject::new()
        .with_vault_kms_key_arn(a.non_empty("vault_kms_key_arn")?)
        .with_retention_days(retention)
        .with_continuous(a.bool("continuous", Some(false))?)
        .with_copies(copies)
        .with_vault_lock(vault_lock);
    let mut target = Target::new(resource, Subject::BackupPolicy(subject), Vocabulary::Dbrail);
    target.tier = match a.string("tier")? {
        Fact::Known(t) if t == "staging" => Some(Tier::Staging),
        Fact::Known(t) if t == "development" => Some(Tier::Development),
        Fact::Known(_) => Some(Tier::Production),
        _ => None,
    };
    Ok(target)
}

/// Vaults and vault locks of a plan, by vault name.
pub(super) struct Vaults<'a> {
    keys: BTreeMap<String, (Fact<String>, Fact<String>)>,
    locks: BTreeMap<String, &'a Resource<'a>>,
}

impl<'a> Vaults<'a> {
    /// Indexes `aws_backup_vault` and `aws_backup_vault_lock_configuration` resources.
    pub(super) fn index(file: &str, plan: &'a Plan) -> Result<Self, InputError> {
        let mut keys = BTreeMap::new();
        let mut locks = BTreeMap::new();
        for resource in plan.resources.iter().filter(|r| !r.data) {
            let a = attrs(file, resource);
            match resource.kind.as_str() {
                "aws_backup_vault" => {
                    if let Fact::Known(name) = a.string("name")? {
                        keys.insert(name, (a.non_empty("kms_key_arn")?, a.string("arn")?));
                    }
                }
                "aws_backup_vault_lock_configuration" => {
                    if let Fact::Known(name) = a.string("backup_vault_name")? {
                        locks.insert(name, resource);
                    }
                }
                _ => {}
            }
        }
        Ok(Self { keys, locks })
    }
}

/// An `aws_backup_plan`: its first rule, with the vault and lock it targets.
pub(super) fn plan_target(
    file: &str,
    vaults: &Vaults<'_>,
    resource: &Resource,
) -> Result<Target, InputError> {
    let a = attrs(file, resource);
    let rules = a.blocks("rule")?;
    let rule = match &rules {
        Fact::Known(rules) => rules.first(),
        _ => None,
    };
    let mut subject = BackupPolicySubject::new();
    if let Some(rule) = rule {
        let vault = rule.string("target_vault_name")?;
        let (key, vault_arn) = match vault.known().and_then(|v| vaults.keys.get(v)) {
            Some((key, arn)) => (key.clone(), arn.clone()),
            None => (Fact::Unknown, Fact::Unknown),
        };
        let region = a.string("region")?;
        let home = match (
            vault_arn.known().and_then(|arn| arn_home(arn)),
            region.known(),
        ) {
            (Some((r, acc)), _) => Some((r.to_owned(), Some(acc.to_owned()))),
            (None, Some(r)) => Some((r.clone(), None)),
            (None, None) => None,
        };
        let retention = match rule.object("lifecycle")? {
            Fact::Known(l) => l.u32("delete_after", None)?,
            Fact::Unknown => Fact::Unknown,
            Fact::Absent => Fact::Absent,
        };
        let copies = match rule.blocks("copy_action")? {
            Fact::Known(blocks) => Fact::Known(
                blocks
                    .iter()
                    .map(|c| {
                        let days = match c.object("lifecycle")? {
                            Fact::Known(l) => l.u32("delete_after", None)?,
                            other => other.map(|_| 0),
                        };
                        let home = home.as_ref().map(|(r, acc)| (r.as_str(), acc.as_deref()));
                        Ok(BackupCopy::new(
                            leaves(&c.string("destination_vault_arn")?, home),
                            if days.is_absent() { retention } else { days },
                        ))
                    })
                    .collect::<Result<Vec<_>, InputError>>()?,
            ),
            Fact::Unknown => Fact::Unknown,
            Fact::Absent => Fact::Known(Vec::new()),
        };
        let vault_lock = match vault.known().and_then(|v| vaults.locks.get(v)) {
            Some(lock_resource) => {
                let l = attrs(file, lock_resource);
                let mode = match l.u32("changeable_for_days", None)? {
                    Fact::Known(_) => Fact::Known(LockMode::Compliance),
                    Fact::Absent => Fact::Known(LockMode::Governance),
                    Fact::Unknown => Fact::Unknown,
                };
                Fact::Known(lock(&l, mode)?)
            }
            None if vault.is_unknown() => Fact::Unknown,
            None => Fact::Absent,
        };
        subject = subject
            .with_vault_kms_key_arn(key)
            .with_retention_days(retention)
            .with_continuous(rule.bool("enable_continuous_backup", Some(false))?)
            .with_copies(copies)
            .with_vault_lock(vault_lock);
    }
    Ok(Target::new(
        resource,
        Subject::BackupPolicy(subject),
        Vocabulary::AwsBackupPlan,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_leave_by_region_or_account() {
        let home = Some(("us-east-1", Some("111111111111")));
        let arn = |r: &str, a: &str| Fact::Known(format!("arn:aws:backup:{r}:{a}:backup-vault:v"));
        assert_eq!(
            leaves(&arn("eu-west-1", "111111111111"), home),
            Fact::Known(true)
        );
        assert_eq!(
            leaves(&arn("us-east-1", "222222222222"), home),
            Fact::Known(true)
        );
        assert_eq!(
            leaves(&arn("us-east-1", "111111111111"), home),
            Fact::Known(false)
        );
        assert_eq!(
            leaves(&arn("us-east-1", "222222222222"), Some(("us-east-1", None))),
            Fact::Unknown
        );
        assert_eq!(leaves(&arn("eu-west-1", "1"), None), Fact::Unknown);
        assert_eq!(leaves(&Fact::Unknown, home), Fact::Unknown);
    }
}
