//! DB-ACCESS-BOUNDARY: production access roles carry a permissions boundary.
//!
//! The role's own policy is narrow, but anyone who can attach policies to it can widen it. A
//! permissions boundary caps what the role can ever do, whatever is attached later, so a
//! production database role stays a database role.

use crate::access::AccessRoleSubject;
use crate::guardrails::cluster::Verdict;
use crate::{
    AttrPath, Context, Control, Fact, Outcome, Rule, Severity, Strictness, Subject, SubjectKind,
};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "DB-ACCESS-BOUNDARY",
    title: "Access roles have a permissions boundary",
    description: "\
Checks that a `dbrail_access_role` sets `permissions_boundary_arn` to an IAM policy ARN \
(`arn:PARTITION:iam::ACCOUNT:policy/NAME`). Unset fails. A value unknown until apply leaves the \
rule undecided.

**Strictness:** an error in production; a warning in staging and development.",
    rationale: "A boundary caps the role's effective permissions at the intersection of its \
policies and the boundary, so a policy attached out of band (by a compromised pipeline or a \
hurried operator) cannot turn a database login role into an administrator.",
    controls: &[
        Control::pci_dss("7.2.1"),
        Control::pci_dss("7.2.5"),
        Control::soc2("CC6.3"),
    ],
    fix: "Set permissions_boundary_arn to your organisation's boundary policy for database roles.",
    applies_to: &[SubjectKind::AccessRole],
    strictness: Strictness::WarnBelowProduction,
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
    let at = AttrPath::attribute("permissions_boundary_arn");
    match &role.permissions_boundary_arn {
        Fact::Known(arn) if is_policy_arn(arn) => {}
        Fact::Known(arn) => verdict.fail(
            Severity::Error,
            at,
            format!("{arn:?} is not an IAM policy ARN"),
            "use the ARN of a managed policy, arn:aws:iam::ACCOUNT:policy/NAME",
        ),
        Fact::Absent => verdict.fail(
            Severity::Error,
            at,
            "no permissions boundary: any policy attached later widens the role",
            RULE.fix,
        ),
        Fact::Unknown => verdict.unknown("permissions_boundary_arn"),
    }
}

fn is_policy_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    matches!(parts.as_slice(), ["arn", partition, "iam", "", account, resource]
        if !partition.is_empty()
            && (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) || *account == "aws")
            && resource.strip_prefix("policy/").is_some_and(|n| !n.is_empty() && !n.contains('*')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tier;
    use crate::access::AccessTier;
    use crate::testing::{failed_at, failures, in_tier, production, undecided};

    fn role(boundary: Fact<String>) -> Subject {
        Subject::AccessRole(
            AccessRoleSubject::new(Fact::Known(AccessTier::ReadOnly))
                .with_permissions_boundary_arn(boundary),
        )
    }

    #[test]
    fn a_policy_arn_passes() {
        let arn = "arn:aws:iam::111122223333:policy/db-boundary".to_owned();
        assert_eq!(
            RULE.evaluate(&role(Fact::Known(arn)), &production()),
            [Outcome::Pass { rule: RULE.id }]
        );
    }

    #[test]
    fn missing_fails_in_production_and_warns_below() {
        let outcomes = RULE.evaluate(&role(Fact::Absent), &production());
        assert_eq!(failed_at(&outcomes), ["permissions_boundary_arn"]);
        assert_eq!(failures(&outcomes)[0].severity, Severity::Error);
        let outcomes = RULE.evaluate(&role(Fact::Absent), &in_tier(Tier::Development));
        assert_eq!(failures(&outcomes)[0].severity, Severity::Warning);
    }

    #[test]
    fn a_non_policy_arn_fails_and_unknown_is_undecided() {
        for bad in [
            "arn:aws:iam::111122223333:role/x",
            "boundary",
            "arn:aws:iam::1:policy/*",
        ] {
            let outcomes = RULE.evaluate(&role(Fact::Known(bad.to_owned())), &production());
            assert_eq!(failed_at(&outcomes), ["permissions_boundary_arn"], "{bad}");
        }
        let outcomes = RULE.evaluate(&role(Fact::Unknown), &production());
        assert_eq!(undecided(&outcomes), ["permissions_boundary_arn"]);
    }
}
