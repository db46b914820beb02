//! DB-ACCESS-MFA: break-glass roles can only be assumed with MFA.
//!
//! A break-glass role reads the cluster's master secret: full control of the database. It is
//! meant for people in an emergency, so its trust policy requires `aws:MultiFactorAuthPresent`,
//! and principals that cannot present MFA (AWS services, OIDC web identities) may not assume it.

use crate::access::{AccessRoleSubject, AccessTier};
use crate::guardrails::cluster::Verdict;
use crate::{
    AttrPath, Context, Control, Fact, Outcome, Rule, Severity, Strictness, Subject, SubjectKind,
};

/// The condition key that proves MFA.
pub(crate) const MFA_KEY: &str = "aws:MultiFactorAuthPresent";

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "DB-ACCESS-MFA",
    title: "Break-glass access requires MFA",
    description: "\
Checks that a `dbrail_access_role` of tier `break_glass` is trusted only by IAM roles (not \
`trusted_services`, not `oidc`), and that every `Allow` statement of its trust policy has the \
condition `Bool` `aws:MultiFactorAuthPresent` = `true`. Roles of other tiers pass. A tier or \
principal unknown until apply leaves the rule undecided.

**Strictness:** an error in every tier.",
    rationale: "The master secret is the one credential that bypasses every database-level \
control; requiring a second factor at role assumption keeps a leaked access key or a CI token \
from reaching it. PCI DSS requires MFA for all access into the cardholder data environment.",
    controls: &[
        Control::pci_dss("8.4.2"),
        Control::pci_dss("8.4.3"),
        Control::soc2("CC6.1"),
    ],
    fix: "Trust only the IAM roles of the people on call (trusted_role_arns); dbrail adds the MFA \
condition to the trust policy.",
    applies_to: &[SubjectKind::AccessRole],
    strictness: Strictness::Everywhere,
    check,
};

fn check(subject: &Subject, _context: &Context<'_>) -> Vec<Outcome> {
    let Subject::AccessRole(role) = subject else {
        return Vec::new();
    };
    let mut verdict = Verdict::new(RULE.id);
    judge(role, &mut verdict);
    verdict.finish()
}

fn judge(role: &AccessRoleSubject, verdict: &mut Verdict) {
    match role.tier {
        Fact::Known(AccessTier::BreakGlass) => {}
        Fact::Known(_) | Fact::Absent => return,
        Fact::Unknown => return verdict.unknown("tier"),
    }
    for source in role.trust_sources.iter().filter(|s| !s.can_present_mfa) {
        verdict.fail(
            Severity::Error,
            source.at.clone(),
            "break_glass roles may only be assumed by IAM roles, which can present MFA; services \
             and web identities cannot",
            "remove it; trust only the on-call people's roles in trusted_role_arns",
        );
    }
    match &role.trust_policy {
        Fact::Known(statements) => {
            if statements
                .iter()
                .any(|s| s.allow && !s.requires_true(MFA_KEY))
            {
                verdict.fail(
                    Severity::Error,
                    AttrPath::attribute("tier"),
                    format!("the trust policy lets the role be assumed without {MFA_KEY}"),
                    RULE.fix,
                );
            }
        }
        Fact::Unknown => verdict.undecided(
            AttrPath::attribute("trusted_role_arns"),
            "the trust policy is unknown until apply",
        ),
        Fact::Absent => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{PolicyCondition, PolicyStatement, TrustSource};
    use crate::testing::{failed_at, production};

    fn trust(mfa: bool) -> Vec<PolicyStatement> {
        let mut statement = PolicyStatement::allow(&["sts:AssumeRole"], &[]);
        statement.principals = vec!["AWS:arn:aws:iam::111122223333:role/oncall".into()];
        if mfa {
            statement.conditions.push(PolicyCondition {
                operator: "Bool".into(),
                key: MFA_KEY.into(),
                values: vec!["true".into()],
            });
        }
        vec![statement]
    }

    fn role(tier: AccessTier, mfa: bool) -> AccessRoleSubject {
        AccessRoleSubject::new(Fact::Known(tier)).with_trust_policy(Fact::Known(trust(mfa)))
    }

    #[test]
    fn break_glass_needs_mfa_in_its_trust_policy() {
        let ok = Subject::AccessRole(role(AccessTier::BreakGlass, true));
        assert_eq!(
            RULE.evaluate(&ok, &production()),
            [Outcome::Pass { rule: RULE.id }]
        );
        let bad = Subject::AccessRole(role(AccessTier::BreakGlass, false));
        assert_eq!(failed_at(&RULE.evaluate(&bad, &production())), ["tier"]);
        let other = Subject::AccessRole(role(AccessTier::ReadWrite, false));
        assert_eq!(
            RULE.evaluate(&other, &production()),
            [Outcome::Pass { rule: RULE.id }]
        );
    }

    #[test]
    fn break_glass_cannot_trust_services_or_web_identities() {
        let subject = Subject::AccessRole(role(AccessTier::BreakGlass, true).with_trust_source(
            TrustSource {
                at: AttrPath::attribute("trusted_services").index(0),
                value: Fact::Known("ec2.amazonaws.com".into()),
                can_present_mfa: false,
            },
        ));
        assert_eq!(
            failed_at(&RULE.evaluate(&subject, &production())),
            ["trusted_services[0]"]
        );
    }
}
