//! G2: snapshots encrypted and not public.
//!
//! A manual snapshot is a full copy of the database that outlives the cluster and can be shared
//! with other accounts by a single attribute. Shared with `all`, anyone can restore it; taken
//! from an unencrypted cluster, it is unencrypted wherever it is copied. Both are errors in every
//! tier: snapshots of non-production databases often hold production data, and a public
//! snapshot is a breach whatever the tier.

use crate::guardrails::cluster::{Verdict, at};
use crate::{Context, Control, Fact, Outcome, Rule, Severity, Strictness, Subject, SubjectKind};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "G2",
    title: "Snapshots encrypted and not public",
    description: "\
Checks that a manual snapshot (`aws_db_cluster_snapshot`, `aws_db_snapshot`) is encrypted \
(`storage_encrypted`; `encrypted` on `aws_db_snapshot`) and is not shared with `all` in \
`shared_accounts`, which makes it public: any AWS account can copy or restore it.

A snapshot's encryption is not chosen on the snapshot: it follows the cluster or instance it is \
taken from, so a plan usually leaves it unknown until apply. When that source is in the same \
plan (named by `db_cluster_identifier` / `db_instance_identifier`, or referenced in the \
configuration), its `storage_encrypted` decides, and the finding names the source; otherwise the \
encryption part is undecided. Sharing with named accounts is allowed (that is how encrypted \
snapshots reach a backup account); a `shared_accounts` list unknown until apply is undecided.

**Strictness:** an error in every tier: a public or unencrypted copy of a database leaks the \
data whatever the tier of the database it came from.",
    rationale: "Snapshots are complete, restorable copies of a database. A public snapshot can be \
restored by anyone, and public RDS snapshots are a recurring cause of data exposure. An \
unencrypted snapshot leaves the stored data readable to whoever can copy it. PCI DSS restricts \
access to system components and data to those whose job requires it, and SOC 2 asks for logical \
access controls; encrypting snapshots is also a layer of protecting stored account data (PCI DSS \
3.5.1), not the whole of it (unconfirmed).",
    controls: &[
        Control::security_hub("RDS.1"),
        Control::security_hub("RDS.4"),
        Control::checkov("CKV_AWS_146"),
        Control::checkov("CKV_AWS_302"),
        Control::pci_dss("7.2.1"),
        Control::soc2("CC6.1"),
    ],
    fix: "Remove `all` from shared_accounts (share with named account ids only), and take \
snapshots of encrypted clusters and instances (copy an unencrypted snapshot with a KMS key to \
encrypt it).",
    applies_to: &[SubjectKind::Snapshot],
    strictness: Strictness::Everywhere,
    check,
};

fn check(subject: &Subject, _context: &Context<'_>) -> Vec<Outcome> {
    let Some(snapshot) = subject.as_snapshot() else {
        return Vec::new();
    };
    let mut verdict = Verdict::new(RULE.id);
    match &snapshot.encryption_source {
        None => judge_own(&mut verdict, snapshot.storage_encrypted),
        Some(source) => judge_source(&mut verdict, source, snapshot.storage_encrypted),
    }
    match snapshot.shared_accounts.as_ref() {
        Fact::Known(accounts)
            if accounts
                .iter()
                .any(|a| a.trim().eq_ignore_ascii_case("all")) =>
        {
            verdict.fail(
                Severity::Error,
                at("shared_accounts"),
                "shared_accounts contains \"all\": the snapshot is public, so any AWS account can \
                 copy or restore it",
                "remove \"all\" from shared_accounts and list the account ids that need it",
            );
        }
        Fact::Known(_) | Fact::Absent => {}
        Fact::Unknown => verdict.unknown("shared_accounts"),
    }
    verdict.finish()
}

/// The encryption part from the snapshot's own `storage_encrypted`. Not set is not "off": the
/// setting follows a source the caller could not see, so it stays undecided.
fn judge_own(verdict: &mut Verdict, encrypted: Fact<bool>) {
    match encrypted {
        Fact::Known(true) => {}
        Fact::Known(false) => verdict.fail(
            Severity::Error,
            at("storage_encrypted"),
            "the snapshot is not encrypted, and neither is any copy or restore of it",
            "snapshot an encrypted cluster or instance, or copy the snapshot with a KMS key and \
             share the copy",
        ),
        Fact::Absent => verdict.undecided(
            at("storage_encrypted"),
            "whether the snapshot is encrypted is not stated and follows the cluster or instance \
             it is taken from, which is not in the plan",
        ),
        Fact::Unknown => verdict.undecided(
            at("storage_encrypted"),
            "whether the snapshot is encrypted is unknown until apply, and the cluster or \
             instance it is taken from is not in the plan",
        ),
    }
}

/// The encryption part when the snapshot takes it from a source resource in the same plan.
fn judge_source(verdict: &mut Verdict, source: &str, encrypted: Fact<bool>) {
    match encrypted {
        Fact::Known(true) => {}
        Fact::Known(false) | Fact::Absent => verdict.fail(
            Severity::Error,
            at("storage_encrypted"),
            format!(
                "the snapshot is taken from {source}, whose storage is not encrypted, so the \
                 snapshot and every copy or restore of it is not encrypted"
            ),
            format!(
                "encrypt {source} (storage_encrypted = true), or copy the snapshot with a KMS key \
                 and share the copy"
            ),
        ),
        Fact::Unknown => verdict.undecided(
            at("storage_encrypted"),
            format!(
                "the snapshot's encryption follows {source}, whose storage_encrypted is unknown \
                 until apply"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{failed_at, failures, in_tier, production, undecided};
    use crate::{SnapshotSubject, Tier};

    const PASS: Outcome = Outcome::Pass { rule: "G2" };

    fn evaluate(snapshot: SnapshotSubject, context: &Context<'_>) -> Vec<Outcome> {
        RULE.evaluate(&Subject::from(snapshot), context)
    }

    fn accounts(ids: &[&str]) -> Fact<Vec<String>> {
        Fact::Known(ids.iter().map(|id| (*id).to_owned()).collect())
    }

    fn good() -> SnapshotSubject {
        SnapshotSubject::new()
            .with_storage_encrypted(Fact::Known(true))
            .with_shared_accounts(accounts(&["111122223333"]))
    }

    #[test]
    fn passes_an_encrypted_snapshot_shared_with_named_accounts_or_none() {
        assert_eq!(evaluate(good(), &production()), [PASS]);
        let private = good().with_shared_accounts(Fact::Absent);
        assert_eq!(evaluate(private, &production()), [PASS]);
        let joined = good().with_source_encryption("aws_rds_cluster.main", Fact::Known(true));
        assert_eq!(evaluate(joined, &production()), [PASS]);
    }

    #[test]
    fn a_public_snapshot_is_an_error_in_every_tier() {
        for tier in [Tier::Production, Tier::Development] {
            let public = good().with_shared_accounts(accounts(&["111122223333", "ALL"]));
            let found = failures(&evaluate(public, &in_tier(tier)));
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].attribute.to_string(), "shared_accounts");
            assert_eq!(found[0].severity, Severity::Error);
            assert!(found[0].message.contains("public"), "{}", found[0].message);
        }
    }

    #[test]
    fn an_unencrypted_snapshot_fails_at_storage_encrypted() {
        let plain = good().with_storage_encrypted(Fact::Known(false));
        let outcomes = evaluate(plain, &in_tier(Tier::Staging));
        assert_eq!(failed_at(&outcomes), ["storage_encrypted"]);
        assert_eq!(failures(&outcomes)[0].severity, Severity::Error);
    }

    #[test]
    fn an_unencrypted_source_fails_and_names_the_source() {
        for fact in [Fact::Known(false), Fact::Absent] {
            let joined = good().with_source_encryption("aws_rds_cluster.main", fact);
            let found = failures(&evaluate(joined, &production()));
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].attribute.to_string(), "storage_encrypted");
            assert!(
                found[0].message.contains("aws_rds_cluster.main"),
                "{}",
                found[0].message
            );
        }
    }

    #[test]
    fn unknown_values_are_undecided_never_passed() {
        let unknown = SnapshotSubject::new();
        let outcomes = evaluate(unknown, &production());
        assert_eq!(
            undecided(&outcomes),
            ["storage_encrypted", "shared_accounts"]
        );
        assert!(failures(&outcomes).is_empty());

        let joined = good().with_source_encryption("aws_rds_cluster.main", Fact::Unknown);
        let outcomes = evaluate(joined, &production());
        assert_eq!(undecided(&outcomes), ["storage_encrypted"]);
        assert!(!outcomes.iter().any(|o| matches!(o, Outcome::Pass { .. })));
    }

    #[test]
    fn an_unset_own_setting_without_a_source_is_undecided_not_unencrypted() {
        let unset = good().with_storage_encrypted(Fact::Absent);
        let outcomes = evaluate(unset, &production());
        assert_eq!(undecided(&outcomes), ["storage_encrypted"]);
        assert!(failures(&outcomes).is_empty());
    }

    #[test]
    fn does_not_apply_to_clusters() {
        let cluster = crate::testing::dbrail_cluster();
        assert!(
            RULE.evaluate(&Subject::from(cluster), &production())
                .is_empty()
        );
    }
}
