//! G8: the engine's logs are exported to CloudWatch Logs.
//!
//! Logs that stay on the instance rotate away within days and disappear with the instance; only
//! exported logs can be retained for a year, searched and alarmed on. The logs that carry audit
//! records (`postgresql` with pgaudit, `audit` on MySQL) decide whether G9's audit trail leaves
//! the database at all, so they weigh like G9. MySQL's `error` and `slowquery` logs serve
//! operations rather than audit, so their absence only warns.

use crate::guardrails::cluster::{self, Verdict, at};
use crate::{
    Context, Control, Engine, Fact, Outcome, Rule, Severity, Strictness, Subject, SubjectKind,
};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "G8",
    title: "Logs exported to CloudWatch Logs",
    description: "\
Checks that an Aurora cluster exports its logs to CloudWatch Logs (`log_exports`; \
`enabled_cloudwatch_logs_exports` in `aws_rds_cluster`).

| Engine | Log | Carries | Missing is |
|---|---|---|---|
| aurora-postgresql | `postgresql` | pgaudit records, connections, DDL | an error in production, a warning below |
| aurora-mysql | `audit` | server audit records (logins, DCL, DDL) | an error in production, a warning below |
| aurora-mysql | `error` | startup, shutdown, errors | a warning in every tier |
| aurora-mysql | `slowquery` | slow statements | a warning in every tier |

Other log types may be exported as well. Unset exports nothing and fails. A value unknown until \
apply, or an engine unknown until apply, leaves the rule undecided; clusters of other engines are \
not checked. The log group's retention (PCI DSS 10.5.1: 12 months, 3 immediately available) is \
set on the CloudWatch log group, not the cluster, and is not checked here.

**Strictness:** an error in production; a warning in staging and development, like G9, whose \
audit records these logs carry. The MySQL `error` and `slowquery` logs are a warning in every \
tier: they help operations but hold no audit records.",
    rationale: "Audit records kept only on the instance rotate away within days and vanish with \
the instance; exported to CloudWatch Logs they are retained centrally, out of reach of the \
database's administrators, and can be alarmed on. PCI DSS requires audit logs to be enabled and \
promptly backed up to a central log store that is difficult to modify; SOC 2 expects system \
components monitored for anomalies.",
    controls: &[
        Control::security_hub("RDS.9"),
        Control::security_hub("RDS.34"),
        Control::security_hub("RDS.37"),
        Control::checkov("CKV_AWS_324"),
        Control::checkov("CKV_AWS_325"),
        Control::checkov("CKV_AWS_129"),
        Control::pci_dss("10.2.1"),
        Control::pci_dss("10.3.3"),
        Control::soc2("CC7.2"),
    ],
    fix: "Add the engine's logs to log_exports: postgresql for Aurora PostgreSQL; audit, error \
and slowquery for Aurora MySQL.",
    applies_to: &[SubjectKind::Cluster],
    strictness: Strictness::WarnBelowProduction,
    check,
};

/// A log an engine must export.
struct Required {
    engine: Engine,
    log: &'static str,
    /// Whether the log carries audit records (weighs like G9) or serves operations (warns).
    audit: bool,
}

const REQUIRED: &[Required] = &[
    Required {
        engine: Engine::AuroraPostgresql,
        log: "postgresql",
        audit: true,
    },
    Required {
        engine: Engine::AuroraMysql,
        log: "audit",
        audit: true,
    },
    Required {
        engine: Engine::AuroraMysql,
        log: "error",
        audit: false,
    },
    Required {
        engine: Engine::AuroraMysql,
        log: "slowquery",
        audit: false,
    },
];

/// The log types a cluster of `engine` must export for G8 to pass, audit-bearing logs first: the
/// default for `dbrail_cluster`'s `log_exports`.
pub fn required_log_exports(engine: Engine) -> impl Iterator<Item = &'static str> {
    REQUIRED
        .iter()
        .filter(move |r| r.engine == engine)
        .map(|r| r.log)
}

fn check(subject: &Subject, _context: &Context<'_>) -> Vec<Outcome> {
    let Some(cluster) = cluster::subject(subject) else {
        return Vec::new();
    };
    if cluster.engine.is_absent() {
        return Vec::new();
    }
    let mut verdict = Verdict::new(RULE.id);
    let Some(engine) = cluster::engine(&mut verdict, cluster, "log_exports") else {
        return verdict.finish();
    };
    let exported: &[String] = match &cluster.log_exports {
        Fact::Known(logs) => logs,
        Fact::Absent => &[],
        Fact::Unknown => {
            verdict.unknown("log_exports");
            return verdict.finish();
        }
    };
    let shown = if exported.is_empty() {
        "log_exports exports nothing".to_owned()
    } else {
        format!("log_exports = {exported:?}")
    };
    for audit in [true, false] {
        let missing: Vec<&str> = REQUIRED
            .iter()
            .filter(|r| r.engine == engine && r.audit == audit)
            .map(|r| r.log)
            .filter(|log| !exported.iter().any(|e| e.trim().eq_ignore_ascii_case(log)))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let list = missing.join(", ");
        let (severity, consequence) = if audit {
            (
                Severity::Error,
                "the engine's audit records stay on the instance, where they rotate away and \
                 vanish with it",
            )
        } else {
            (
                Severity::Warning,
                "errors and slow statements stay on the instance, out of reach of alarms",
            )
        };
        verdict.fail(
            severity,
            at("log_exports"),
            format!("{shown}, without {list}: {consequence}"),
            format!("add {list} to log_exports"),
        );
    }
    verdict.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{
        dbrail_cluster, dbrail_mysql_cluster, evaluate_cluster, failed_at, failures, in_tier,
        production, undecided,
    };
    use crate::{ClusterSubject, Tier};

    const PASS: Outcome = Outcome::Pass { rule: "G8" };

    fn exporting(cluster: ClusterSubject, logs: &[&str]) -> ClusterSubject {
        cluster.with_log_exports(Fact::Known(logs.iter().map(|l| (*l).to_owned()).collect()))
    }

    #[test]
    fn passes_with_the_engine_logs_exported() {
        assert_eq!(
            evaluate_cluster(&RULE, dbrail_cluster(), &production()),
            [PASS]
        );
        assert_eq!(
            evaluate_cluster(&RULE, dbrail_mysql_cluster(), &production()),
            [PASS]
        );
        let more = exporting(
            dbrail_mysql_cluster(),
            &[
                "general",
                "SlowQuery",
                "audit",
                "error",
                "iam-db-auth-error",
            ],
        );
        assert_eq!(evaluate_cluster(&RULE, more, &production()), [PASS]);
    }

    #[test]
    fn postgres_without_its_log_fails() {
        for cluster in [
            exporting(dbrail_cluster(), &["instance"]),
            dbrail_cluster().with_log_exports(Fact::Absent),
        ] {
            let outcomes = evaluate_cluster(&RULE, cluster, &production());
            assert_eq!(failed_at(&outcomes), ["log_exports"]);
            let found = failures(&outcomes);
            assert_eq!(found[0].severity, Severity::Error);
            assert!(
                found[0].message.contains("without postgresql"),
                "{}",
                found[0].message
            );
        }
    }

    #[test]
    fn mysql_without_audit_is_an_error_and_without_operational_logs_a_warning() {
        let outcomes =
            evaluate_cluster(&RULE, exporting(dbrail_mysql_cluster(), &[]), &production());
        let found = failures(&outcomes);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found[0].message.contains("without audit"));
        assert_eq!(found[1].severity, Severity::Warning);
        assert!(
            found[1].message.contains("without error, slowquery"),
            "{}",
            found[1].message
        );

        let audit_only = exporting(dbrail_mysql_cluster(), &["audit"]);
        let found = failures(&evaluate_cluster(&RULE, audit_only, &production()));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
    }

    #[test]
    fn the_audit_log_only_warns_below_production() {
        let cluster = || exporting(dbrail_cluster(), &[]);
        for tier in [Tier::Staging, Tier::Development] {
            let found = failures(&evaluate_cluster(&RULE, cluster(), &in_tier(tier)));
            assert_eq!(found[0].severity, Severity::Warning, "{tier:?}");
        }
    }

    #[test]
    fn unknown_exports_or_engine_are_undecided() {
        let cluster = dbrail_cluster().with_log_exports(Fact::Unknown);
        assert_eq!(
            undecided(&evaluate_cluster(&RULE, cluster, &production())),
            ["log_exports"]
        );

        let mut cluster = dbrail_cluster();
        cluster.engine = Fact::Unknown;
        let outcomes = evaluate_cluster(&RULE, cluster, &production());
        assert_eq!(undecided(&outcomes), ["log_exports"]);
        assert!(!outcomes.contains(&PASS));
    }

    #[test]
    fn other_engines_are_not_checked() {
        let mut cluster = dbrail_cluster().with_log_exports(Fact::Absent);
        cluster.engine = Fact::Absent;
        assert!(evaluate_cluster(&RULE, cluster, &production()).is_empty());
    }

    #[test]
    fn lists_required_logs_per_engine() {
        assert_eq!(
            required_log_exports(Engine::AuroraMysql).collect::<Vec<_>>(),
            ["audit", "error", "slowquery"]
        );
        assert_eq!(
            required_log_exports(Engine::AuroraPostgresql).collect::<Vec<_>>(),
            ["postgresql"]
        );
    }
}
