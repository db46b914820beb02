//! G5: IAM database authentication.
//!
//! Turning IAM authentication on does not stop password logins; it makes short-lived, audited,
//! role-bound tokens available so applications and people need no long-lived database password.
//! It costs nothing and changes in place, so it is required in every tier.

use crate::guardrails::cluster::{self, Switch, Verdict, at};
use crate::{
    Context, Control, Fact, Outcome, ProxySubject, Rule, Severity, Strictness, Subject, SubjectKind,
};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "G5",
    title: "IAM database authentication",
    description: "\
Checks that an Aurora cluster has IAM database authentication on (`iam_database_authentication = \
true`; `iam_database_authentication_enabled` in `aws_rds_cluster`), so database users can log in \
with 15-minute tokens issued to IAM roles (`rds-db:connect`) instead of stored passwords.

Unset fails: AWS leaves it off by default. A value unknown until apply leaves the rule undecided. \
The rule cannot see whether database users are actually granted `rds_iam` (PostgreSQL) or created \
`IDENTIFIED WITH AWSAuthenticationPlugin` (MySQL).

On an RDS Proxy (`aws_db_proxy`), clients authenticate to the proxy, so the proxy must require \
IAM: every `auth` block needs `iam_auth = \"REQUIRED\"` (`DISABLED`, `ENABLED` or unset fails at \
`auth[i].iam_auth`: AWS does not require IAM by default). A proxy without `auth` blocks passes \
only with `default_auth_scheme = \"IAM_AUTH\"` (end-to-end IAM authentication).

**Strictness:** an error in every tier: it is free, changes in place, and lets every environment \
use the same password-free access path.",
    rationale: "Long-lived database passwords end up in configuration files, CI variables and \
laptops, and are rarely rotated. IAM tokens expire in 15 minutes, are issued only to \
authenticated IAM principals under their policies, and every issue is recorded in CloudTrail, \
which supports SOC 2's logical access controls. It also serves PCI DSS 8.2.1 and 8.3.1 (unique, \
authenticated identities) (unconfirmed).",
    controls: &[
        Control::security_hub("RDS.12"),
        Control::security_hub("RDS.10"),
        Control::checkov("CKV_AWS_162"),
        Control::checkov("CKV_AWS_161"),
        Control::trivy("AVD-AWS-0176"),
        Control::soc2("CC6.1"),
    ],
    fix: "Set iam_database_authentication = true and grant database users rds_iam (PostgreSQL) or \
create them IDENTIFIED WITH AWSAuthenticationPlugin (MySQL). On an RDS Proxy, set iam_auth = \
\"REQUIRED\" in every auth block.",
    applies_to: &[SubjectKind::Cluster, SubjectKind::Proxy],
    strictness: Strictness::Everywhere,
    check,
};

fn check(subject: &Subject, _context: &Context<'_>) -> Vec<Outcome> {
    if let Some(proxy) = subject.as_proxy() {
        return check_proxy(proxy);
    }
    let Some(cluster) = cluster::subject(subject) else {
        return Vec::new();
    };
    let mut verdict = Verdict::new(RULE.id);
    Switch {
        attribute: "iam_database_authentication",
        fact: cluster.iam_database_authentication,
        wanted: true,
        when_unset: Some("AWS leaves IAM database authentication off by default"),
        severity: Severity::Error,
        problem: "database users can only log in with long-lived passwords",
        fix: "set iam_database_authentication = true",
    }
    .judge(&mut verdict);
    verdict.finish()
}

const PROXY_FIX: &str = "set iam_auth = \"REQUIRED\" in every auth block";

/// A proxy: every `auth` block must require IAM; without blocks, end-to-end IAM must be the
/// default scheme.
fn check_proxy(proxy: &ProxySubject) -> Vec<Outcome> {
    let mut verdict = Verdict::new(RULE.id);
    let blocks = match &proxy.auth {
        Fact::Known(blocks) => blocks.as_slice(),
        Fact::Absent => &[],
        Fact::Unknown => {
            verdict.unknown("auth");
            return verdict.finish();
        }
    };
    if blocks.is_empty() {
        match proxy.default_auth_scheme.as_deref() {
            Fact::Known(scheme) if scheme.trim().eq_ignore_ascii_case("IAM_AUTH") => {}
            Fact::Unknown => verdict.unknown("default_auth_scheme"),
            Fact::Known(_) | Fact::Absent => verdict.fail(
                Severity::Error,
                at("auth"),
                "no auth block requires IAM authentication and default_auth_scheme is not \
                 IAM_AUTH, so clients log in to the proxy with long-lived passwords",
                "add auth blocks with iam_auth = \"REQUIRED\", or set default_auth_scheme = \
                 \"IAM_AUTH\"",
            ),
        }
    }
    for (index, block) in blocks.iter().enumerate() {
        let path = at("auth").index(index).attr("iam_auth");
        match block.iam_auth.as_deref() {
            Fact::Known(mode) if mode.trim().eq_ignore_ascii_case("REQUIRED") => {}
            Fact::Known(mode) => verdict.fail(
                Severity::Error,
                path,
                format!(
                    "auth[{index}].iam_auth = {mode:?}: clients may log in to the proxy with \
                     long-lived passwords"
                ),
                PROXY_FIX,
            ),
            Fact::Absent => verdict.fail(
                Severity::Error,
                path,
                format!(
                    "auth[{index}].iam_auth is not set: AWS does not require IAM authentication \
                     on a proxy by default"
                ),
                PROXY_FIX,
            ),
            Fact::Unknown => verdict.undecided(
                path,
                format!("auth[{index}].iam_auth is unknown until apply"),
            ),
        }
    }
    verdict.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{
        dbrail_cluster, evaluate_cluster, failed_at, failures, in_tier, production, undecided,
    };
    use crate::{ProxyAuth, Tier};

    fn proxy(blocks: Fact<Vec<ProxyAuth>>, scheme: Fact<String>) -> Vec<Outcome> {
        let proxy = ProxySubject::new()
            .with_require_tls(Fact::Known(true))
            .with_auth(blocks)
            .with_default_auth_scheme(scheme);
        RULE.evaluate(&Subject::from(proxy), &in_tier(Tier::Development))
    }

    fn blocks(modes: &[Fact<&str>]) -> Fact<Vec<ProxyAuth>> {
        Fact::Known(
            modes
                .iter()
                .map(|mode| ProxyAuth::new(mode.map(str::to_owned)))
                .collect(),
        )
    }

    #[test]
    fn a_proxy_passes_when_every_auth_block_requires_iam() {
        let required = blocks(&[Fact::Known("REQUIRED"), Fact::Known("required")]);
        assert_eq!(
            proxy(required, Fact::Known("NONE".to_owned())),
            [Outcome::Pass { rule: "G5" }]
        );
        assert_eq!(
            proxy(Fact::Known(vec![]), Fact::Known("IAM_AUTH".to_owned())),
            [Outcome::Pass { rule: "G5" }]
        );
    }

    #[test]
    fn a_proxy_block_without_required_iam_is_an_error_in_every_tier() {
        let mixed = blocks(&[
            Fact::Known("REQUIRED"),
            Fact::Known("DISABLED"),
            Fact::Absent,
        ]);
        let outcomes = proxy(mixed, Fact::Absent);
        assert_eq!(
            failed_at(&outcomes),
            ["auth[1].iam_auth", "auth[2].iam_auth"]
        );
        assert!(
            failures(&outcomes)
                .iter()
                .all(|f| f.severity == Severity::Error)
        );
        let none = proxy(Fact::Absent, Fact::Known("NONE".to_owned()));
        assert_eq!(failed_at(&none), ["auth"]);
    }

    #[test]
    fn a_proxy_with_unknown_authentication_is_undecided() {
        let outcomes = proxy(Fact::Unknown, Fact::Absent);
        assert_eq!(undecided(&outcomes), ["auth"]);
        let outcomes = proxy(blocks(&[Fact::Unknown]), Fact::Absent);
        assert_eq!(undecided(&outcomes), ["auth[0].iam_auth"]);
        let outcomes = proxy(Fact::Known(vec![]), Fact::Unknown);
        assert_eq!(undecided(&outcomes), ["default_auth_scheme"]);
        assert!(failures(&outcomes).is_empty());
    }

    #[test]
    fn passes_with_iam_authentication() {
        assert_eq!(
            evaluate_cluster(&RULE, dbrail_cluster(), &production()),
            [Outcome::Pass { rule: "G5" }]
        );
    }

    #[test]
    fn off_or_unset_is_an_error_in_every_tier() {
        for fact in [Fact::Known(false), Fact::Absent] {
            let cluster = dbrail_cluster().with_iam_database_authentication(fact);
            let outcomes = evaluate_cluster(&RULE, cluster, &in_tier(Tier::Development));
            assert_eq!(failed_at(&outcomes), ["iam_database_authentication"]);
            assert_eq!(failures(&outcomes)[0].severity, Severity::Error);
        }
    }

    #[test]
    fn unknown_is_undecided() {
        let cluster = dbrail_cluster().with_iam_database_authentication(Fact::Unknown);
        let outcomes = evaluate_cluster(&RULE, cluster, &production());
        assert_eq!(undecided(&outcomes), ["iam_database_authentication"]);
        assert!(!outcomes.iter().any(|o| matches!(o, Outcome::Pass { .. })));
    }
}
