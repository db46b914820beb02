//! DB-ACCESS-LEAST-PRIVILEGE: an access role holds exactly its one dbrail policy.
//!
//! The value of a per-(service, user, tier) role is that reading its one policy tells an
//! auditor everything it can do. Any other statement in it, or any policy attached beside it,
//! breaks that promise, so both are findings.

use crate::access::{AccessRoleSubject, AccessTier};
use crate::guardrails::cluster::Verdict;
use crate::{
    AttrPath, Context, Control, Fact, Outcome, Rule, Severity, Strictness, Subject, SubjectKind,
};

/// What a connecting role may do.
const CONNECT_ACTIONS: &[&str] = &["rds-db:connect"];
/// What a break-glass role may do.
const SECRET_ACTIONS: &[&str] = &[
    "secretsmanager:GetSecretValue",
    "secretsmanager:DescribeSecret",
];

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "DB-ACCESS-LEAST-PRIVILEGE",
    title: "Access roles grant only database login",
    description: "\
Checks that the permissions policy of a `dbrail_access_role` allows only `rds-db:connect` (tiers \
`read_only`, `read_write`, `migration`) or only `secretsmanager:GetSecretValue` and \
`secretsmanager:DescribeSecret` (tier `break_glass`), and that no other policy — an attached \
managed policy or another inline policy — sits on the role. Extra policies can only be seen in \
AWS, so the provider reports them when it refreshes the role, as a warning (a refresh cannot \
block); the next apply does not remove them, because they may belong to someone else.

**Strictness:** an error in every tier for the role's own policy; extra policies found on the \
role in AWS are a warning.",
    rationale: "A role that can do one thing is easy to review and safe to hand to one service. \
Policies attached out of band are invisible in the configuration that was reviewed, which is \
exactly the drift PCI DSS 7.2.4 (periodic review of access) and SOC 2 CC6.3 ask to catch.",
    controls: &[
        Control::pci_dss("7.2.1"),
        Control::pci_dss("7.2.4"),
        Control::soc2("CC6.3"),
    ],
    fix: "Detach the extra policy (or grant it through a separate role); keep each access role to \
its one dbrail policy.",
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
    match (&role.policy, role.tier) {
        (Fact::Known(statements), Fact::Known(tier)) => {
            let allowed = if tier == AccessTier::BreakGlass {
                SECRET_ACTIONS
            } else {
                CONNECT_ACTIONS
            };
            let extra: Vec<&str> = statements
                .iter()
                .filter(|s| s.allow)
                .flat_map(|s| s.actions.iter())
                .filter(|a| !allowed.iter().any(|ok| ok.eq_ignore_ascii_case(a)))
                .map(String::as_str)
                .collect();
            if !extra.is_empty() {
                verdict.fail(
                    Severity::Error,
                    AttrPath::attribute("policy_json"),
                    format!(
                        "the {} policy also allows {}",
                        tier.name(),
                        extra.join(", ")
                    ),
                    RULE.fix,
                );
            }
        }
        (Fact::Unknown, _) | (_, Fact::Unknown) => verdict.unknown("policy_json"),
        _ => {}
    }
    if let Fact::Known(extra) = &role.extra_policies
        && !extra.is_empty()
    {
        verdict.fail(
            Severity::Warning,
            AttrPath::root(),
            format!(
                "the role has policies dbrail did not put there: {}",
                extra.join(", ")
            ),
            RULE.fix,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::PolicyStatement;
    use crate::testing::{failed_at, failures, production};

    fn role(tier: AccessTier, actions: &[&str]) -> AccessRoleSubject {
        AccessRoleSubject::new(Fact::Known(tier)).with_policy(Fact::Known(vec![
            PolicyStatement::allow(actions, &["arn:x"]),
        ]))
    }

    #[test]
    fn each_tier_gets_only_its_actions() {
        let ok = Subject::AccessRole(role(AccessTier::ReadOnly, &["rds-db:connect"]));
        assert_eq!(
            RULE.evaluate(&ok, &production()),
            [Outcome::Pass { rule: RULE.id }]
        );
        let ok = Subject::AccessRole(role(AccessTier::BreakGlass, SECRET_ACTIONS));
        assert_eq!(
            RULE.evaluate(&ok, &production()),
            [Outcome::Pass { rule: RULE.id }]
        );
        let bad = Subject::AccessRole(role(
            AccessTier::ReadOnly,
            &["rds-db:connect", "s3:GetObject"],
        ));
        assert_eq!(
            failed_at(&RULE.evaluate(&bad, &production())),
            ["policy_json"]
        );
        let bad = Subject::AccessRole(role(AccessTier::BreakGlass, &["rds-db:connect"]));
        assert_eq!(
            failed_at(&RULE.evaluate(&bad, &production())),
            ["policy_json"]
        );
    }

    #[test]
    fn extra_policies_are_a_warning_on_the_role() {
        let subject = Subject::AccessRole(
            role(AccessTier::ReadOnly, &["rds-db:connect"]).with_extra_policies(Fact::Known(vec![
                "arn:aws:iam::aws:policy/AdministratorAccess".into(),
            ])),
        );
        let outcomes = RULE.evaluate(&subject, &production());
        let found = failures(&outcomes);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        assert!(found[0].message.contains("AdministratorAccess"));
    }
}
