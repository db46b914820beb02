//! G9: engine audit logging, as the cluster parameter group configures it.

use std::collections::BTreeSet;

use crate::guardrails::requirement::{self, Requirement};
use crate::guardrails::values::items;
use crate::{Context, Control, Engine, Outcome, Rule, Strictness, Subject, SubjectKind};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "G9",
    title: "Engine audit logging",
    description: "\
Checks that an Aurora cluster parameter group turns on the engine's audit log and records at \
least logins (MySQL), privilege and role changes, and schema changes.

| Engine | Parameter | Must be |
|---|---|---|
| aurora-postgresql | `shared_preload_libraries` | includes `pgaudit` |
| aurora-postgresql | `pgaudit.log` | includes `ddl` and `role` (after `all` and `-class` exclusions); never `none` |
| aurora-mysql | `server_audit_logging` | `1` (or `ON`) |
| aurora-mysql | `server_audit_events` | includes `CONNECT`, `QUERY_DCL` and `QUERY_DDL` (`QUERY` covers both query classes) |

Systems that store, process or transmit card data should also record data changes: `write` in \
`pgaudit.log`, `QUERY_DML` in `server_audit_events`. The rule does not require it, because only \
the team knows which systems are in scope.

A parameter the group does not set fails (the engine defaults record nothing). A value unknown \
until apply leaves the rule undecided. Instance parameter groups are not checked, because these \
parameters live in the cluster parameter group. On PostgreSQL, `CREATE EXTENSION pgaudit` must \
also run in each audited database; a plan cannot show that. The audit records reach CloudWatch \
Logs only when the cluster exports its `postgresql` or `audit` log (G8).

On a cluster (`dbrail_cluster`, or `aws_rds_cluster` with the cluster parameter group it \
names), the same parameters are checked in the cluster's effective cluster parameter group and \
findings are reported at `parameter_baseline`, naming the parameter; a cluster whose group is not \
known leaves the rule undecided.

**Strictness:** an error in production; a warning in staging and development, where audit \
records of test data have little evidential value and cost log ingestion.",
    rationale: "Audit records are how a breach is investigated and how an auditor sees who changed \
what: PCI DSS requires audit logs to be enabled and active for all system components and to \
capture administrative actions, and SOC 2 expects monitoring of system components.",
    controls: &[
        Control::security_hub("RDS.45"),
        Control::checkov("CKV2_AWS_27"),
        Control::pci_dss("10.2.1"),
        Control::pci_dss("10.2.1.2"),
        Control::soc2("CC7.2"),
    ],
    fix: "Set the audit parameters in the cluster parameter group (PostgreSQL: add pgaudit to \
shared_preload_libraries and set pgaudit.log = ddl,role; MySQL: server_audit_logging = 1 and \
server_audit_events = CONNECT,QUERY_DCL,QUERY_DDL), or use a dbrail parameter group, whose \
baseline sets them.",
    applies_to: &[SubjectKind::ClusterParameterGroup, SubjectKind::Cluster],
    strictness: Strictness::WarnBelowProduction,
    check,
};

/// What G9 requires of each parameter.
pub(crate) const REQUIREMENTS: &[Requirement] = &[
    Requirement {
        rule: "G9",
        engine: Engine::AuroraPostgresql,
        parameter: "shared_preload_libraries",
        fix: "add pgaudit to shared_preload_libraries (a static parameter: it takes effect after \
a reboot)",
        when_missing: Some("pgaudit is not loaded, so nothing is audited"),
        accepts: loads_pgaudit,
    },
    Requirement {
        rule: "G9",
        engine: Engine::AuroraPostgresql,
        parameter: "pgaudit.log",
        fix: "set pgaudit.log = ddl,role (add write for systems that hold card data)",
        when_missing: Some("the default, none, records nothing"),
        accepts: pgaudit_classes,
    },
    Requirement {
        rule: "G9",
        engine: Engine::AuroraMysql,
        parameter: "server_audit_logging",
        fix: "set server_audit_logging = 1",
        when_missing: Some("the default leaves the audit log off"),
        accepts: mysql_audit_on,
    },
    Requirement {
        rule: "G9",
        engine: Engine::AuroraMysql,
        parameter: "server_audit_events",
        fix: "set server_audit_events = CONNECT,QUERY_DCL,QUERY_DDL (add QUERY_DML for systems \
that hold card data)",
        when_missing: Some("the audited events are left to the engine default"),
        accepts: mysql_audit_events,
    },
];

fn check(subject: &Subject, _context: &Context<'_>) -> Vec<Outcome> {
    requirement::evaluate(RULE.id, REQUIREMENTS, subject)
}

fn loads_pgaudit(value: &str) -> Result<(), String> {
    if items(value).iter().any(|library| library == "pgaudit") {
        Ok(())
    } else {
        Err("pgaudit is not loaded, so nothing is audited".to_owned())
    }
}

/// pgAudit's statement classes; `all` means every one of them.
const PGAUDIT_CLASSES: [&str; 7] = [
    "read", "write", "function", "role", "ddl", "misc", "misc_set",
];

fn pgaudit_classes(value: &str) -> Result<(), String> {
    let listed = items(value);
    if listed.iter().any(|item| item == "none") {
        return Err("none turns session audit logging off".to_owned());
    }
    let mut classes = BTreeSet::new();
    for item in &listed {
        let (exclude, class) = match item.strip_prefix('-') {
            Some(class) => (true, class.trim()),
            None => (false, item.as_str()),
        };
        let named: Vec<&str> = if class == "all" {
            PGAUDIT_CLASSES.to_vec()
        } else {
            vec![class]
        };
        for class in named {
            if exclude {
                classes.remove(class);
            } else {
                classes.insert(class);
            }
        }
    }
    let missing: Vec<&str> = ["ddl", "role"]
        .into_iter()
        .filter(|class| !classes.contains(class))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the {} class is not recorded",
            missing.join(" and ")
        ))
    }
}

fn mysql_audit_on(value: &str) -> Result<(), String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "on" => Ok(()),
        _ => Err("the audit log is off".to_owned()),
    }
}

fn mysql_audit_events(value: &str) -> Result<(), String> {
    let events = items(value);
    let has = |event: &str| events.iter().any(|listed| listed == event);
    let missing: Vec<&str> = ["connect", "query_dcl", "query_ddl"]
        .into_iter()
        .filter(|event| !(has(event) || (event.starts_with("query_") && has("query"))))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} is not recorded",
            missing
                .iter()
                .map(|event| event.to_ascii_uppercase())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{cluster, date, evaluate_in, failures, instance, production, undecided};
    use crate::{Context, Fact, Severity, Tier, Waiver};

    const PG: &str = "aurora-postgresql15";
    const MY: &str = "aurora-mysql8.0";

    fn good_postgres() -> crate::ParameterGroupSubject {
        cluster(
            PG,
            &[
                ("shared_preload_libraries", "pg_stat_statements,pgaudit"),
                ("pgaudit.log", "ddl,role"),
            ],
        )
    }

    fn good_mysql() -> crate::ParameterGroupSubject {
        cluster(
            MY,
            &[
                ("server_audit_logging", "1"),
                ("server_audit_events", "CONNECT,QUERY_DCL,QUERY_DDL"),
            ],
        )
    }

    const PASS: Outcome = Outcome::Pass { rule: "G9" };

    #[test]
    fn passes_postgres_with_pgaudit_recording_ddl_and_role() {
        assert_eq!(evaluate_in(&RULE, good_postgres(), &production()), [PASS]);
        for log in [
            "ddl,role,write",
            "all",
            "all,-misc",
            "DDL, ROLE",
            "'ddl','role'",
        ] {
            let group = good_postgres().with_parameter("pgaudit.log", Fact::Known(log.to_owned()));
            assert_eq!(evaluate_in(&RULE, group, &production()), [PASS], "{log}");
        }
    }

    #[test]
    fn passes_mysql_with_audit_on_and_required_events() {
        assert_eq!(evaluate_in(&RULE, good_mysql(), &production()), [PASS]);
        let broad = cluster(
            MY,
            &[
                ("server_audit_logging", "ON"),
                ("server_audit_events", "connect,query"),
            ],
        );
        assert_eq!(evaluate_in(&RULE, broad, &production()), [PASS]);
    }

    #[test]
    fn fails_postgres_without_pgaudit_loaded() {
        let group = good_postgres().with_parameter(
            "shared_preload_libraries",
            Fact::Known("pg_stat_statements".to_owned()),
        );
        let found = failures(&evaluate_in(&RULE, group, &production()));
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].attribute.to_string(),
            "parameters[\"shared_preload_libraries\"]"
        );
    }

    #[test]
    fn fails_postgres_logging_too_little() {
        for log in [
            "none",
            "ddl",
            "write,read",
            "all,-role",
            "ddl,role,none",
            "",
        ] {
            let group = good_postgres().with_parameter("pgaudit.log", Fact::Known(log.to_owned()));
            let found = failures(&evaluate_in(&RULE, group, &production()));
            assert_eq!(found.len(), 1, "{log}");
            assert_eq!(
                found[0].attribute.to_string(),
                "parameters[\"pgaudit.log\"]"
            );
        }
    }

    #[test]
    fn fails_mysql_with_audit_off_or_events_missing() {
        let group = cluster(
            MY,
            &[
                ("server_audit_logging", "0"),
                ("server_audit_events", "CONNECT"),
            ],
        );
        let found = failures(&evaluate_in(&RULE, group, &production()));
        assert_eq!(found.len(), 2);
        assert!(
            found[1].message.contains("QUERY_DCL, QUERY_DDL"),
            "{}",
            found[1].message
        );
    }

    #[test]
    fn fails_when_not_set() {
        assert_eq!(
            failures(&evaluate_in(&RULE, cluster(PG, &[]), &production())).len(),
            2
        );
        assert_eq!(
            failures(&evaluate_in(&RULE, cluster(MY, &[]), &production())).len(),
            2
        );
    }

    #[test]
    fn only_warns_below_production() {
        let group = || {
            cluster(
                MY,
                &[
                    ("server_audit_logging", "0"),
                    ("server_audit_events", "CONNECT,QUERY_DCL,QUERY_DDL"),
                ],
            )
        };
        for tier in [Tier::Staging, Tier::Development] {
            let context = Context::new(tier, date("2025-01-01"));
            let found = failures(&evaluate_in(&RULE, group(), &context));
            assert_eq!(found[0].severity, Severity::Warning, "{tier:?}");
        }
        assert_eq!(
            failures(&evaluate_in(&RULE, group(), &production()))[0].severity,
            Severity::Error
        );
    }

    #[test]
    fn unknown_values_are_undecided() {
        let group = good_mysql().with_parameter("server_audit_events", Fact::Unknown);
        let outcomes = evaluate_in(&RULE, group, &production());
        assert_eq!(
            undecided(&outcomes),
            ["parameters[\"server_audit_events\"]"]
        );
        assert!(failures(&outcomes).is_empty());
    }

    #[test]
    fn does_not_apply_to_instance_groups() {
        assert!(evaluate_in(&RULE, instance(PG, &[]), &production()).is_empty());
    }

    #[test]
    fn a_valid_waiver_waives_and_an_expired_one_is_an_error() {
        let waivers = [Waiver::new(
            "G9",
            "sandbox without audit requirements",
            date("2025-12-31"),
        )];
        let valid = production().with_waivers(&waivers);
        let outcomes = evaluate_in(&RULE, cluster(PG, &[]), &valid);
        assert_eq!(outcomes.len(), 2);
        assert!(
            outcomes
                .iter()
                .all(|o| matches!(o, Outcome::Waived { rule: "G9", .. }))
        );

        let expired = Context::new(Tier::Production, date("2026-01-01")).with_waivers(&waivers);
        let outcomes = evaluate_in(&RULE, good_postgres(), &expired);
        assert_eq!(outcomes[0], PASS);
        let found = failures(&outcomes);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found[0].message.contains("expired on 2025-12-31"));
    }
}
