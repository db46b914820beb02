//! G11: automatic minor version upgrades, and a supported engine major version.
//!
//! Minor versions carry the security fixes; applying them automatically in the maintenance window
//! is how a fleet stays patched. (dbrail pins only the major version and accepts the minor AWS
//! applied, so automatic upgrades no longer cause the engine_version drift users of the AWS
//! provider fight.) A major version past the end of standard support gets no fixes except under
//! paid Extended Support, and dbrail has no parameter baseline for it; the supported majors are
//! exactly the families of [`baseline::families`](crate::baseline::families), so G11 and the
//! baseline cannot disagree.

use crate::baseline::{excluded_families, families};
use crate::guardrails::cluster::{self, Switch, Verdict, at, production_error};
use crate::{
    Context, Control, Engine, Fact, Outcome, Rule, Severity, Strictness, Subject, SubjectKind,
};

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "G11",
    title: "Automatic minor version upgrades on a supported major version",
    description: "\
Checks that an Aurora cluster applies minor version upgrades automatically \
(`auto_minor_version_upgrade = true`; on every `aws_rds_cluster_instance` for `aws_rds_cluster`) \
and runs a major version dbrail supports: Aurora PostgreSQL 13–17, Aurora MySQL 8.0 and 8.4 (the \
families of dbrail's parameter baselines).

`engine_version` may name a major (`16`, `8.0`) or an exact version (`16.4`, \
`8.0.mysql_aurora.3.05.2`); the major is read from it. Aurora PostgreSQL 11 and 12 and Aurora \
MySQL 5.7 are past the end of standard support and run only under paid Extended Support; a major \
newer than dbrail's baselines fails until dbrail supports it. Unset `engine_version` passes (AWS \
picks its current default, a supported version); unset `auto_minor_version_upgrade` passes (the \
AWS default is on). A value unknown until apply leaves the rule undecided; the version of a \
cluster of another engine is not checked.

**Strictness:** an unsupported major version is an error in every tier; automatic minor upgrades \
turned off are an error in production and a warning in staging and development, where a team may \
hold a minor version back to test it.",
    rationale: "Unpatched database engines are a common way in: PCI DSS requires critical \
security patches installed within one month of release, which automatic minor upgrades deliver \
without a change ticket per cluster, and SOC 2 expects vulnerabilities in system components to be \
identified and remedied. A major past the end of standard support receives fixes only under paid \
Extended Support and is on a forced upgrade path.",
    controls: &[
        Control::security_hub("RDS.13"),
        Control::security_hub("RDS.51"),
        Control::checkov("CKV_AWS_226"),
        Control::checkov("CKV_AWS_250"),
        Control::checkov("CKV_AWS_388"),
        Control::pci_dss("6.3.3"),
        Control::soc2("CC7.1"),
    ],
    fix: "Set auto_minor_version_upgrade = true and engine_version to a supported major \
(Aurora PostgreSQL 13–17, Aurora MySQL 8.0 or 8.4), upgrading the major version if needed.",
    applies_to: &[SubjectKind::Cluster],
    strictness: Strictness::Everywhere,
    check,
};

fn check(subject: &Subject, context: &Context<'_>) -> Vec<Outcome> {
    let Some(cluster) = cluster::subject(subject) else {
        return Vec::new();
    };
    let mut verdict = Verdict::new(RULE.id);
    Switch {
        attribute: "auto_minor_version_upgrade",
        fact: cluster.auto_minor_version_upgrade,
        wanted: true,
        when_unset: None,
        severity: production_error(context),
        problem: "security fixes in minor versions are not applied",
        fix: "set auto_minor_version_upgrade = true",
    }
    .judge(&mut verdict);
    if let Some(engine) = cluster::engine(&mut verdict, cluster, "engine_version") {
        match cluster.engine_version.as_deref() {
            Fact::Known(version) => judge_version(&mut verdict, engine, version),
            Fact::Absent => {}
            Fact::Unknown => verdict.unknown("engine_version"),
        }
    }
    verdict.finish()
}

fn judge_version(verdict: &mut Verdict, engine: Engine, version: &str) {
    let supported: Vec<&str> = supported_majors(engine).collect();
    let fix = format!(
        "set engine_version to a supported {engine} major version ({}), upgrading the cluster if \
         needed",
        supported.join(", ")
    );
    let Some(major) = major_version(engine, version) else {
        verdict.fail(
            Severity::Error,
            at("engine_version"),
            format!(
                "engine_version = {version:?} is not an {engine} engine version (such as {})",
                match engine {
                    Engine::AuroraPostgresql => "16 or 16.4",
                    Engine::AuroraMysql => "8.0 or 8.0.mysql_aurora.3.05.2",
                }
            ),
            fix,
        );
        return;
    };
    if supported.contains(&major.as_str()) {
        return;
    }
    let family = format!("{}{major}", engine.name());
    let why = match excluded_families().iter().find(|e| e.name == family) {
        Some(excluded) => excluded.reason.to_owned(),
        None if newer_than_all(&major, &supported) => {
            "dbrail has no parameter baseline for it yet, so its TLS and audit settings cannot be \
             guaranteed"
                .to_owned()
        }
        None => "it is past the end of standard support and gets no fixes without paid Extended \
                 Support"
            .to_owned(),
    };
    verdict.fail(
        Severity::Error,
        at("engine_version"),
        format!("engine_version = {version:?} is {engine} {major}: {why}"),
        fix,
    );
}

/// The major versions dbrail supports for `engine`, oldest first.
fn supported_majors(engine: Engine) -> impl Iterator<Item = &'static str> {
    families()
        .iter()
        .filter(move |f| f.engine() == engine)
        .map(|f| f.major_version())
}

/// The major version in an engine version: `16` in `16.4`, `8.0` in `8.0.mysql_aurora.3.05.2`.
///
/// Aurora MySQL's own version numbers (`3.05.2`) are not engine versions: AWS expects them after
/// the MySQL version (`8.0.mysql_aurora.3.05.2`). They are told apart by their first number (MySQL
/// majors start at 5) and their zero-padded parts.
fn major_version(engine: Engine, version: &str) -> Option<String> {
    let mut parts = version.trim().split('.');
    let numeric = |part: &&str| {
        !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part.len() == 1 || !part.starts_with('0'))
    };
    let first = parts.next().filter(numeric)?;
    match engine {
        Engine::AuroraPostgresql => Some(first.to_owned()),
        Engine::AuroraMysql => {
            let second = parts.next().filter(numeric)?;
            (first.parse::<u32>().ok()? >= 5).then(|| format!("{first}.{second}"))
        }
    }
}

/// Whether `major` is newer than every supported major (compared numerically, part by part).
fn newer_than_all(major: &str, supported: &[&str]) -> bool {
    let key = |version: &str| -> Vec<u32> {
        version
            .split('.')
            .map(|part| part.parse().unwrap_or(0))
            .collect()
    };
    supported.iter().all(|s| key(major) > key(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{
        dbrail_cluster, dbrail_mysql_cluster, evaluate_cluster, failed_at, failures, in_tier,
        production, undecided,
    };
    use crate::{ClusterSubject, Tier};

    const PASS: Outcome = Outcome::Pass { rule: "G11" };

    fn running(cluster: ClusterSubject, version: &str) -> ClusterSubject {
        cluster.with_engine_version(Fact::Known(version.to_owned()))
    }

    #[test]
    fn reads_major_versions() {
        use Engine::{AuroraMysql, AuroraPostgresql};
        assert_eq!(major_version(AuroraPostgresql, "16").as_deref(), Some("16"));
        assert_eq!(
            major_version(AuroraPostgresql, " 16.4 ").as_deref(),
            Some("16")
        );
        assert_eq!(
            major_version(AuroraPostgresql, "11.9").as_deref(),
            Some("11")
        );
        assert_eq!(major_version(AuroraMysql, "8.0").as_deref(), Some("8.0"));
        assert_eq!(
            major_version(AuroraMysql, "8.0.mysql_aurora.3.05.2").as_deref(),
            Some("8.0")
        );
        assert_eq!(
            major_version(AuroraMysql, "5.7.mysql_aurora.2.11.2").as_deref(),
            Some("5.7")
        );
        for (engine, bad) in [
            (AuroraPostgresql, "latest"),
            (AuroraPostgresql, ""),
            (AuroraPostgresql, "v16"),
            (AuroraMysql, "8"),
            (AuroraMysql, "3.05.2"),
            (AuroraMysql, "2.11.2"),
            (AuroraPostgresql, "016"),
            (AuroraMysql, "mysql_aurora.3.05.2"),
        ] {
            assert_eq!(major_version(engine, bad), None, "{bad:?}");
        }
    }

    #[test]
    fn supported_majors_are_the_baseline_families() {
        assert_eq!(
            supported_majors(Engine::AuroraPostgresql).collect::<Vec<_>>(),
            ["13", "14", "15", "16", "17"]
        );
        assert_eq!(
            supported_majors(Engine::AuroraMysql).collect::<Vec<_>>(),
            ["8.0", "8.4"]
        );
    }

    #[test]
    fn passes_supported_versions_with_automatic_minor_upgrades() {
        for version in ["13", "14.12", "15.8", "16.4", "17.2"] {
            let cluster = running(dbrail_cluster(), version);
            assert_eq!(
                evaluate_cluster(&RULE, cluster, &production()),
                [PASS],
                "{version}"
            );
        }
        for version in ["8.0", "8.0.mysql_aurora.3.05.2", "8.4"] {
            let cluster = running(dbrail_mysql_cluster(), version);
            assert_eq!(
                evaluate_cluster(&RULE, cluster, &production()),
                [PASS],
                "{version}"
            );
        }
        let defaults = dbrail_cluster()
            .with_engine_version(Fact::Absent)
            .with_auto_minor_version_upgrade(Fact::Absent);
        assert_eq!(evaluate_cluster(&RULE, defaults, &production()), [PASS]);
    }

    #[test]
    fn an_end_of_support_major_is_an_error_in_every_tier_naming_supported_ones() {
        for (cluster, version) in [
            (dbrail_cluster(), "11.9"),
            (dbrail_cluster(), "12"),
            (dbrail_cluster(), "10.21"),
            (dbrail_mysql_cluster(), "5.7.mysql_aurora.2.11.2"),
        ] {
            let cluster = running(cluster, version);
            let outcomes = evaluate_cluster(&RULE, cluster, &in_tier(Tier::Development));
            assert_eq!(failed_at(&outcomes), ["engine_version"], "{version}");
            let found = &failures(&outcomes)[0];
            assert_eq!(found.severity, Severity::Error);
            assert!(
                found.message.contains("end of standard support"),
                "{}",
                found.message
            );
        }
        let found = failures(&evaluate_cluster(
            &RULE,
            running(dbrail_cluster(), "12.22"),
            &production(),
        ));
        assert!(
            found[0].fix.contains("13, 14, 15, 16, 17"),
            "{}",
            found[0].fix
        );
        let found = failures(&evaluate_cluster(
            &RULE,
            running(dbrail_mysql_cluster(), "5.7"),
            &production(),
        ));
        assert!(found[0].fix.contains("8.0, 8.4"), "{}", found[0].fix);
    }

    #[test]
    fn a_newer_or_unreadable_version_fails_with_its_own_reason() {
        let found = failures(&evaluate_cluster(
            &RULE,
            running(dbrail_cluster(), "18.1"),
            &production(),
        ));
        assert!(
            found[0].message.contains("no parameter baseline"),
            "{}",
            found[0].message
        );
        let found = failures(&evaluate_cluster(
            &RULE,
            running(dbrail_cluster(), "latest"),
            &production(),
        ));
        assert!(
            found[0]
                .message
                .contains("not an aurora-postgresql engine version")
        );
        let found = failures(&evaluate_cluster(
            &RULE,
            running(dbrail_mysql_cluster(), "3.05.2"),
            &production(),
        ));
        assert!(
            found[0].message.contains("8.0.mysql_aurora.3.05.2"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn minor_upgrades_off_is_an_error_in_production_and_a_warning_below() {
        let cluster = || dbrail_cluster().with_auto_minor_version_upgrade(Fact::Known(false));
        let outcomes = evaluate_cluster(&RULE, cluster(), &production());
        assert_eq!(failed_at(&outcomes), ["auto_minor_version_upgrade"]);
        assert_eq!(failures(&outcomes)[0].severity, Severity::Error);
        for tier in [Tier::Staging, Tier::Development] {
            let found = failures(&evaluate_cluster(&RULE, cluster(), &in_tier(tier)));
            assert_eq!(found[0].severity, Severity::Warning, "{tier:?}");
        }
    }

    #[test]
    fn unknown_values_are_undecided() {
        let cluster = dbrail_cluster()
            .with_engine_version(Fact::Unknown)
            .with_auto_minor_version_upgrade(Fact::Unknown);
        assert_eq!(
            undecided(&evaluate_cluster(&RULE, cluster, &production())),
            ["auto_minor_version_upgrade", "engine_version"]
        );
        let mut cluster = dbrail_cluster();
        cluster.engine = Fact::Unknown;
        assert_eq!(
            undecided(&evaluate_cluster(&RULE, cluster, &production())),
            ["engine_version"]
        );
    }

    #[test]
    fn the_version_of_another_engine_is_not_checked() {
        let mut cluster = running(dbrail_cluster(), "5.6.10a");
        cluster.engine = Fact::Absent;
        assert_eq!(evaluate_cluster(&RULE, cluster, &production()), [PASS]);
    }
}
