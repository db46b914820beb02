//! DB-ACCESS-DB-USER: the database user an access role connects as is valid for the engine.
//!
//! The name must be the same string in the IAM resource ARN, the database catalogue and the
//! login; a name the engine rewrites or refuses would leave a role that cannot connect, and a
//! reserved name would grant IAM login to an account RDS or the master user owns. The checks
//! themselves live in [`crate::access::db_user`], which the provider's SQL generation shares.

use crate::access::{AccessRoleSubject, db_user};
use crate::guardrails::cluster::Verdict;
use crate::guardrails::iam_wildcard::is_wildcard;
use crate::{Context, Control, Fact, Outcome, Rule, Severity, Strictness, Subject, SubjectKind};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "DB-ACCESS-DB-USER",
    title: "Access role database users are valid and not reserved",
    description: "\
Checks each `db_user` of a `dbrail_access_role` (top level or in `target` blocks) against the \
engine's rules: ASCII letters, digits, `_` and `$`, starting with a letter or `_`; at most 63 \
bytes on Aurora PostgreSQL and 32 characters on Aurora MySQL; not a name RDS or the engine owns \
(`rdsadmin`, `rds_superuser`, `rds_iam`, `pg_*`, `mysql.sys`, ...) nor a usual master user \
name (`postgres`, `admin`, `root`). When the engine is not known both engines' rules apply. \
Wildcards are reported by DB-IAM-WILDCARD. A name unknown until apply leaves the rule undecided.

**Strictness:** an error in every tier.",
    rationale: "IAM authentication maps a token to a database user by exact name. A name that \
needs quoting differently per engine, exceeds the engine's length or belongs to an \
administrative account either breaks logins or hands administrative access to an application \
role.",
    controls: &[
        Control::pci_dss("7.2.2"),
        Control::pci_dss("8.2.2"),
        Control::soc2("CC6.1"),
    ],
    fix: "Use a dedicated, lower-case application user name such as orders_ro.",
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
    let engine = match role.engine {
        Fact::Known(engine) => Some(engine),
        Fact::Unknown | Fact::Absent => None,
    };
    for target in &role.targets {
        let at = target.at.clone().attr("db_user");
        match &target.db_user {
            Fact::Known(name) if is_wildcard(name) => {}
            Fact::Known(name) => {
                if let Err(problem) = db_user::validate(engine, name) {
                    verdict.fail(Severity::Error, at, problem, RULE.fix);
                }
            }
            Fact::Unknown => {
                let reason = format!("{at} is unknown until apply");
                verdict.undecided(at, reason);
            }
            Fact::Absent => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{AccessTarget, AccessTier};
    use crate::testing::{failed_at, production};
    use crate::{AttrPath, Engine};

    fn role(engine: Fact<Engine>, users: &[&str]) -> Subject {
        let mut role =
            AccessRoleSubject::new(Fact::Known(AccessTier::ReadWrite)).with_engine(engine);
        for (i, user) in users.iter().enumerate() {
            role = role.with_target(AccessTarget {
                at: AttrPath::attribute("target").index(i),
                cluster_resource_id: Fact::Known("cluster-ABC".to_owned()),
                db_user: Fact::Known((*user).to_owned()),
            });
        }
        Subject::AccessRole(role)
    }

    #[test]
    fn reserved_and_malformed_names_fail_on_their_target() {
        let outcomes = RULE.evaluate(
            &role(
                Fact::Known(Engine::AuroraPostgresql),
                &["orders", "postgres", "app-1", "*"],
            ),
            &production(),
        );
        assert_eq!(
            failed_at(&outcomes),
            ["target[1].db_user", "target[2].db_user"]
        );
    }

    #[test]
    fn the_engine_decides_what_is_reserved() {
        let outcomes = RULE.evaluate(
            &role(Fact::Known(Engine::AuroraMysql), &["postgres"]),
            &production(),
        );
        assert_eq!(outcomes, [Outcome::Pass { rule: RULE.id }]);
        let outcomes = RULE.evaluate(&role(Fact::Absent, &["postgres"]), &production());
        assert_eq!(failed_at(&outcomes), ["target[0].db_user"]);
    }
}
