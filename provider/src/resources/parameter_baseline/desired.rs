//! What the parameter groups should contain: the family's baseline merged with `overrides`,
//! checked by the same rules the CI policy command runs.
//!
//! Computed from configuration at validate and plan time (where values may be unknown) and from
//! the planned state at apply time (where everything is known, so anything undecided at plan
//! time is checked again before the first API call).

use super::model::{OverrideModel, State};
use super::reasons;
use crate::rules_bridge::{convert_path, finding_diagnostic, option_fact, string_fact, today};
use dbrail_rules::baseline::{self, ApplyMethod, EffectiveParameter, Merged, Override, Source};
use dbrail_rules::{Context, Outcome, PathStep, Scope, Subject, Tier};
use dbrail_tfplugin::diagnostics::Diagnostics;
use dbrail_tfplugin::path::AttributePath;
use dbrail_tfplugin::value::Value;
use std::collections::BTreeMap;

/// The merged baseline for one configuration.
pub(crate) struct Desired {
    merged: Merged,
    /// Override keys in the order they were handed to the merge (`overrides` is a map).
    keys: Vec<String>,
    overrides_known: bool,
}

fn parse_scope(value: Option<&str>) -> Option<Scope> {
    match value {
        Some("cluster") => Some(Scope::Cluster),
        Some("instance") => Some(Scope::Instance),
        _ => None,
    }
}

fn parse_apply_method(value: Option<&str>) -> Option<ApplyMethod> {
    match value {
        Some("immediate") => Some(ApplyMethod::Immediate),
        Some("pending-reboot") => Some(ApplyMethod::PendingReboot),
        _ => None,
    }
}

impl Desired {
    /// From a configuration or planned value; `None` while the family is unknown or null.
    pub(crate) fn from_value(value: &Value) -> Option<Desired> {
        let family = value.attr("family").and_then(Value::as_str)?;
        let overrides = value.attr("overrides");
        let overrides_known = overrides.is_none_or(Value::is_known);
        let mut keys = Vec::new();
        let mut list = Vec::new();
        if let Some(map) = overrides.and_then(Value::as_map) {
            for (key, entry) in map {
                keys.push(key.clone());
                let mut o = Override::new(key.clone(), string_fact(entry.attr("value")))
                    .with_reason(string_fact(entry.attr("reason")));
                o.scope = parse_scope(entry.attr("scope").and_then(Value::as_str));
                o.apply_method =
                    parse_apply_method(entry.attr("apply_method").and_then(Value::as_str));
                list.push(o);
            }
        }
        Some(Desired {
            merged: baseline::merge(family, &list),
            keys,
            overrides_known,
        })
    }

    /// From typed state (apply time).
    pub(crate) fn from_state(state: &State) -> Desired {
        let empty = BTreeMap::new();
        let overrides = state.overrides.as_ref().unwrap_or(&empty);
        let keys: Vec<String> = overrides.keys().cloned().collect();
        let list: Vec<Override> = overrides
            .iter()
            .map(|(key, entry)| to_override(key, entry))
            .collect();
        Desired {
            merged: baseline::merge(&state.family, &list),
            keys,
            overrides_known: true,
        }
    }

    /// The family, when supported.
    pub(crate) fn family(&self) -> Option<&'static baseline::Family> {
        self.merged.family
    }

    /// Merge findings and rule outcomes as diagnostics on `overrides["<parameter>"]…`.
    pub(crate) fn diagnostics(&self) -> Diagnostics {
        let mut diags = Diagnostics::new();
        for finding in &self.merged.findings {
            diags.push(finding_diagnostic(
                finding,
                self.path_of(&finding.attribute),
            ));
        }
        if self.merged.has_errors() {
            return diags;
        }
        let context = Context::new(Tier::Production, today());
        for scope in [Scope::Cluster, Scope::Instance] {
            let Some(subject) = self.merged.subject(scope) else {
                continue;
            };
            let subject = Subject::ParameterGroup(subject);
            for outcome in dbrail_rules::evaluate(&subject, &context) {
                if let Outcome::Fail(finding) = outcome {
                    let at = match &finding.attribute.steps() {
                        [PathStep::Attribute(a), PathStep::Key(parameter), ..]
                            if a == "parameters" =>
                        {
                            self.override_path(parameter)
                        }
                        _ => AttributePath::attr("family"),
                    };
                    diags.push(finding_diagnostic(&finding, at));
                }
            }
        }
        diags
    }

    /// Where a parameter comes from in configuration: its override, else the family.
    fn override_path(&self, parameter: &str) -> AttributePath {
        match self.merged.source_of(parameter) {
            Some(Source::Override { index }) => self.override_key_path(index),
            _ => AttributePath::attr("family"),
        }
    }

    fn override_key_path(&self, index: usize) -> AttributePath {
        self.keys.get(index).map_or_else(
            || AttributePath::attr("overrides"),
            |key| AttributePath::attr("overrides").then_key(key.clone()),
        )
    }

    /// Maps the merge's `override[i].x` paths onto `overrides["key"]`.
    ///
    /// Terraform locates a path that ends in a map key inside an attribute's expression (it
    /// underlines that entry), but not a path that continues into the entry's object, so the
    /// entry is the most precise location it can show; the message names the field.
    fn path_of(&self, path: &dbrail_rules::AttrPath) -> AttributePath {
        convert_path(path, |steps, _| match steps {
            [PathStep::Attribute(a), PathStep::Index(i), ..] if a == "override" => {
                Some(self.override_key_path(*i))
            }
            _ => None,
        })
    }

    /// Whether every effective value is known (nothing waits for apply).
    pub(crate) fn is_known(&self) -> bool {
        self.overrides_known
            && self
                .merged
                .effective
                .iter()
                .all(|p| p.value.known().is_some())
    }

    /// Effective parameters of one scope.
    pub(crate) fn parameters(&self, scope: Scope) -> impl Iterator<Item = &EffectiveParameter> {
        self.merged.in_scope(scope)
    }

    /// Effective values of one scope, when all known.
    pub(crate) fn values(&self, scope: Scope) -> Option<BTreeMap<String, String>> {
        if !self.is_known() {
            return None;
        }
        Some(
            self.parameters(scope)
                .filter_map(|p| p.value.known().map(|v| (p.name.clone(), v.clone())))
                .collect(),
        )
    }

    /// Whether there are errors that must stop a plan or apply.
    pub(crate) fn has_errors(&self) -> bool {
        self.merged.has_errors()
    }

    /// Reason tags for the overrides that land in `scope`.
    pub(crate) fn reason_tags(&self, state: &State, scope: Scope) -> BTreeMap<String, String> {
        let mut tags = BTreeMap::new();
        let Some(overrides) = &state.overrides else {
            return tags;
        };
        for parameter in self.parameters(scope) {
            if let Source::Override { index } = parameter.source {
                let reason = self
                    .keys
                    .get(index)
                    .and_then(|k| overrides.get(k))
                    .and_then(|o| o.reason.clone())
                    .unwrap_or_default();
                tags.insert(reasons::key(&parameter.name), reasons::encode(&reason));
            }
        }
        tags
    }
}

fn to_override(key: &str, entry: &OverrideModel) -> Override {
    let mut o = Override::new(key.to_owned(), option_fact(entry.value.as_ref()))
        .with_reason(option_fact(entry.reason.as_ref()));
    o.scope = parse_scope(entry.scope.as_deref());
    o.apply_method = parse_apply_method(entry.apply_method.as_deref());
    o
}

/// Where the baseline keeps `parameter` when no override says otherwise.
pub(crate) fn default_scope(family: &baseline::Family, parameter: &str) -> Scope {
    family
        .parameter(parameter)
        .map_or(Scope::Cluster, |p| p.scope)
}

/// What AWS holds for one group: its scope, its user-set parameters and its tags.
pub(crate) type ActualGroup = (Scope, BTreeMap<String, String>, BTreeMap<String, String>);

/// Rebuilds `overrides` from what AWS holds (import): every value that differs from the
/// baseline, with the reason recorded in the group's tags.
pub(crate) fn reconstruct_overrides(
    family: &baseline::Family,
    actual: &[ActualGroup],
) -> BTreeMap<String, OverrideModel> {
    let mut overrides = BTreeMap::new();
    for (scope, parameters, tags) in actual {
        let reasons = reasons::from_tags(tags);
        for (name, value) in parameters {
            let baseline = family.parameter(name).filter(|p| p.scope == *scope);
            if baseline.is_some_and(|p| p.value == value.as_str()) {
                continue;
            }
            overrides.insert(
                name.clone(),
                OverrideModel {
                    value: Some(value.clone()),
                    reason: reasons.get(name).cloned(),
                    scope: (default_scope(family, name) != *scope)
                        .then(|| scope_name(*scope).to_owned()),
                    apply_method: None,
                },
            );
        }
    }
    overrides
}

/// `cluster` or `instance`.
pub(crate) fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::Cluster => "cluster",
        Scope::Instance => "instance",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(family: &str, overrides: Vec<(&str, Value)>) -> Value {
        let map = overrides
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        Value::Object(
            [
                ("family".to_owned(), Value::String(family.into())),
                ("overrides".to_owned(), Value::Map(map)),
            ]
            .into(),
        )
    }

    fn entry(value: &str, reason: Option<&str>) -> Value {
        Value::Object(
            [
                ("value".to_owned(), Value::String(value.into())),
                (
                    "reason".to_owned(),
                    reason.map_or(Value::Null, |r| Value::String(r.into())),
                ),
                ("scope".to_owned(), Value::Null),
                ("apply_method".to_owned(), Value::Null),
            ]
            .into(),
        )
    }

    #[test]
    fn baseline_alone_is_clean_and_known() {
        let d = Desired::from_value(&config("aurora-postgresql16", vec![])).unwrap();
        assert!(d.diagnostics().is_empty(), "{:?}", d.diagnostics());
        let cluster = d.values(Scope::Cluster).unwrap();
        assert_eq!(cluster["rds.force_ssl"], "1");
    }

    #[test]
    fn weakening_tls_is_an_error_on_the_override() {
        let d = Desired::from_value(&config(
            "aurora-postgresql16",
            vec![("rds.force_ssl", entry("0", Some("legacy client")))],
        ))
        .unwrap();
        let diags = d.diagnostics();
        let first = diags.iter().next().unwrap();
        assert!(first.summary.contains("G10"), "{}", first.summary);
        assert_eq!(
            first.attribute.as_ref().unwrap().to_string(),
            "overrides[\"rds.force_ssl\"]"
        );
    }

    #[test]
    fn missing_reason_points_at_reason() {
        let d = Desired::from_value(&config(
            "aurora-postgresql16",
            vec![("log_min_duration_statement", entry("500", None))],
        ))
        .unwrap();
        let diags = d.diagnostics();
        let first = diags.iter().next().unwrap();
        assert_eq!(
            first.attribute.as_ref().unwrap().to_string(),
            "overrides[\"log_min_duration_statement\"]"
        );
        assert!(first.detail.contains("reason"), "{}", first.detail);
    }

    #[test]
    fn unknown_family_lists_the_supported_ones() {
        let d = Desired::from_value(&config("aurora-postgresql99", vec![])).unwrap();
        let diags = d.diagnostics();
        let first = diags.iter().next().unwrap();
        assert_eq!(first.attribute.as_ref().unwrap().to_string(), "family");
        assert!(
            first.detail.contains("aurora-postgresql16"),
            "{}",
            first.detail
        );
    }

    #[test]
    fn unknown_override_value_defers_effective_values() {
        let d = Desired::from_value(&config(
            "aurora-postgresql16",
            vec![(
                "log_min_duration_statement",
                Value::Object(
                    [
                        ("value".to_owned(), Value::unknown()),
                        ("reason".to_owned(), Value::String("r".into())),
                    ]
                    .into(),
                ),
            )],
        ))
        .unwrap();
        assert!(!d.is_known());
        assert!(d.values(Scope::Cluster).is_none());
    }

    #[test]
    fn import_reconstructs_only_departures_from_the_baseline() {
        let family = baseline::family("aurora-postgresql16").unwrap();
        let mut cluster: BTreeMap<String, String> = family
            .parameters_in(Scope::Cluster)
            .map(|p| (p.name.to_owned(), p.value.to_owned()))
            .collect();
        cluster.insert("max_connections".into(), "500".into());
        let tags = BTreeMap::from([(
            reasons::key("max_connections"),
            reasons::encode("pool, sized"),
        )]);
        let rebuilt = reconstruct_overrides(family, &[(Scope::Cluster, cluster, tags)]);
        assert_eq!(rebuilt.len(), 1);
        let o = &rebuilt["max_connections"];
        assert_eq!(o.value.as_deref(), Some("500"));
        assert_eq!(o.reason.as_deref(), Some("pool, sized"));
        assert_eq!(o.scope, None);
    }
}
