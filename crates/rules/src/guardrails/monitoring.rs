//! G13: Enhanced Monitoring, and Performance Insights under a customer-managed key.
//!
//! Enhanced Monitoring gives operating-system metrics (per-process CPU, memory, I/O) at up to
//! one-second granularity, which is what an incident investigation needs; Performance Insights
//! keeps the database load and the SQL text behind it. That SQL text can contain literal values,
//! card numbers included, so it is held to the same key standard as the storage (G1).

use crate::guardrails::cluster::{self, Switch, Verdict, at, is_customer_managed_key};
use crate::{Context, Control, Fact, Outcome, Rule, Severity, Strictness, Subject, SubjectKind};

/// The intervals AWS accepts for Enhanced Monitoring when it is on, in seconds.
const INTERVALS: [u32; 6] = [1, 5, 10, 15, 30, 60];

/// The rule.
pub(crate) const RULE: Rule = Rule {
    id: "G13",
    title: "Enhanced Monitoring and Performance Insights with a customer-managed key",
    description: "\
Checks that an Aurora cluster's instances have Enhanced Monitoring on (`monitoring_interval` one \
of 1, 5, 10, 15, 30 or 60 seconds; 0 turns it off) and Performance Insights on \
(`performance_insights`; `performance_insights_enabled` on `aws_rds_cluster_instance`) with its \
data encrypted by a customer-managed KMS key (`performance_insights_kms_key_id` set, and not the \
AWS-managed `alias/aws/rds`).

Unset `monitoring_interval` and `performance_insights` fail: AWS leaves both off. An unset \
Performance Insights key fails: AWS then uses its managed key. Findings about the key point at \
`performance_insights`. A value unknown until apply leaves the rule undecided.

**Strictness:** an error in production; a warning in staging and development, where the metrics \
cost more than they are worth and the data is not production data.",
    rationale: "Detecting and investigating an incident needs the operating-system and query-load \
history of the moment it happened; SOC 2 expects system components monitored for anomalies. \
Performance Insights stores SQL text, which may contain account data in literals, so its key \
deserves the same control as the storage key; that this falls under PCI DSS 3.5.1 is \
unconfirmed.",
    controls: &[
        Control::security_hub("RDS.6"),
        Control::checkov("CKV_AWS_118"),
        Control::checkov("CKV_AWS_353"),
        Control::checkov("CKV_AWS_354"),
        Control::trivy("AVD-AWS-0133"),
        Control::trivy("AVD-AWS-0078"),
        Control::soc2("CC7.2"),
    ],
    fix: "Set monitoring_interval to 60 (or shorter), performance_insights = true and a \
customer-managed KMS key for Performance Insights.",
    applies_to: &[SubjectKind::Cluster],
    strictness: Strictness::WarnBelowProduction,
    check,
};

fn check(subject: &Subject, _context: &Context<'_>) -> Vec<Outcome> {
    let Some(cluster) = cluster::subject(subject) else {
        return Vec::new();
    };
    let mut verdict = Verdict::new(RULE.id);
    judge_interval(&mut verdict, cluster.monitoring_interval);
    let on = Switch {
        attribute: "performance_insights",
        fact: cluster.performance_insights,
        wanted: true,
        when_unset: Some("AWS leaves Performance Insights off by default"),
        severity: Severity::Error,
        problem: "the database load and the queries behind it are not recorded",
        fix: "set performance_insights = true with a customer-managed KMS key",
    }
    .judge(&mut verdict);
    if on || cluster.performance_insights.is_unknown() {
        judge_key(&mut verdict, &cluster.performance_insights_kms_key_id);
    }
    verdict.finish()
}

fn judge_interval(verdict: &mut Verdict, interval: Fact<u32>) {
    const FIX: &str = "set monitoring_interval to 60 (or 1, 5, 10, 15 or 30)";
    match interval {
        Fact::Known(seconds) if INTERVALS.contains(&seconds) => {}
        Fact::Known(0) => verdict.fail(
            Severity::Error,
            at("monitoring_interval"),
            "monitoring_interval = 0: Enhanced Monitoring is off, so no operating-system metrics \
             are recorded",
            FIX,
        ),
        Fact::Known(seconds) => verdict.fail(
            Severity::Error,
            at("monitoring_interval"),
            format!(
                "monitoring_interval = {seconds}: AWS accepts only 0, 1, 5, 10, 15, 30 or 60 \
                 seconds"
            ),
            FIX,
        ),
        Fact::Absent => verdict.fail(
            Severity::Error,
            at("monitoring_interval"),
            "monitoring_interval is not set, so Enhanced Monitoring is off",
            FIX,
        ),
        Fact::Unknown => verdict.unknown("monitoring_interval"),
    }
}

fn judge_key(verdict: &mut Verdict, key: &Fact<String>) {
    const FIX: &str = "set a customer-managed KMS key for Performance Insights";
    match key.as_deref() {
        Fact::Known(key) if is_customer_managed_key(key) => {}
        Fact::Known(key) => verdict.fail(
            Severity::Error,
            at("performance_insights"),
            format!(
                "Performance Insights data is encrypted with {key:?}, the AWS-managed key, \
                 whose use cannot be restricted"
            ),
            FIX,
        ),
        Fact::Absent => verdict.fail(
            Severity::Error,
            at("performance_insights"),
            "Performance Insights has no KMS key set, so its data (including SQL text) is \
             encrypted with the AWS-managed key, whose use cannot be restricted",
            FIX,
        ),
        Fact::Unknown => verdict.undecided(
            at("performance_insights"),
            "the Performance Insights KMS key is unknown until apply",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tier;
    use crate::testing::{
        CMK, dbrail_cluster, evaluate_cluster, failed_at, failures, in_tier, production, undecided,
    };

    const PASS: Outcome = Outcome::Pass { rule: "G13" };

    #[test]
    fn passes_with_monitoring_and_insights_under_a_cmk() {
        for seconds in INTERVALS {
            let cluster = dbrail_cluster().with_monitoring_interval(Fact::Known(seconds));
            assert_eq!(
                evaluate_cluster(&RULE, cluster, &production()),
                [PASS],
                "{seconds}"
            );
        }
    }

    #[test]
    fn monitoring_off_or_an_invalid_interval_fails() {
        for interval in [
            Fact::Known(0),
            Fact::Known(20),
            Fact::Known(120),
            Fact::Absent,
        ] {
            let cluster = dbrail_cluster().with_monitoring_interval(interval);
            let outcomes = evaluate_cluster(&RULE, cluster, &production());
            assert_eq!(
                failed_at(&outcomes),
                ["monitoring_interval"],
                "{interval:?}"
            );
            assert_eq!(failures(&outcomes)[0].severity, Severity::Error);
        }
    }

    #[test]
    fn insights_off_fails_once_and_the_aws_key_fails() {
        for on in [Fact::Known(false), Fact::Absent] {
            let cluster = dbrail_cluster()
                .with_performance_insights(on)
                .with_performance_insights_kms_key_id(Fact::Absent);
            let outcomes = evaluate_cluster(&RULE, cluster, &production());
            assert_eq!(failed_at(&outcomes), ["performance_insights"]);
        }
        for key in [Fact::Absent, Fact::Known("alias/aws/rds".to_owned())] {
            let cluster = dbrail_cluster().with_performance_insights_kms_key_id(key);
            let found = failures(&evaluate_cluster(&RULE, cluster, &production()));
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].attribute.to_string(), "performance_insights");
            assert!(found[0].message.contains("AWS-managed key"));
        }
    }

    #[test]
    fn only_warns_below_production() {
        let cluster = || {
            dbrail_cluster()
                .with_monitoring_interval(Fact::Known(0))
                .with_performance_insights(Fact::Known(false))
        };
        for tier in [Tier::Staging, Tier::Development] {
            let found = failures(&evaluate_cluster(&RULE, cluster(), &in_tier(tier)));
            assert_eq!(found.len(), 2);
            assert!(
                found.iter().all(|f| f.severity == Severity::Warning),
                "{tier:?}"
            );
        }
    }

    #[test]
    fn unknown_values_are_undecided() {
        let cluster = dbrail_cluster()
            .with_monitoring_interval(Fact::Unknown)
            .with_performance_insights(Fact::Unknown)
            .with_performance_insights_kms_key_id(Fact::Known(CMK.to_owned()));
        assert_eq!(
            undecided(&evaluate_cluster(&RULE, cluster, &production())),
            ["monitoring_interval", "performance_insights"]
        );
        let cluster = dbrail_cluster().with_performance_insights_kms_key_id(Fact::Unknown);
        let outcomes = evaluate_cluster(&RULE, cluster, &production());
        assert_eq!(undecided(&outcomes), ["performance_insights"]);
        assert!(!outcomes.contains(&PASS));
    }
}
