//! DB-IAM-WILDCARD: database access is granted on named users of named clusters, never on `*`.
//!
//! One rule for every place a wildcard can widen database access: IAM policy documents written
//! by hand (`aws_iam_policy` and friends, judged by the CI command) and `dbrail_access_role`'s
//! targets and trust (judged by the provider at plan time and by the CI command). A wildcard in
//! the user, the cluster resource id or a trusted principal turns one role into access to every
//! matching database or lets every matching identity assume it.

use crate::access::{AccessRoleSubject, IamPolicySubject, PolicyStatement};
use crate::guardrails::cluster::Verdict;
use crate::{
    AttrPath, Context, Control, Fact, Outcome, Rule, Severity, Strictness, Subject, SubjectKind,
};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "DB-IAM-WILDCARD",
    title: "Database access not granted on every database",
    description: "\
Checks IAM policy documents (`aws_iam_policy`, `aws_iam_role_policy`, `aws_iam_user_policy`, \
`aws_iam_group_policy`, each `inline_policy` of an `aws_iam_role`, and the `json` of \
`data.aws_iam_policy_document`) for an `Allow` statement \
granting `rds-db:connect`, `rds-db:*` or `rds:*` (or any `rds`/`rds-db` action with a wildcard) \
on `Resource: \"*\"`, or `rds-db:connect` on a `dbuser:*` resource. On `dbrail_access_role` it \
checks that no `cluster_resource_id`, `db_user`, trusted role ARN, trusted service or OIDC \
provider/subject contains `*` or `?`, and that the rendered policies grant nothing on `*` and \
trust no `*` principal. A value unknown until apply leaves the check undecided.

**Strictness:** an error in every tier: a wildcard grant is never needed to reach one database.",
    rationale: "A wildcard grant turns one leaked role into access to every database in the \
account, and a wildcard in a trust policy lets identities nobody reviewed assume the role; \
least privilege names the cluster resource id, the database user and each trusted principal.",
    controls: &[
        Control::pci_dss("7.2.1"),
        Control::pci_dss("7.2.2"),
        Control::soc2("CC6.1"),
        Control::soc2("CC6.3"),
    ],
    fix: "Name the resources: `arn:aws:rds-db:REGION:ACCOUNT:dbuser:CLUSTER_RESOURCE_ID/DB_USER` \
for rds-db:connect, the cluster ARN for rds: actions, and each principal allowed to assume a role.",
    applies_to: &[SubjectKind::IamPolicy, SubjectKind::AccessRole],
    strictness: Strictness::Everywhere,
    check,
};

fn check(subject: &Subject, _context: &Context<'_>) -> Vec<Outcome> {
    let mut verdict = Verdict::new(RULE.id);
    match subject {
        Subject::IamPolicy(policy) => judge_policy(policy, &mut verdict),
        Subject::AccessRole(role) => judge_role(role, &mut verdict),
        _ => return Vec::new(),
    }
    verdict.finish()
}

fn judge_policy(policy: &IamPolicySubject, verdict: &mut Verdict) {
    match &policy.statements {
        Fact::Known(statements) => {
            let grants = wildcard_grants(statements);
            if !grants.is_empty() {
                verdict.fail(
                    Severity::Error,
                    policy.attribute.clone(),
                    format!("the policy {}", grants.join("; ")),
                    RULE.fix,
                );
            }
        }
        Fact::Unknown => verdict.undecided(
            policy.attribute.clone(),
            format!("{} is unknown until apply", policy.attribute),
        ),
        Fact::Absent => {}
    }
}

fn judge_role(role: &AccessRoleSubject, verdict: &mut Verdict) {
    for target in &role.targets {
        for (name, fact) in [
            ("cluster_resource_id", &target.cluster_resource_id),
            ("db_user", &target.db_user),
        ] {
            let at = target.at.clone().attr(name);
            judge_value(
                verdict,
                at,
                fact,
                "the role could connect to every matching database user",
            );
        }
    }
    for source in &role.trust_sources {
        judge_value(
            verdict,
            source.at.clone(),
            &source.value,
            "every matching identity could assume the role",
        );
    }
    if let Fact::Known(statements) = &role.policy {
        let grants = wildcard_grants(statements);
        if !grants.is_empty() {
            verdict.fail(
                Severity::Error,
                AttrPath::attribute("policy_json"),
                format!("the role's policy {}", grants.join("; ")),
                RULE.fix,
            );
        }
    }
    if let Fact::Known(statements) = &role.trust_policy
        && statements
            .iter()
            .any(|s| s.allow && s.principals.iter().any(|p| p == "*" || p.ends_with(":*")))
    {
        verdict.fail(
            Severity::Error,
            AttrPath::root(),
            "the trust policy lets any principal assume the role",
            "name each role, service or OIDC subject that may assume it",
        );
    }
}

fn judge_value(verdict: &mut Verdict, at: AttrPath, fact: &Fact<String>, problem: &str) {
    match fact {
        Fact::Known(value) if is_wildcard(value) => verdict.fail(
            Severity::Error,
            at,
            format!("{value:?} contains a wildcard: {problem}"),
            "name the exact value; create one role (or one target) per database user",
        ),
        Fact::Unknown => {
            let reason = format!("{at} is unknown until apply");
            verdict.undecided(at, reason);
        }
        Fact::Known(_) | Fact::Absent => {}
    }
}

/// Whether an IAM string matches more than itself.
pub(crate) fn is_wildcard(value: &str) -> bool {
    value.contains('*') || value.contains('?')
}

fn database_action(action: &str) -> bool {
    let action = action.to_ascii_lowercase();
    action == "rds-db:connect"
        || action == "*"
        || ((action.starts_with("rds:") || action.starts_with("rds-db:")) && action.contains('*'))
}

fn wildcard_resource(resource: &str, action: &str) -> bool {
    resource == "*"
        || (action.eq_ignore_ascii_case("rds-db:connect")
            && resource
                .split_once(":dbuser:")
                .is_some_and(|(_, rest)| is_wildcard(rest)))
}

/// The wildcard database grants among `statements`, as messages.
pub(crate) fn wildcard_grants(statements: &[PolicyStatement]) -> Vec<String> {
    let mut grants = Vec::new();
    for statement in statements.iter().filter(|s| s.allow) {
        for action in statement.actions.iter().filter(|a| database_action(a)) {
            for resource in &statement.resources {
                if wildcard_resource(resource, action) {
                    grants.push(format!("allows {action} on {resource}"));
                }
            }
        }
    }
    grants
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{AccessTarget, AccessTier, TrustSource};
    use crate::testing::{failed_at, production, undecided};

    fn policy(statements: Vec<PolicyStatement>) -> Subject {
        Subject::IamPolicy(IamPolicySubject::new(
            AttrPath::attribute("policy"),
            Fact::Known(statements),
        ))
    }

    #[test]
    fn finds_wildcard_database_grants() {
        let bad = [
            PolicyStatement::allow(&["rds-db:connect"], &["*"]),
            PolicyStatement::allow(&["rds:*"], &["*"]),
            PolicyStatement::allow(&["*"], &["*"]),
            PolicyStatement::allow(
                &["rds-db:connect"],
                &["arn:aws:rds-db:eu-west-1:1:dbuser:*/*"],
            ),
            PolicyStatement::allow(
                &["rds-db:connect"],
                &["arn:aws:rds-db:eu-west-1:1:dbuser:cluster-ABC/app*"],
            ),
        ];
        for statement in bad {
            let outcomes = RULE.evaluate(&policy(vec![statement.clone()]), &production());
            assert_eq!(failed_at(&outcomes), ["policy"], "{statement:?}");
        }
        let good = PolicyStatement::allow(
            &["rds-db:connect"],
            &["arn:aws:rds-db:eu-west-1:1:dbuser:cluster-ABC/app"],
        );
        let mut deny = PolicyStatement::allow(&["rds:*"], &["*"]);
        deny.allow = false;
        let other = PolicyStatement::allow(&["s3:*"], &["*"]);
        let outcomes = RULE.evaluate(&policy(vec![good, deny, other]), &production());
        assert_eq!(outcomes, [Outcome::Pass { rule: RULE.id }]);
    }

    #[test]
    fn an_unknown_document_is_undecided() {
        let subject = Subject::IamPolicy(IamPolicySubject::new(
            AttrPath::attribute("json"),
            Fact::Unknown,
        ));
        assert_eq!(undecided(&RULE.evaluate(&subject, &production())), ["json"]);
    }

    fn known(text: &str) -> Fact<String> {
        Fact::Known(text.to_owned())
    }

    #[test]
    fn wildcards_in_a_role_are_named_by_attribute() {
        let role = AccessRoleSubject::new(Fact::Known(AccessTier::ReadOnly))
            .with_target(AccessTarget {
                at: AttrPath::root(),
                cluster_resource_id: known("cluster-ABC"),
                db_user: known("*"),
            })
            .with_target(AccessTarget {
                at: AttrPath::attribute("target").index(1),
                cluster_resource_id: known("cluster-*"),
                db_user: Fact::Unknown,
            })
            .with_trust_source(TrustSource {
                at: AttrPath::attribute("oidc").index(0).attr("subject"),
                value: known("system:serviceaccount:payments:*"),
                can_present_mfa: false,
            });
        let outcomes = RULE.evaluate(&Subject::AccessRole(role), &production());
        assert_eq!(
            failed_at(&outcomes),
            [
                "db_user",
                "target[1].cluster_resource_id",
                "oidc[0].subject"
            ]
        );
        assert_eq!(undecided(&outcomes), ["target[1].db_user"]);
    }
}
