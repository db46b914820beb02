//! Plan-time guardrails of a backup policy: G6 (the retention floor) and G7 (key, copy, lock
//! and their agreement with retention), judged on the configuration as the plan sees it.
//!
//! Whether a copy leaves the source region or account needs the provider's region and account,
//! so the subject is built with them; an unparseable `vault_arn` counts as not leaving, which
//! fails G7 instead of passing on a guess.

use crate::rules_bridge::{convert_path, finding_diagnostic, string_fact, today};
use dbrail_rules::{
    BackupCopy, BackupPolicySubject, Context, Fact, LockMode, Outcome, Subject, Tier, VaultLock,
};
use dbrail_tfplugin::diagnostics::Diagnostics;
use dbrail_tfplugin::path::AttributePath;
use dbrail_tfplugin::value::Value;

/// Where the policy's vault lives.
pub(crate) struct Home<'a> {
    pub(crate) region: &'a str,
    pub(crate) account_id: &'a str,
}

fn attr<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    value.attr(name).filter(|v| !v.is_null())
}

fn u32_fact(value: Option<&Value>) -> Fact<u32> {
    match value {
        None | Some(Value::Null) => Fact::Absent,
        Some(v) if v.is_unknown() => Fact::Unknown,
        Some(v) => v
            .as_number()
            .and_then(|n| n.as_u64())
            .and_then(|n| u32::try_from(n).ok())
            .map_or(Fact::Absent, Fact::Known),
    }
}

fn bool_fact(value: Option<&Value>, default: bool) -> Fact<bool> {
    match value {
        None | Some(Value::Null) => Fact::Known(default),
        Some(v) if v.is_unknown() => Fact::Unknown,
        Some(v) => Fact::Known(v.as_bool().unwrap_or(default)),
    }
}

/// Whether a copy destination is in another region or account than `home`.
fn leaves(copy: &Value, home: &Home<'_>) -> Fact<bool> {
    if let Some(region) = attr(copy, "region") {
        if region.is_unknown() {
            return Fact::Unknown;
        }
        return Fact::Known(region.as_str().is_some_and(|r| r != home.region));
    }
    match attr(copy, "vault_arn") {
        None => Fact::Known(false),
        Some(v) if v.is_unknown() => Fact::Unknown,
        Some(v) => {
            let parts: Vec<&str> = v.as_str().unwrap_or_default().split(':').collect();
            match parts.as_slice() {
                ["arn", _, "backup", region, account, ..] => {
                    Fact::Known(*region != home.region || *account != home.account_id)
                }
                _ => Fact::Known(false),
            }
        }
    }
}

/// The rules' view of a policy configuration.
pub(crate) fn subject(config: &Value, home: &Home<'_>) -> BackupPolicySubject {
    let retention = u32_fact(config.attr("retention_days"));
    let copies = match config.attr("copy_to") {
        Some(v) if v.is_unknown() => Fact::Unknown,
        Some(list) if list.as_list().is_some() => Fact::Known(
            list.as_list()
                .unwrap_or_default()
                .iter()
                .map(|c| {
                    let days = match u32_fact(c.attr("retention_days")) {
                        Fact::Absent => retention,
                        other => other,
                    };
                    BackupCopy::new(leaves(c, home), days)
                })
                .collect(),
        ),
        _ => Fact::Known(Vec::new()),
    };
    let lock = match config.attr("vault_lock") {
        None | Some(Value::Null) => Fact::Absent,
        Some(v) if v.is_unknown() => Fact::Unknown,
        Some(lock) => {
            let mode = match string_fact(lock.attr("mode")) {
                Fact::Known(m) => LockMode::parse(&m).map_or(Fact::Absent, Fact::Known),
                Fact::Unknown => Fact::Unknown,
                Fact::Absent => Fact::Absent,
            };
            Fact::Known(VaultLock::new(
                mode,
                u32_fact(lock.attr("min_retention_days")),
                u32_fact(lock.attr("max_retention_days")),
            ))
        }
    };
    BackupPolicySubject::new()
        .with_vault_kms_key_arn(string_fact(config.attr("vault_kms_key_arn")))
        .with_retention_days(retention)
        .with_continuous(bool_fact(config.attr("continuous"), false))
        .with_copies(copies)
        .with_vault_lock(lock)
}

fn tier(config: &Value) -> Tier {
    match config.attr("tier").and_then(Value::as_str) {
        Some("staging") => Tier::Staging,
        Some("development") => Tier::Development,
        _ => Tier::Production,
    }
}

/// Rules name `dbrail_backup_policy` attributes directly; `copy_to` findings point at the block.
fn attribute_path(path: &dbrail_rules::AttrPath) -> AttributePath {
    convert_path(path, |_, _| None)
}

/// Evaluates G6 and G7 for a policy configuration into diagnostics.
pub(crate) fn evaluate(config: &Value, home: &Home<'_>) -> Diagnostics {
    let context = Context::new(tier(config), today());
    let subject = Subject::from(subject(config, home));
    dbrail_rules::evaluate(&subject, &context)
        .iter()
        .filter(|o| matches!(o, Outcome::Fail(_)))
        .filter_map(Outcome::finding)
        .map(|f| finding_diagnostic(f, attribute_path(&f.attribute)))
        .collect()
}

/// Lowering retention below the minimum of a compliance lock already in place: the lock in
/// prior state is what AWS enforces, whatever the new configuration says about the lock.
pub(crate) fn below_existing_lock(prior: &Value, config: &Value) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let Some(lock) = attr(prior, "vault_lock") else {
        return diags;
    };
    if lock.attr("mode").and_then(Value::as_str) != Some("compliance") {
        return diags;
    }
    let (Fact::Known(min), Fact::Known(retention)) = (
        u32_fact(lock.attr("min_retention_days")),
        u32_fact(config.attr("retention_days")),
    ) else {
        return diags;
    };
    if retention < min {
        diags.error_at(
            AttributePath::attr("retention_days"),
            format!("retention_days = {retention} is below the vault's compliance lock minimum of {min} days"),
            format!(
                "[G7] The vault is locked in compliance mode with min_retention_days = {min}; AWS \
                 Backup would fail every backup job. Keep retention_days at {min} or more."
            ),
        );
    }
    diags
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::collections::BTreeMap;

    const HOME: Home<'static> = Home {
        region: "us-east-1",
        account_id: "123456789012",
    };

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    fn num(n: i64) -> Value {
        Value::Number(n.into())
    }

    fn s(text: &str) -> Value {
        Value::String(text.into())
    }

    fn config(retention: i64, copy: Value, lock: Value) -> Value {
        obj(&[
            ("tier", s("production")),
            (
                "vault_kms_key_arn",
                s("arn:aws:kms:us-east-1:123456789012:key/k"),
            ),
            ("retention_days", num(retention)),
            ("continuous", Value::Bool(true)),
            ("copy_to", Value::List(vec![copy])),
            ("vault_lock", lock),
        ])
    }

    fn lock(mode: &str, min: i64) -> Value {
        obj(&[
            ("mode", s(mode)),
            ("min_retention_days", num(min)),
            ("max_retention_days", Value::Null),
            ("changeable_for_days", num(3)),
        ])
    }

    fn copy(region: &str) -> Value {
        obj(&[
            ("region", s(region)),
            ("vault_arn", Value::Null),
            ("retention_days", Value::Null),
        ])
    }

    fn at(diags: &Diagnostics) -> Vec<String> {
        diags
            .iter()
            .map(|d| {
                d.attribute
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn a_compliant_policy_has_no_findings() {
        let diags = evaluate(&config(14, copy("eu-west-1"), lock("compliance", 7)), &HOME);
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn findings_land_on_the_attribute() {
        let diags = evaluate(&config(5, copy("us-east-1"), lock("governance", 7)), &HOME);
        assert_eq!(
            at(&diags),
            [
                "retention_days",
                "copy_to",
                "vault_lock.mode",
                "retention_days"
            ]
        );
        assert!(diags.iter().all(|d| d.is_error()));
        assert!(diags.iter().any(|d| d.summary.starts_with("[G7]")));
    }

    #[test]
    fn copies_to_another_account_leave_the_source() {
        let other = obj(&[
            ("region", Value::Null),
            (
                "vault_arn",
                s("arn:aws:backup:us-east-1:999999999999:backup-vault:dr"),
            ),
            ("retention_days", Value::Null),
        ]);
        let subject = subject(&config(14, other, lock("compliance", 7)), &HOME);
        let copies = subject.copies.known().unwrap();
        assert_eq!(copies[0].leaves_source, Fact::Known(true));
        assert_eq!(copies[0].retention_days, Fact::Known(14));
    }

    #[test]
    fn lowering_retention_under_an_existing_compliance_lock_is_an_error() {
        let prior = config(14, copy("eu-west-1"), lock("compliance", 10));
        let diags = below_existing_lock(&prior, &config(7, copy("eu-west-1"), Value::Null));
        assert_eq!(at(&diags), ["retention_days"]);
        let governance = config(14, copy("eu-west-1"), lock("governance", 10));
        assert!(
            below_existing_lock(&governance, &config(7, copy("eu-west-1"), Value::Null)).is_empty()
        );
    }
}
