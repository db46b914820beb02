//! G15: the admin user name and the port are not the well-known defaults.
//!
//! Credential-stuffing tools try `postgres`, `admin` and `root` first, so a default admin name
//! gives away half the credential. The name also cannot change without replacing the cluster, so
//! the first plan is the cheapest place to get it right: it is an error in every tier. A
//! non-default port only slows down untargeted scanning, and changing it breaks every client's
//! connection string, so the port part warns and never blocks.

use crate::guardrails::cluster::{self, Verdict, at};
use crate::{Context, Control, Fact, Outcome, Rule, Severity, Strictness, Subject, SubjectKind};

/// Admin user names tried first by attackers, or reserved by RDS (`rdsadmin`), in lower case.
const DEFAULT_NAMES: [&str; 6] = [
    "postgres",
    "admin",
    "administrator",
    "root",
    "rdsadmin",
    "master",
];

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "G15",
    title: "Non-default admin user name and port",
    description: "\
Checks that an Aurora cluster's master user is not named after a well-known default (`postgres`, \
`admin`, `administrator`, `root`, `rdsadmin`, `master`, in any case) and that it does not listen \
on the engine's default port (5432 for Aurora PostgreSQL, 3306 for Aurora MySQL).

An unset `port` means the engine default and warns. An unset `master_username` (a cluster \
restored from a snapshot inherits the snapshot's) leaves the name part undecided, as does a value \
unknown until apply; the port of a cluster of another engine is not checked.

**Strictness:** a default admin user name is an error in every tier: it cannot be changed without \
replacing the cluster, so the first plan is where to catch it. A default port is a warning in \
every tier: it only slows untargeted scans, and changing it breaks every client's connection \
string.",
    rationale: "A default admin name is half of the credential an attacker needs and the first one \
brute-force tools try; PCI DSS 2.2.2 on vendor default accounts points the same way \
(unconfirmed as a mapping for renamed accounts). A non-default port removes the database from \
the cheapest internet-wide scans, a small gain that Security Hub nevertheless reports (RDS.23).",
    controls: &[
        Control::security_hub("RDS.24"),
        Control::security_hub("RDS.23"),
    ],
    fix: "Choose a master_username that is not a default such as postgres or admin (forces \
replacement), and consider a port other than 5432/3306.",
    applies_to: &[SubjectKind::Cluster],
    strictness: Strictness::Everywhere,
    check,
};

fn check(subject: &Subject, _context: &Context<'_>) -> Vec<Outcome> {
    let Some(cluster) = cluster::subject(subject) else {
        return Vec::new();
    };
    let mut verdict = Verdict::new(RULE.id);
    match cluster.master_username.as_deref() {
        Fact::Known(name) if is_default_name(name) => verdict.fail(
            Severity::Error,
            at("master_username"),
            format!(
                "master_username = {name:?} is a well-known default, the first name brute-force \
                 tools try"
            ),
            "choose a master_username that is not a default (forces replacement)",
        ),
        Fact::Known(_) => {}
        Fact::Absent => verdict.undecided(
            at("master_username"),
            "master_username is not set in configuration (a cluster restored from a snapshot \
             inherits the snapshot's)",
        ),
        Fact::Unknown => verdict.unknown("master_username"),
    }
    if let Some(engine) = cluster::engine(&mut verdict, cluster, "port") {
        let default = engine.default_port();
        let fix = format!("choose a port other than {default}, and update every client");
        match cluster.port {
            Fact::Known(port) if port != default => {}
            Fact::Known(port) => verdict.fail(
                Severity::Warning,
                at("port"),
                format!("port = {port} is the {engine} default, the first port scanners probe"),
                fix,
            ),
            Fact::Absent => verdict.fail(
                Severity::Warning,
                at("port"),
                format!(
                    "port is not set, so the cluster listens on the {engine} default, {default}"
                ),
                fix,
            ),
            Fact::Unknown => verdict.unknown("port"),
        }
    }
    verdict.finish()
}

fn is_default_name(name: &str) -> bool {
    let name = name.trim();
    DEFAULT_NAMES
        .iter()
        .any(|default| default.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{
        dbrail_cluster, dbrail_mysql_cluster, evaluate_cluster, failed_at, failures, in_tier,
        production, undecided,
    };
    use crate::{ClusterSubject, Tier};

    const PASS: Outcome = Outcome::Pass { rule: "G15" };

    fn named(cluster: ClusterSubject, name: &str) -> ClusterSubject {
        cluster.with_master_username(Fact::Known(name.to_owned()))
    }

    #[test]
    fn passes_a_custom_name_on_a_custom_port() {
        assert_eq!(
            evaluate_cluster(&RULE, dbrail_cluster(), &production()),
            [PASS]
        );
        assert_eq!(
            evaluate_cluster(&RULE, dbrail_mysql_cluster(), &production()),
            [PASS]
        );
        // Another engine's default port is not this engine's default.
        let cluster = dbrail_cluster().with_port(Fact::Known(3306));
        assert_eq!(evaluate_cluster(&RULE, cluster, &production()), [PASS]);
    }

    #[test]
    fn a_default_name_is_an_error_in_every_tier() {
        for name in [
            "postgres",
            "Admin",
            " root ",
            "rdsadmin",
            "MASTER",
            "administrator",
        ] {
            let cluster = named(dbrail_cluster(), name);
            let outcomes = evaluate_cluster(&RULE, cluster, &in_tier(Tier::Development));
            assert_eq!(failed_at(&outcomes), ["master_username"], "{name}");
            assert_eq!(failures(&outcomes)[0].severity, Severity::Error);
        }
    }

    #[test]
    fn a_default_port_only_warns_even_in_production() {
        for (cluster, port) in [
            (dbrail_cluster(), Fact::Known(5432)),
            (dbrail_mysql_cluster(), Fact::Known(3306)),
            (dbrail_cluster(), Fact::Absent),
        ] {
            let cluster = cluster.with_port(port);
            let outcomes = evaluate_cluster(&RULE, cluster, &production());
            assert_eq!(failed_at(&outcomes), ["port"], "{port:?}");
            assert_eq!(failures(&outcomes)[0].severity, Severity::Warning);
            assert!(!outcomes.iter().any(Outcome::is_blocking));
        }
    }

    #[test]
    fn unknown_or_inherited_values_are_undecided() {
        let cluster = dbrail_cluster()
            .with_master_username(Fact::Unknown)
            .with_port(Fact::Unknown);
        assert_eq!(
            undecided(&evaluate_cluster(&RULE, cluster, &production())),
            ["master_username", "port"]
        );
        let cluster = dbrail_cluster().with_master_username(Fact::Absent);
        assert_eq!(
            undecided(&evaluate_cluster(&RULE, cluster, &production())),
            ["master_username"]
        );
    }

    #[test]
    fn the_port_of_another_engine_is_not_checked() {
        let mut cluster = dbrail_cluster().with_port(Fact::Absent);
        cluster.engine = Fact::Absent;
        assert_eq!(evaluate_cluster(&RULE, cluster, &production()), [PASS]);
    }
}
