//! DB-LOG-STATEMENT: PostgreSQL must never log every statement.
//!
//! Kept apart from G9 on purpose: it guards against secrets in logs, not missing audit records,
//! so a waiver of G9 (say, a sandbox without audit requirements) must not silence it, and it is
//! strict in every tier while G9 relaxes below production.

use crate::guardrails::requirement::{self, Requirement};
use crate::{Context, Control, Engine, Outcome, Rule, Strictness, Subject, SubjectKind};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "DB-LOG-STATEMENT",
    title: "PostgreSQL does not log every statement",
    description: "\
Checks that an Aurora PostgreSQL parameter group (cluster or instance) does not set \
`log_statement = all`.

`all` writes the text of every statement to the PostgreSQL log, including passwords in \
`CREATE ROLE … PASSWORD` / `ALTER ROLE … PASSWORD` and card data in queries, and from there into \
CloudWatch Logs, where everyone allowed to read logs can see them. Audit records come from \
pgaudit instead (G9), which redacts passwords. `none`, `ddl` and `mod` pass; note that `ddl` and \
`mod` still log role statements verbatim, so set passwords through Secrets Manager or psql's \
`\\password`, which sends only a hash.

Not setting the parameter passes (the engine default is `none`). A value unknown until apply \
leaves the rule undecided.

**Strictness:** an error in every tier: a password logged in development is as exposed as one \
logged in production.",
    rationale: "Passwords and card data in logs are stored in clear text outside the database's \
access control; PCI DSS requires authentication factors to be unreadable in storage, and SOC 2 \
requires logical access to information to be restricted.",
    controls: &[
        Control::pci_dss("8.3.2"),
        Control::pci_dss("3.5.1"),
        Control::soc2("CC6.1"),
    ],
    fix: "Set log_statement to ddl (or none) and rely on pgaudit for audit records.",
    applies_to: &[
        SubjectKind::ClusterParameterGroup,
        SubjectKind::InstanceParameterGroup,
    ],
    strictness: Strictness::Everywhere,
    check,
};

/// What DB-LOG-STATEMENT requires.
pub(crate) const REQUIREMENTS: &[Requirement] = &[Requirement {
    rule: "DB-LOG-STATEMENT",
    engine: Engine::AuroraPostgresql,
    parameter: "log_statement",
    fix: "set log_statement = ddl",
    when_missing: None,
    accepts: not_all,
}];

fn check(subject: &Subject, _context: &Context<'_>) -> Vec<Outcome> {
    requirement::evaluate(RULE.id, REQUIREMENTS, subject)
}

fn not_all(value: &str) -> Result<(), String> {
    if value.trim().eq_ignore_ascii_case("all") {
        Err("every statement is logged, including passwords and query data".to_owned())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{cluster, date, evaluate_in, failures, instance, production, undecided};
    use crate::{Context, Fact, Severity, Tier, Waiver};

    const PG: &str = "aurora-postgresql17";
    const PASS: Outcome = Outcome::Pass {
        rule: "DB-LOG-STATEMENT",
    };

    #[test]
    fn passes_anything_but_all_and_absence() {
        for value in ["none", "ddl", "mod", "DDL"] {
            let group = instance(PG, &[("log_statement", value)]);
            assert_eq!(evaluate_in(&RULE, group, &production()), [PASS], "{value}");
        }
        assert_eq!(evaluate_in(&RULE, instance(PG, &[]), &production()), [PASS]);
    }

    #[test]
    fn fails_all_in_either_scope_and_every_tier() {
        let context = Context::new(Tier::Development, date("2025-01-01"));
        for group in [
            instance(PG, &[("log_statement", "ALL")]),
            cluster(PG, &[("log_statement", "all")]),
        ] {
            let found = failures(&evaluate_in(&RULE, group, &context));
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].severity, Severity::Error);
            assert_eq!(
                found[0].attribute.to_string(),
                "parameters[\"log_statement\"]"
            );
        }
    }

    #[test]
    fn unknown_is_undecided() {
        let group = instance(PG, &[]).with_parameter("log_statement", Fact::Unknown);
        assert_eq!(
            undecided(&evaluate_in(&RULE, group, &production())),
            ["parameters[\"log_statement\"]"]
        );
    }

    #[test]
    fn does_not_apply_to_mysql() {
        assert!(
            evaluate_in(
                &RULE,
                instance("aurora-mysql8.0", &[("log_statement", "all")]),
                &production()
            )
            .is_empty()
        );
    }

    #[test]
    fn a_g9_waiver_does_not_cover_it() {
        let waivers = [Waiver::new("G9", "sandbox", date("2030-01-01"))];
        let context = production().with_waivers(&waivers);
        let found = failures(&evaluate_in(
            &RULE,
            instance(PG, &[("log_statement", "all")]),
            &context,
        ));
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn a_valid_waiver_waives_and_an_expired_one_is_an_error() {
        let waivers = [Waiver::new(
            "DB-LOG-STATEMENT",
            "incident forensics, logs access-restricted",
            date("2025-06-07"),
        )];
        let group = || instance(PG, &[("log_statement", "all")]);
        let outcomes = evaluate_in(&RULE, group(), &production().with_waivers(&waivers));
        assert!(matches!(outcomes.as_slice(), [Outcome::Waived { .. }]));

        let later = Context::new(Tier::Production, date("2025-06-08")).with_waivers(&waivers);
        let found = failures(&evaluate_in(&RULE, group(), &later));
        assert_eq!(found.len(), 2);
        assert!(found[1].message.contains("expired on 2025-06-07"));
    }
}
