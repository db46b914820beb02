//! The cluster's guardrails: a rules subject built from configuration (or, at apply, from the
//! planned state), evaluated by the shared catalogue, reported on `dbrail_cluster` attributes.
//!
//! Values unknown at plan time make a rule undecided rather than passing; apply evaluates again
//! with everything known and refuses to call AWS if a rule then fails.

use super::model::{default_log_exports, default_port};
use crate::rules_bridge::{convert_path, finding_diagnostic, today};
use dbrail_rules::{
    ClusterSubject, Context, Date, Engine, Fact, Outcome, ParameterGroupSubject, PathStep, Scope,
    Subject, Tier, Waiver,
};
use dbrail_tfplugin::diagnostics::Diagnostics;
use dbrail_tfplugin::path::AttributePath;
use dbrail_tfplugin::value::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Outcomes of every rule for one cluster configuration.
pub(crate) struct Evaluation {
    pub(crate) outcomes: Vec<Outcome>,
    pub(crate) diagnostics: Diagnostics,
}

fn known_str(value: Option<&Value>) -> Fact<String> {
    match value {
        None | Some(Value::Null) => Fact::Absent,
        Some(v) if !v.is_wholly_known() => Fact::Unknown,
        Some(v) => v
            .as_str()
            .map_or(Fact::Absent, |s| Fact::Known(s.to_owned())),
    }
}

fn known_u32(value: Option<&Value>, default: Option<u32>) -> Fact<u32> {
    match value {
        None | Some(Value::Null) => default.map_or(Fact::Absent, Fact::Known),
        Some(v) if !v.is_wholly_known() => Fact::Unknown,
        // A number that is no whole count (negative, fractional, huge) is set, just invalid:
        // schema validation reports it, and the rules stay undecided rather than reading it as
        // "not set".
        Some(v) => v
            .as_number()
            .and_then(|n| n.as_u64())
            .and_then(|n| u32::try_from(n).ok())
            .map_or(Fact::Unknown, Fact::Known),
    }
}

fn known_bool(value: Option<&Value>, default: bool) -> Fact<bool> {
    match value {
        None | Some(Value::Null) => Fact::Known(default),
        Some(v) if !v.is_wholly_known() => Fact::Unknown,
        Some(v) => Fact::Known(v.as_bool().unwrap_or(default)),
    }
}

fn engine_of(value: Option<&Value>) -> Fact<Engine> {
    match known_str(value) {
        Fact::Known(name) => Engine::from_name(&name).map_or(Fact::Absent, Fact::Known),
        Fact::Unknown => Fact::Unknown,
        Fact::Absent => Fact::Absent,
    }
}

fn string_set(value: Option<&Value>) -> Fact<Vec<String>> {
    match value {
        None | Some(Value::Null) => Fact::Absent,
        Some(v) if !v.is_wholly_known() => Fact::Unknown,
        Some(v) => Fact::Known(
            v.as_list()
                .unwrap_or_default()
                .iter()
                .filter_map(|e| e.as_str().map(str::to_owned))
                .collect(),
        ),
    }
}

/// The cluster as the rules see it. `config` is a configuration or planned value of
/// `dbrail_cluster`; `availability_zones` is what placement will give, when known.
pub(crate) fn subject(config: &Value, availability_zones: Fact<BTreeSet<String>>) -> Subject {
    let engine_name = config
        .attr("engine")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let log_exports = match string_set(config.attr("log_exports")) {
        Fact::Absent => Fact::Known(default_log_exports(engine_name).into_iter().collect()),
        other => other,
    };
    let port = match known_u32(config.attr("port"), None) {
        Fact::Absent => {
            Fact::Known(default_port(engine_name)).map(|p| u32::try_from(p).unwrap_or_default())
        }
        other => other,
    }
    .map(|p| u16::try_from(p).unwrap_or(u16::MAX));
    let kms = known_str(config.attr("kms_key_id"));
    let performance_insights = known_bool(config.attr("performance_insights"), true);
    let tags = match config.attr("tags") {
        None | Some(Value::Null) => Fact::Known(BTreeMap::new()),
        Some(v) if v.is_unknown() => Fact::Unknown,
        Some(v) => Fact::Known(
            v.as_map()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), known_str(Some(v))))
                        .collect()
                })
                .unwrap_or_default(),
        ),
    };
    let mut cluster = ClusterSubject::new(engine_of(config.attr("engine")))
        .with_engine_version(known_str(config.attr("engine_version")))
        .with_storage_encrypted(Fact::Known(true))
        .with_kms_key_id(kms.clone())
        .with_publicly_accessible(Fact::Known(false))
        .with_deletion_protection(known_bool(config.attr("deletion_guard"), true))
        .with_iam_database_authentication(Fact::Known(true))
        .with_backup_retention_days(known_u32(
            config.attr("backup").and_then(|b| b.attr("retention_days")),
            Some(backup_floor(config)),
        ))
        .with_log_exports(log_exports)
        .with_auto_minor_version_upgrade(Fact::Known(true))
        .with_readers(known_u32(config.attr("readers"), Some(1)))
        .with_availability_zones(availability_zones)
        .with_monitoring_interval(known_u32(config.attr("monitoring_interval"), Some(60)))
        .with_performance_insights(performance_insights)
        .with_performance_insights_kms_key_id(kms)
        .with_copy_tags_to_snapshot(Fact::Known(true))
        .with_tags(tags)
        .with_master_username(match known_str(config.attr("master_username")) {
            Fact::Absent => Fact::Known("dbrail_admin".to_owned()),
            other => other,
        })
        .with_port(port)
        .with_manage_master_user_password(Fact::Known(true))
        .with_backup_coverage(backup_coverage(config));
    let baseline = config
        .attr("parameter_baseline")
        .cloned()
        .unwrap_or(Value::Null);
    if baseline.is_null() {
        // No baseline: the cluster runs the engine's default group, which sets nothing —
        // so TLS and audit logging are judged on an empty group (and fail), never skipped.
        let engine = engine_of(config.attr("engine"));
        let family = match (&engine, known_str(config.attr("engine_version"))) {
            (Fact::Known(_), Fact::Known(version)) => {
                Fact::Known(super::model::family_of(engine_name, &version))
            }
            _ => Fact::Unknown,
        };
        cluster = cluster.with_cluster_parameters(
            ParameterGroupSubject::new(Scope::Cluster, family).with_engine(engine),
        );
    } else if baseline.is_unknown() {
        cluster = cluster.with_cluster_parameters(
            ParameterGroupSubject::new(Scope::Cluster, Fact::Unknown).with_unknown_parameters(),
        );
    } else {
        let baseline = &baseline;
        let family = known_str(baseline.attr("family"));
        let mut group = ParameterGroupSubject::new(Scope::Cluster, family);
        match baseline.attr("effective_cluster_parameters") {
            Some(params) if params.is_wholly_known() && !params.is_null() => {
                for (name, value) in params.as_map().into_iter().flatten() {
                    group = group.with_parameter(name.clone(), known_str(Some(value)));
                }
            }
            _ => group = group.with_unknown_parameters(),
        }
        cluster = cluster.with_cluster_parameters(group);
    }
    Subject::Cluster(cluster)
}

/// Whether a backup plan covers the cluster, as far as its own configuration tells: a
/// `backup_policy` tags it for that policy's selection. Selections made elsewhere are invisible
/// here, which is why G7 makes an uncovered cluster a warning, not an error.
fn backup_coverage(config: &Value) -> Fact<bool> {
    match config.attr("backup_policy") {
        None => Fact::Known(false),
        Some(policy) if policy.is_unknown() => Fact::Unknown,
        Some(policy) => Fact::Known(!policy.is_null()),
    }
}

/// The tier named in configuration (production when unknown: the strictest reading).
/// The automated-backup floor: 7 days, raised to the backup policy's retention (at most 35).
pub(crate) fn backup_floor(config: &Value) -> u32 {
    let policy = config
        .attr("backup_policy")
        .and_then(|p| p.attr("retention_days"))
        .and_then(Value::as_number)
        .and_then(|n| n.as_u64())
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(0);
    policy.clamp(
        Context::DEFAULT_BACKUP_FLOOR_DAYS,
        Context::MAX_BACKUP_RETENTION_DAYS,
    )
}

pub(crate) fn tier(config: &Value) -> Tier {
    match config.attr("tier").and_then(Value::as_str) {
        Some("development") => Tier::Development,
        Some("staging") => Tier::Staging,
        _ => Tier::Production,
    }
}

/// Rules named by waivers whose fields are not known yet (for example an expiry computed from
/// `plantimestamp()`): their failures wait for the values instead of failing validation; apply
/// checks again with everything known.
fn pending_waiver_rules(config: &Value) -> BTreeSet<String> {
    config
        .attr("waiver")
        .and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .filter(|block| !block.is_wholly_known())
        .filter_map(|block| {
            block
                .attr("rule")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect()
}

/// The `waiver` blocks, with malformed dates reported on their attribute.
pub(crate) fn waivers(config: &Value, diags: &mut Diagnostics) -> Vec<Waiver> {
    let mut waivers = Vec::new();
    for (i, block) in config
        .attr("waiver")
        .and_then(Value::as_list)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let (Some(rule), Some(reason), Some(expires)) = (
            block.attr("rule").and_then(Value::as_str),
            block.attr("reason").and_then(Value::as_str),
            block.attr("expires").and_then(Value::as_str),
        ) else {
            continue;
        };
        match expires.parse::<Date>() {
            Ok(date) => waivers.push(Waiver::new(rule, reason, date)),
            Err(err) => diags.error_at(
                AttributePath::attr("waiver")
                    .then_index(i)
                    .then_attr("expires"),
                "Invalid waiver expiry",
                format!("{err}. Write the last day the waiver applies as YYYY-MM-DD."),
            ),
        }
        if dbrail_rules::rule(rule).is_none() {
            diags.error_at(
                AttributePath::attr("waiver")
                    .then_index(i)
                    .then_attr("rule"),
                format!("Unknown rule {rule:?}"),
                format!(
                    "Waivers name a guardrail id. Known ids: {}.",
                    dbrail_rules::catalogue()
                        .iter()
                        .map(|r| r.id)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    waivers
}

/// Evaluates every rule for `config` and turns failures into diagnostics.
pub(crate) fn evaluate(config: &Value, availability_zones: Fact<BTreeSet<String>>) -> Evaluation {
    let mut diagnostics = Diagnostics::new();
    let waivers = waivers(config, &mut diagnostics);
    let context = Context::new(tier(config), today())
        .with_backup_floor(backup_floor(config))
        .with_waivers(&waivers);
    let outcomes = dbrail_rules::evaluate(&subject(config, availability_zones), &context);
    let pending = pending_waiver_rules(config);
    let no_baseline = config.attr("parameter_baseline").is_none_or(Value::is_null);
    for outcome in &outcomes {
        let Some(finding) = outcome
            .finding()
            .filter(|_| matches!(outcome, Outcome::Fail(_)))
            .filter(|f| !pending.contains(f.rule_id))
        else {
            continue;
        };
        let mut diagnostic = finding_diagnostic(finding, attribute_path(&finding.attribute));
        if no_baseline && matches!(finding.rule_id, "G9" | "G10") {
            diagnostic.detail.push_str(
                "\n\nThis cluster has no `parameter_baseline`, so it would run the engine's default \
                 parameter group. Set `parameter_baseline = dbrail_parameter_baseline.<name>` with a \
                 baseline of this engine's family.",
            );
        }
        diagnostics.push(diagnostic);
    }
    Evaluation {
        outcomes,
        diagnostics,
    }
}

/// Rules name attributes in dbrail_cluster's vocabulary; `waivers[i]` is the `waiver` block.
fn attribute_path(path: &dbrail_rules::AttrPath) -> AttributePath {
    convert_path(path, |steps, _| match steps {
        [PathStep::Attribute(a), PathStep::Index(i), rest @ ..] if a == "waivers" => {
            let at = AttributePath::attr("waiver").then_index(*i);
            Some(match rest {
                [PathStep::Attribute(field), ..] => at.then_attr(field.clone()),
                _ => at,
            })
        }
        // A missing tag is best shown on the `tags` attribute itself.
        [PathStep::Attribute(a), PathStep::Key(_), ..] if a == "tags" => {
            Some(AttributePath::attr("tags"))
        }
        _ => None,
    })
}

/// The `compliance` map: rule id → passed / waived / undecided / failed; `None` while any rule
/// is undecided (the plan then shows it as known after apply).
pub(crate) fn compliance(outcomes: &[Outcome]) -> Option<BTreeMap<String, String>> {
    let summary = dbrail_rules::compliance_summary(outcomes);
    let map: BTreeMap<String, String> = summary
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.to_string()))
        .collect();
    (!map.values().any(|v| v == "undecided")).then_some(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    fn s(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    fn config(tier: &str, readers: i64, baseline: Value) -> Value {
        obj(&[
            ("name", s("orders")),
            ("engine", s("aurora-postgresql")),
            ("engine_version", s("16")),
            ("tier", s(tier)),
            ("readers", Value::Number(readers.into())),
            ("kms_key_id", s("arn:aws:kms:us-east-1:123456789012:key/k")),
            ("tags", obj(&[])),
            ("parameter_baseline", baseline),
            ("waiver", Value::List(Vec::new())),
        ])
    }

    fn baseline() -> Value {
        let family = dbrail_rules::baseline::family("aurora-postgresql16").expect("family");
        let params = family
            .parameters_in(Scope::Cluster)
            .map(|p| (p.name.to_owned(), s(p.value)))
            .collect();
        obj(&[
            ("name", s("orders-pg16")),
            ("family", s("aurora-postgresql16")),
            ("effective_cluster_parameters", Value::Map(params)),
        ])
    }

    fn zones(n: usize) -> Fact<BTreeSet<String>> {
        Fact::Known(
            (0..n)
                .map(|i| format!("us-east-1{}", ['a', 'b', 'c'][i]))
                .collect(),
        )
    }

    fn with_backup_policy(mut config: Value, policy: Value) -> Value {
        if let Value::Object(m) = &mut config {
            m.insert("backup_policy".into(), policy);
        }
        config
    }

    fn gold() -> Value {
        obj(&[
            ("name", s("gold")),
            ("retention_days", Value::Number(7.into())),
        ])
    }

    #[test]
    fn a_default_production_cluster_passes_every_rule() {
        let covered = with_backup_policy(config("production", 2, baseline()), gold());
        let evaluation = evaluate(&covered, zones(3));
        assert!(
            evaluation.diagnostics.is_empty(),
            "{:?}",
            evaluation.diagnostics
        );
        let map = compliance(&evaluation.outcomes).expect("all decided");
        assert_eq!(map.get("G7").map(String::as_str), Some("passed"));
        assert!(map.values().all(|v| v == "passed"), "{map:?}");
    }

    #[test]
    fn a_cluster_without_backup_policy_warns_on_coverage_in_every_tier() {
        for tier in ["production", "staging", "development"] {
            let evaluation = evaluate(&config(tier, 2, baseline()), zones(3));
            let g7: Vec<_> = evaluation
                .diagnostics
                .iter()
                .filter(|d| d.summary.starts_with("[G7]"))
                .collect();
            assert_eq!(g7.len(), 1, "{tier}: {:?}", evaluation.diagnostics);
            assert!(!evaluation.diagnostics.has_errors(), "{tier}");
            let map = compliance(&evaluation.outcomes).expect("all decided");
            assert_eq!(map.get("G7").map(String::as_str), Some("failed"), "{tier}");
        }
    }

    #[test]
    fn a_backup_policy_unknown_until_apply_leaves_coverage_undecided() {
        let unknown = with_backup_policy(config("production", 2, baseline()), Value::unknown());
        let evaluation = evaluate(&unknown, zones(3));
        assert!(compliance(&evaluation.outcomes).is_none());
        assert!(
            !evaluation
                .diagnostics
                .iter()
                .any(|d| d.summary.starts_with("[G7]"))
        );
    }

    #[test]
    fn an_invalid_reader_count_is_not_reported_as_unset() {
        for bad in ["-1", "1.5", "1e400"] {
            let mut c = config("production", 2, baseline());
            if let Value::Object(m) = &mut c {
                m.insert(
                    "readers".into(),
                    Value::Number(bad.parse().expect("number")),
                );
            }
            let evaluation = evaluate(&c, zones(3));
            assert!(
                !evaluation
                    .diagnostics
                    .iter()
                    .any(|d| d.summary.starts_with("[G12]")),
                "readers = {bad}: {:?}",
                evaluation.diagnostics
            );
        }
    }

    #[test]
    fn no_readers_in_production_fails_g12_on_readers() {
        let evaluation = evaluate(&config("production", 0, baseline()), zones(1));
        let d = evaluation
            .diagnostics
            .iter()
            .find(|d| d.summary.starts_with("[G12]"))
            .expect("G12");
        assert_eq!(d.attribute, Some(AttributePath::attr("readers")));
    }

    #[test]
    fn no_baseline_is_judged_as_the_default_group() {
        let evaluation = evaluate(&config("development", 1, Value::Null), zones(2));
        let d = evaluation
            .diagnostics
            .iter()
            .find(|d| d.summary.starts_with("[G10]"))
            .expect("G10");
        assert!(d.detail.contains("parameter_baseline"), "{}", d.detail);
    }

    #[test]
    fn unknown_values_leave_rules_undecided_not_passed() {
        let mut c = config("production", 2, baseline());
        if let Value::Object(m) = &mut c {
            m.insert("kms_key_id".into(), Value::unknown());
        }
        let evaluation = evaluate(&c, Fact::Unknown);
        assert!(
            !evaluation.diagnostics.has_errors(),
            "{:?}",
            evaluation.diagnostics
        );
        assert!(compliance(&evaluation.outcomes).is_none());
    }

    #[test]
    fn a_waiver_with_an_unknown_expiry_defers_its_rule() {
        let mut c = config("production", 0, baseline());
        if let Value::Object(m) = &mut c {
            m.insert(
                "waiver".into(),
                Value::List(vec![obj(&[
                    ("rule", s("G12")),
                    ("reason", s("rebuilding readers")),
                    ("expires", Value::unknown()),
                ])]),
            );
        }
        let evaluation = evaluate(&c, zones(1));
        assert!(
            !evaluation
                .diagnostics
                .iter()
                .any(|d| d.summary.starts_with("[G12]")),
            "{:?}",
            evaluation.diagnostics
        );
    }
}
