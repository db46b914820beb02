//! G10: TLS required in transit, as the cluster parameter group enforces it.

use crate::guardrails::cluster::{Switch, Verdict};
use crate::guardrails::requirement::{self, Requirement};
use crate::guardrails::values::{is_modern_tls, is_on, items};
use crate::{Context, Control, Engine, Outcome, Rule, Severity, Strictness, Subject, SubjectKind};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "G10",
    title: "TLS required in transit",
    description: "\
Checks that an Aurora cluster parameter group makes the engine refuse connections without TLS \
and refuse TLS versions older than 1.2.

| Engine | Parameter | Must be |
|---|---|---|
| aurora-postgresql | `rds.force_ssl` | `1` |
| aurora-postgresql | `ssl_min_protocol_version` | `TLSv1.2` or `TLSv1.3` |
| aurora-mysql | `require_secure_transport` | `ON` (or `1`) |
| aurora-mysql | `tls_version` | only `TLSv1.2` and `TLSv1.3` |

A parameter the group does not set fails: an engine default is not evidence, and defaults differ \
between versions. A value unknown until apply leaves the rule undecided. Instance parameter groups \
are not checked, because these parameters live in the cluster parameter group. In dbrail parameter \
groups the baseline sets these parameters and locks them: an override may tighten them, never \
weaken them.

Security Hub RDS.38/RDS.39 and checkov CKV2_AWS_69 check standalone RDS instances only, so they \
do not see an Aurora cluster parameter group that allows plain-text connections.

On an RDS Proxy (`aws_db_proxy`, Security Hub RDS.43), clients connect to the proxy rather than \
the cluster, so the proxy must refuse plain-text connections itself: `require_tls = true`. Unset \
fails (AWS does not require TLS on a proxy by default); a value unknown until apply leaves the \
rule undecided.

On a cluster (`dbrail_cluster`, or `aws_rds_cluster` with the cluster parameter group it \
names), the same parameters are checked in the cluster's effective cluster parameter group and \
findings are reported at `parameter_baseline`, naming the parameter; a cluster whose group is not \
known leaves the rule undecided. No scanner answers this question for an Aurora cluster.

**Strictness:** an error in every tier. Requiring TLS costs nothing outside production, and \
non-production environments often receive copies of production data.",
    rationale: "Without TLS, credentials and query results, card data included, cross the network \
in clear text and can be read or altered by anyone on the path, and TLS versions before 1.2 have \
known weaknesses. PCI DSS requires strong cryptography wherever cardholder data crosses open \
networks; requiring TLS 1.2 on every connection leaves no network path to argue about.",
    controls: &[
        Control::security_hub("RDS.38"),
        Control::security_hub("RDS.39"),
        Control::security_hub("RDS.43"),
        Control::checkov("CKV2_AWS_69"),
        Control::pci_dss("4.2.1"),
        Control::soc2("CC6.7"),
    ],
    fix: "Set the TLS parameters in the cluster parameter group (PostgreSQL: rds.force_ssl = 1 and \
ssl_min_protocol_version = TLSv1.2; MySQL: require_secure_transport = ON and tls_version = \
TLSv1.2), or use a dbrail parameter group, whose baseline sets them. On an RDS Proxy, set \
require_tls = true.",
    applies_to: &[
        SubjectKind::ClusterParameterGroup,
        SubjectKind::Cluster,
        SubjectKind::Proxy,
    ],
    strictness: Strictness::Everywhere,
    check,
};

/// What G10 requires of each parameter.
pub(crate) const REQUIREMENTS: &[Requirement] = &[
    Requirement {
        rule: "G10",
        engine: Engine::AuroraPostgresql,
        parameter: "rds.force_ssl",
        fix: "set rds.force_ssl = 1",
        when_missing: Some(
            "the engine default is not guaranteed to refuse connections without TLS",
        ),
        accepts: postgres_force_ssl,
    },
    Requirement {
        rule: "G10",
        engine: Engine::AuroraPostgresql,
        parameter: "ssl_min_protocol_version",
        fix: "set ssl_min_protocol_version = TLSv1.2",
        when_missing: Some("the oldest accepted TLS version is left to the engine default"),
        accepts: minimum_tls_version,
    },
    Requirement {
        rule: "G10",
        engine: Engine::AuroraMysql,
        parameter: "require_secure_transport",
        fix: "set require_secure_transport = ON",
        when_missing: Some("the engine default (OFF) accepts connections without TLS"),
        accepts: mysql_require_secure_transport,
    },
    Requirement {
        rule: "G10",
        engine: Engine::AuroraMysql,
        parameter: "tls_version",
        fix: "set tls_version = TLSv1.2 (or TLSv1.2,TLSv1.3)",
        when_missing: Some("the accepted TLS versions are left to the engine default"),
        accepts: tls_versions,
    },
];

fn check(subject: &Subject, _context: &Context<'_>) -> Vec<Outcome> {
    if let Some(proxy) = subject.as_proxy() {
        let mut verdict = Verdict::new(RULE.id);
        Switch {
            attribute: "require_tls",
            fact: proxy.require_tls,
            wanted: true,
            when_unset: Some("AWS does not require TLS on a proxy by default"),
            severity: Severity::Error,
            problem: "clients may connect to the proxy without TLS",
            fix: "set require_tls = true",
        }
        .judge(&mut verdict);
        return verdict.finish();
    }
    requirement::evaluate(RULE.id, REQUIREMENTS, subject)
}

fn postgres_force_ssl(value: &str) -> Result<(), String> {
    if is_on(value) {
        Ok(())
    } else {
        Err("connections without TLS are accepted".to_owned())
    }
}

fn minimum_tls_version(value: &str) -> Result<(), String> {
    if is_modern_tls(value) {
        Ok(())
    } else {
        Err(
            "TLS versions older than 1.2 are accepted, or the value is not a TLS version"
                .to_owned(),
        )
    }
}

fn mysql_require_secure_transport(value: &str) -> Result<(), String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "on" => Ok(()),
        _ => Err("connections without TLS are accepted".to_owned()),
    }
}

fn tls_versions(value: &str) -> Result<(), String> {
    let versions = items(value);
    if versions.is_empty() {
        return Err("no TLS version is listed".to_owned());
    }
    let weak: Vec<&str> = versions
        .iter()
        .filter(|version| !is_modern_tls(version))
        .map(String::as_str)
        .collect();
    if weak.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} is older than TLS 1.2 or not a TLS version",
            weak.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{cluster, date, evaluate_in, failures, instance, production, undecided};
    use crate::{Fact, Severity, Tier, Waiver};

    const PG: &str = "aurora-postgresql16";
    const MY: &str = "aurora-mysql8.0";

    fn good_postgres() -> crate::ParameterGroupSubject {
        cluster(
            PG,
            &[
                ("rds.force_ssl", "1"),
                ("ssl_min_protocol_version", "TLSv1.2"),
            ],
        )
    }

    fn good_mysql() -> crate::ParameterGroupSubject {
        cluster(
            MY,
            &[
                ("require_secure_transport", "ON"),
                ("tls_version", "TLSv1.2,TLSv1.3"),
            ],
        )
    }

    #[test]
    fn passes_postgres_requiring_modern_tls() {
        assert_eq!(
            evaluate_in(&RULE, good_postgres(), &production()),
            vec![Outcome::Pass { rule: "G10" }]
        );
        let tls13 = cluster(
            PG,
            &[
                ("rds.force_ssl", "on"),
                ("ssl_min_protocol_version", "tlsv1.3"),
            ],
        );
        assert_eq!(
            evaluate_in(&RULE, tls13, &production()),
            vec![Outcome::Pass { rule: "G10" }]
        );
    }

    #[test]
    fn passes_mysql_requiring_modern_tls() {
        assert_eq!(
            evaluate_in(&RULE, good_mysql(), &production()),
            vec![Outcome::Pass { rule: "G10" }]
        );
        let numeric = cluster(
            MY,
            &[
                ("require_secure_transport", "1"),
                ("tls_version", "TLSv1.2"),
            ],
        );
        assert_eq!(
            evaluate_in(&RULE, numeric, &production()),
            vec![Outcome::Pass { rule: "G10" }]
        );
    }

    #[test]
    fn fails_postgres_without_forced_tls_at_the_parameter() {
        let group = cluster(
            PG,
            &[
                ("rds.force_ssl", "0"),
                ("ssl_min_protocol_version", "TLSv1.2"),
            ],
        );
        let found = failures(&evaluate_in(&RULE, group, &production()));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule_id, "G10");
        assert_eq!(found[0].severity, Severity::Error);
        assert_eq!(
            found[0].attribute.to_string(),
            "parameters[\"rds.force_ssl\"]"
        );
        assert!(found[0].message.contains("\"0\""), "{}", found[0].message);
        assert_eq!(found[0].fix, "set rds.force_ssl = 1");
    }

    #[test]
    fn fails_postgres_with_old_minimum_version() {
        for old in ["TLSv1", "TLSv1.1", "SSLv3"] {
            let group = cluster(
                PG,
                &[("rds.force_ssl", "1"), ("ssl_min_protocol_version", old)],
            );
            let found = failures(&evaluate_in(&RULE, group, &production()));
            assert_eq!(found.len(), 1, "{old}");
            assert_eq!(
                found[0].attribute.to_string(),
                "parameters[\"ssl_min_protocol_version\"]"
            );
        }
    }

    #[test]
    fn fails_when_parameters_are_not_set() {
        let found = failures(&evaluate_in(&RULE, cluster(PG, &[]), &production()));
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|f| f.message.contains("is not set")));

        let found = failures(&evaluate_in(&RULE, cluster(MY, &[]), &production()));
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn fails_mysql_without_secure_transport_or_with_old_versions() {
        let group = cluster(
            MY,
            &[
                ("require_secure_transport", "OFF"),
                ("tls_version", "TLSv1.1,TLSv1.2"),
            ],
        );
        let found = failures(&evaluate_in(&RULE, group, &production()));
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].attribute.to_string(),
            "parameters[\"require_secure_transport\"]"
        );
        assert_eq!(
            found[1].attribute.to_string(),
            "parameters[\"tls_version\"]"
        );
        assert!(found[1].message.contains("tlsv1.1"), "{}", found[1].message);

        let empty = cluster(
            MY,
            &[("require_secure_transport", "ON"), ("tls_version", " , ")],
        );
        assert_eq!(failures(&evaluate_in(&RULE, empty, &production())).len(), 1);
    }

    #[test]
    fn is_strict_in_every_tier() {
        let group = cluster(
            PG,
            &[
                ("rds.force_ssl", "0"),
                ("ssl_min_protocol_version", "TLSv1.2"),
            ],
        );
        let context = crate::Context::new(Tier::Development, date("2025-01-01"));
        let found = failures(&evaluate_in(&RULE, group, &context));
        assert_eq!(found[0].severity, Severity::Error);
    }

    #[test]
    fn unknown_values_are_undecided_not_passed() {
        let group = good_postgres().with_parameter("rds.force_ssl", Fact::Unknown);
        let outcomes = evaluate_in(&RULE, group, &production());
        assert_eq!(undecided(&outcomes), ["parameters[\"rds.force_ssl\"]"]);
        assert!(!outcomes.iter().any(|o| matches!(o, Outcome::Pass { .. })));
    }

    #[test]
    fn an_unknown_family_is_undecided() {
        let group = crate::ParameterGroupSubject::new(crate::Scope::Cluster, Fact::Unknown);
        assert_eq!(
            undecided(&evaluate_in(&RULE, group, &production())),
            ["family"]
        );
    }

    #[test]
    fn a_partially_known_parameter_set_leaves_missing_parameters_undecided() {
        let group = cluster(PG, &[("rds.force_ssl", "1")]).with_unknown_parameters();
        let outcomes = evaluate_in(&RULE, group, &production());
        assert_eq!(
            undecided(&outcomes),
            ["parameters[\"ssl_min_protocol_version\"]"]
        );
        assert!(failures(&outcomes).is_empty());
    }

    #[test]
    fn does_not_apply_to_instance_groups_or_other_engines() {
        assert!(
            evaluate_in(
                &RULE,
                instance(PG, &[("rds.force_ssl", "0")]),
                &production()
            )
            .is_empty()
        );
        assert!(evaluate_in(&RULE, cluster("postgres16", &[]), &production()).is_empty());
    }

    #[test]
    fn a_proxy_must_require_tls_in_every_tier() {
        let proxy = |fact| Subject::from(crate::ProxySubject::new().with_require_tls(fact));
        let development = crate::Context::new(Tier::Development, date("2025-01-01"));
        assert_eq!(
            RULE.evaluate(&proxy(Fact::Known(true)), &development),
            [Outcome::Pass { rule: "G10" }]
        );
        for fact in [Fact::Known(false), Fact::Absent] {
            let found = failures(&RULE.evaluate(&proxy(fact), &development));
            assert_eq!(found.len(), 1, "{fact:?}");
            assert_eq!(found[0].attribute.to_string(), "require_tls");
            assert_eq!(found[0].severity, Severity::Error);
        }
        let outcomes = RULE.evaluate(&proxy(Fact::Unknown), &production());
        assert_eq!(undecided(&outcomes), ["require_tls"]);
        assert!(failures(&outcomes).is_empty());
    }

    #[test]
    fn a_valid_waiver_waives_and_an_expired_one_is_an_error() {
        let group = || {
            cluster(
                MY,
                &[
                    ("require_secure_transport", "OFF"),
                    ("tls_version", "TLSv1.2"),
                ],
            )
        };
        let waivers = [Waiver::new(
            "G10",
            "legacy batch client, replaced by Q3",
            date("2025-09-30"),
        )];

        let valid = production().with_waivers(&waivers);
        let outcomes = evaluate_in(&RULE, group(), &valid);
        assert!(matches!(
            outcomes.as_slice(),
            [Outcome::Waived { rule: "G10", .. }]
        ));

        let later =
            crate::Context::new(Tier::Production, date("2025-10-01")).with_waivers(&waivers);
        let found = failures(&evaluate_in(&RULE, group(), &later));
        assert_eq!(found.len(), 2);
        assert!(found[1].message.contains("expired on 2025-09-30"));
        assert_eq!(found[1].rule_id, "G10");
    }
}
