//! Planning a cluster change: computed values the plan can already show, the replacement guard,
//! the engine-version rules and the compliance summary.

use super::guardrails;
use super::model::{
    default_log_exports, default_port, desired_guarded_settings, family_of, major_of,
};
use dbrail_rules::Fact;
use dbrail_tfplugin::diagnostics::{Diagnostic, Diagnostics};
use dbrail_tfplugin::framework::PlanChange;
use dbrail_tfplugin::path::{AttributePath, PathStep};
use dbrail_tfplugin::value::Value;
use std::collections::BTreeMap;

fn set(planned: &mut Value, name: &str, value: Value) {
    if let Value::Object(fields) = planned {
        fields.insert(name.to_owned(), value);
    }
}

fn string_map(map: BTreeMap<String, String>) -> Value {
    Value::Map(
        map.into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect(),
    )
}

fn attr<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    value.attr(name).filter(|v| !v.is_null())
}

fn keep_or_unknown(change: &PlanChange, name: &str) -> Value {
    change
        .prior
        .as_ref()
        .and_then(|p| attr(p, name))
        .cloned()
        .unwrap_or_else(Value::unknown)
}

/// Refuses a destroy while the guard is on, before any API call.
pub(crate) fn destroy_guard(prior: &Value) -> Diagnostics {
    let guarded = prior
        .attr("deletion_guard")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    if !guarded {
        return Diagnostics::new();
    }
    let name = prior
        .attr("name")
        .and_then(Value::as_str)
        .unwrap_or("the cluster");
    Diagnostic::error(
        format!("deletion_guard protects cluster {name}"),
        "This plan would destroy the database. To destroy it on purpose, first apply with \
         `deletion_guard = false` (that change alone), then destroy: a final snapshot is taken \
         before the cluster is deleted.",
    )
    .at(AttributePath::attr("deletion_guard"))
    .into()
}

/// Adjusts a create or update plan.
pub(crate) fn modify(change: &mut PlanChange) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let config = change.config.clone();
    let engine = config
        .attr("engine")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let name = config.attr("name").cloned().unwrap_or(Value::Null);

    // Replacement guard: the guard in effect is the one in prior state.
    if let Some(prior) = &change.prior {
        let guarded = prior
            .attr("deletion_guard")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        if guarded {
            for path in &change.requires_replace {
                let attribute = match path.steps().first() {
                    Some(PathStep::Attribute(a)) => a.clone(),
                    _ => path.to_string(),
                };
                diags.push(
                    Diagnostic::error(
                        format!("Changing {attribute} would replace the cluster"),
                        format!(
                            "AWS cannot change `{attribute}` in place, so this plan would destroy the \
                             database and create a new, empty one. deletion_guard is on, so dbrail refuses. \
                             Revert the change, or — to replace the cluster on purpose — first apply with \
                             `deletion_guard = false` alone, then apply this change (a final snapshot is taken)."
                        ),
                    )
                    .at(path.clone()),
                );
            }
        }
        // Major version upgrades.
        let before = prior.attr("engine_version").and_then(Value::as_str);
        let after = config.attr("engine_version").and_then(Value::as_str);
        if let (Some(before), Some(after)) = (before, after)
            && major_of(&engine, before) != major_of(&engine, after)
        {
            let allowed = config
                .attr("allow_major_version_upgrade")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if !allowed {
                diags.error_at(
                        AttributePath::attr("engine_version"),
                        format!("Upgrading from {before} to {after} is a major version upgrade"),
                        "Set `allow_major_version_upgrade = true` to perform it. dbrail sends the new version \
                         and both parameter groups in one call, so the cluster never runs a new major with an \
                         old family's parameters.",
                    );
            }
        }
    }
    // The baseline's family must match the engine version (create and upgrade alike).
    if let (Some(version), Some(family)) = (
        config.attr("engine_version").and_then(Value::as_str),
        config
            .attr("parameter_baseline")
            .and_then(|b| b.attr("family"))
            .and_then(Value::as_str),
    ) {
        let wanted = family_of(&engine, version);
        if !engine.is_empty() && family != wanted {
            diags.error_at(
                AttributePath::attr("parameter_baseline"),
                format!("The parameter baseline is for {family}, but the cluster runs {wanted}"),
                format!("Use a `dbrail_parameter_baseline` with `family = \"{wanted}\"`; for a major upgrade, create the new family's baseline first and switch to it in the same change as `engine_version`."),
            );
        }
    }

    set(&mut change.planned, "id", name.clone());
    if attr(&config, "log_exports").is_none() && !engine.is_empty() {
        set(
            &mut change.planned,
            "log_exports",
            Value::Set(
                default_log_exports(&engine)
                    .into_iter()
                    .map(Value::String)
                    .collect(),
            ),
        );
    }
    if attr(&config, "port").is_none() && !engine.is_empty() {
        set(
            &mut change.planned,
            "port",
            Value::Number(default_port(&engine).into()),
        );
    }
    if attr(&config, "db_subnet_group_name").is_none() {
        let value = match (attr(&config, "subnet_ids"), name.as_str()) {
            (Some(_), Some(n)) => Value::String(format!("{n}-subnets")),
            (Some(_), None) => Value::unknown(),
            (None, _) => keep_or_unknown(change, "db_subnet_group_name"),
        };
        set(&mut change.planned, "db_subnet_group_name", value);
    }
    // Backup retention: default 7 days, or the backup policy's floor.
    let floor = guardrails::backup_floor(&config);
    if let Some(Value::Object(backup)) = change.planned.attr("backup").cloned().as_ref() {
        let mut backup = backup.clone();
        let configured = config
            .attr("backup")
            .and_then(|b| attr(b, "retention_days"))
            .cloned();
        match configured {
            None => {
                backup.insert(
                    "retention_days".into(),
                    Value::Number(i64::from(floor).into()),
                );
            }
            Some(days) => {
                let below = days
                    .as_number()
                    .and_then(|n| n.as_u64())
                    .is_some_and(|d| d < u64::from(floor));
                if below && config.attr("backup_policy").is_some_and(|p| !p.is_null()) {
                    diags.error_at(
                        AttributePath::attr("backup").then_attr("retention_days"),
                        format!("backup.retention_days is below the backup policy's floor of {floor} days"),
                        format!(
                            "[G6] The cluster opts into a backup policy that keeps backups {floor} days; \
                             automated backups must reach at least as far. Remove retention_days (it \
                             then follows the policy) or set it to {floor} or more."
                        ),
                    );
                }
            }
        }
        let window_configured = config
            .attr("backup")
            .and_then(|b| attr(b, "window"))
            .is_some();
        if !window_configured {
            let prior_window = change
                .prior
                .as_ref()
                .and_then(|p| p.attr("backup"))
                .and_then(|b| attr(b, "window"))
                .cloned();
            backup.insert("window".into(), prior_window.unwrap_or_else(Value::unknown));
        }
        set(&mut change.planned, "backup", Value::Object(backup));
    }
    let guard = config
        .attr("deletion_guard")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let mut guarded = desired_guarded_settings();
    guarded.insert("deletion_protection".to_owned(), guard.to_string());
    set(&mut change.planned, "guarded_settings", string_map(guarded));

    // Values that change with the instances or the version.
    let readers_changed = change
        .prior
        .as_ref()
        .is_none_or(|p| p.attr("readers") != change.planned.attr("readers"));
    let version_changed = change
        .prior
        .as_ref()
        .is_none_or(|p| p.attr("engine_version") != config.attr("engine_version"));
    let writer = match (&change.prior, name.as_str()) {
        (Some(_), _) => keep_or_unknown(change, "writer_instance_id"),
        (None, Some(n)) => Value::String(format!("{n}-1")),
        (None, None) => Value::unknown(),
    };
    set(&mut change.planned, "writer_instance_id", writer);
    // A create that stopped before the writer existed (interrupted, out of time) leaves state
    // without one; the apply that finishes it creates instances, so their zones change too.
    let writer_missing = change
        .prior
        .as_ref()
        .is_some_and(|p| attr(p, "writer_instance_id").is_none());
    if readers_changed || writer_missing {
        set(&mut change.planned, "reader_instance_ids", Value::unknown());
        set(&mut change.planned, "availability_zones", Value::unknown());
    }
    let actual = if version_changed {
        Value::unknown()
    } else {
        keep_or_unknown(change, "engine_version_actual")
    };
    set(&mut change.planned, "engine_version_actual", actual);

    // Guardrails: diagnostics come from validation; the plan records the summary.
    let evaluation = guardrails::evaluate(&change.planned, availability_zones(change));
    set(
        &mut change.planned,
        "compliance",
        guardrails::compliance(&evaluation.outcomes).map_or_else(Value::unknown, string_map),
    );
    diags
}

/// Distinct AZs the instances will span: known when the plan keeps the prior instances.
fn availability_zones(change: &PlanChange) -> Fact<std::collections::BTreeSet<String>> {
    match change.planned.attr("availability_zones") {
        Some(v) if v.is_wholly_known() && !v.is_null() => Fact::Known(
            v.as_list()
                .unwrap_or_default()
                .iter()
                .filter_map(|z| z.as_str().map(str::to_owned))
                .collect(),
        ),
        _ => Fact::Unknown,
    }
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

    fn cluster(version: &str, guard: bool) -> Value {
        obj(&[
            ("name", s("orders")),
            ("engine", s("aurora-postgresql")),
            ("engine_version", s(version)),
            ("deletion_guard", Value::Bool(guard)),
            ("allow_major_version_upgrade", Value::Bool(false)),
            (
                "backup",
                obj(&[("retention_days", Value::Null), ("window", Value::Null)]),
            ),
        ])
    }

    fn change(prior: Option<Value>, config: Value, replace: Vec<AttributePath>) -> PlanChange {
        PlanChange {
            prior,
            planned: config.clone(),
            config,
            requires_replace: replace,
            private: Vec::new(),
        }
    }

    #[test]
    fn a_guarded_cluster_refuses_replacement_naming_the_attribute() {
        let mut c = change(
            Some(cluster("16", true)),
            cluster("16", true),
            vec![AttributePath::attr("kms_key_id")],
        );
        let diags = modify(&mut c);
        let d = diags.iter().find(|d| d.is_error()).expect("an error");
        assert!(d.summary.contains("kms_key_id"), "{}", d.summary);
        assert_eq!(d.attribute, Some(AttributePath::attr("kms_key_id")));
    }

    fn opted_in(retention: Value, floor: i64) -> Value {
        let mut config = cluster("16", true);
        if let Value::Object(fields) = &mut config {
            fields.insert(
                "backup_policy".into(),
                obj(&[
                    ("name", s("gold")),
                    ("retention_days", Value::Number(floor.into())),
                ]),
            );
            fields.insert(
                "backup".into(),
                obj(&[("retention_days", retention), ("window", Value::Null)]),
            );
        }
        config
    }

    #[test]
    fn a_backup_policy_raises_unset_retention_to_its_floor_capped_at_35() {
        for (floor, expected) in [(14, 14), (3, 7), (90, 35)] {
            let mut c = change(None, opted_in(Value::Null, floor), Vec::new());
            modify(&mut c);
            let planned = c
                .planned
                .attr("backup")
                .and_then(|b| b.attr("retention_days"));
            assert_eq!(
                planned,
                Some(&Value::Number(expected.into())),
                "floor {floor}"
            );
        }
    }

    #[test]
    fn retention_configured_below_the_policy_floor_is_an_error_on_the_attribute() {
        let mut c = change(None, opted_in(Value::Number(3i64.into()), 14), Vec::new());
        let diags = modify(&mut c);
        let d = diags
            .iter()
            .find(|d| d.summary.contains("floor of 14 days"))
            .expect("an error naming the floor");
        assert!(d.is_error());
        assert_eq!(
            d.attribute,
            Some(AttributePath::attr("backup").then_attr("retention_days"))
        );
        let mut c = change(None, opted_in(Value::Number(21i64.into()), 14), Vec::new());
        assert!(!modify(&mut c).iter().any(|d| d.summary.contains("floor")));
    }

    #[test]
    fn the_guard_in_effect_is_the_prior_one() {
        // Turning the guard off and replacing in the same plan is refused.
        let mut c = change(
            Some(cluster("16", true)),
            cluster("16", false),
            vec![AttributePath::attr("name")],
        );
        assert!(modify(&mut c).has_errors());
        // With the guard already off, the replacement is allowed.
        let mut c = change(
            Some(cluster("16", false)),
            cluster("16", false),
            vec![AttributePath::attr("name")],
        );
        assert!(!modify(&mut c).has_errors());
    }

    #[test]
    fn a_major_upgrade_needs_consent() {
        let mut c = change(Some(cluster("15", true)), cluster("16", true), Vec::new());
        let diags = modify(&mut c);
        let d = diags.iter().find(|d| d.is_error()).expect("an error");
        assert_eq!(d.attribute, Some(AttributePath::attr("engine_version")));
        // A minor move within the major is not a major upgrade.
        let mut c = change(Some(cluster("16", true)), cluster("16.4", true), Vec::new());
        assert!(!modify(&mut c).has_errors());
    }

    #[test]
    fn destroy_is_refused_while_guarded() {
        assert!(destroy_guard(&cluster("16", true)).has_errors());
        assert!(!destroy_guard(&cluster("16", false)).has_errors());
    }

    #[test]
    fn finishing_a_cluster_without_a_writer_leaves_instance_values_unknown() {
        // State as an interrupted create records it: the cluster, no instance yet.
        let mut prior = cluster("16", true);
        if let Value::Object(map) = &mut prior {
            map.insert("writer_instance_id".into(), Value::Null);
            map.insert("availability_zones".into(), Value::List(Vec::new()));
            map.insert("reader_instance_ids".into(), Value::List(Vec::new()));
        }
        let mut c = change(Some(prior.clone()), prior, Vec::new());
        assert!(!modify(&mut c).has_errors());
        for name in [
            "writer_instance_id",
            "availability_zones",
            "reader_instance_ids",
        ] {
            assert!(
                c.planned.attr(name).is_some_and(|v| !v.is_wholly_known()),
                "{name}: {:?}",
                c.planned.attr(name)
            );
        }
    }

    #[test]
    fn computed_defaults_are_planned_known() {
        let mut c = change(None, cluster("16", true), Vec::new());
        modify(&mut c);
        assert_eq!(c.planned.attr("port"), Some(&Value::Number(5433i64.into())));
        assert_eq!(c.planned.attr("writer_instance_id"), Some(&s("orders-1")));
        let backup = c.planned.attr("backup").expect("backup");
        assert_eq!(
            backup.attr("retention_days"),
            Some(&Value::Number(7i64.into()))
        );
        let guarded = c
            .planned
            .attr("guarded_settings")
            .and_then(Value::as_map)
            .expect("map");
        assert_eq!(guarded.get("deletion_protection"), Some(&s("true")));
    }
}
