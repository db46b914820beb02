//! Merging a family's baseline with user overrides.
//!
//! The result is what the parameter groups will hold: every baseline parameter, each replaced by
//! its accepted override, followed by accepted overrides of parameters the baseline does not set.
//! Overrides that are malformed, that AWS would reject, or that weaken a locked parameter are
//! refused: they are reported and left out, so the effective set never contains them. Findings
//! point at the override (`override[i].name`, `.value`, `.reason`, `.scope`, `.apply_method`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::baseline::checks::{
    FAMILY_UNSUPPORTED, OVERRIDE_APPLY_METHOD, OVERRIDE_DUPLICATE, OVERRIDE_NAME, OVERRIDE_REASON,
    OVERRIDE_SCOPE, OVERRIDE_VALUE,
};
use crate::baseline::{
    ApplyMethod, BaselineParameter, Family, excluded_families, families, family, name,
};
use crate::{AttrPath, Fact, Finding, ParameterGroupSubject, Scope, guardrails};

/// A user's departure from the baseline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The parameter's name.
    pub name: String,
    /// The value to set.
    pub value: Fact<String>,
    /// Why the baseline does not fit.
    pub reason: Fact<String>,
    /// The parameter group: a baseline parameter's own scope when `None`, otherwise cluster.
    pub scope: Option<Scope>,
    /// How to apply: a baseline parameter's own method when `None`, otherwise `immediate`.
    pub apply_method: Option<ApplyMethod>,
}

impl Override {
    /// An override of `name` to `value`, without a reason yet.
    pub fn new(name: impl Into<String>, value: Fact<String>) -> Self {
        Self {
            name: name.into(),
            value,
            reason: Fact::Absent,
            scope: None,
            apply_method: None,
        }
    }

    /// The same override with a known reason.
    #[must_use]
    pub fn because(self, reason: impl Into<String>) -> Self {
        self.with_reason(Fact::Known(reason.into()))
    }

    /// The same override with a reason as the plan sees it.
    #[must_use]
    pub fn with_reason(mut self, reason: Fact<String>) -> Self {
        self.reason = reason;
        self
    }

    /// The same override at an explicit scope.
    #[must_use]
    pub fn at(mut self, scope: Scope) -> Self {
        self.scope = Some(scope);
        self
    }

    /// The same override with an explicit apply method.
    #[must_use]
    pub fn applied(mut self, apply_method: ApplyMethod) -> Self {
        self.apply_method = Some(apply_method);
        self
    }
}

/// Where an effective value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum Source {
    /// dbrail's baseline.
    Baseline,
    /// The override at this position in the overrides passed to [`merge`].
    Override {
        /// The override's position.
        index: usize,
    },
}

/// A parameter as it will be set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectiveParameter {
    /// The parameter's name (the baseline's spelling for baseline parameters).
    pub name: String,
    /// The value; unknown when an override's value is unknown until apply.
    pub value: Fact<String>,
    /// The parameter group it goes to.
    pub scope: Scope,
    /// How AWS applies it.
    pub apply_method: ApplyMethod,
    /// Where the value comes from.
    pub source: Source,
}

impl EffectiveParameter {
    fn from_baseline(parameter: &BaselineParameter) -> Self {
        Self {
            name: parameter.name.to_owned(),
            value: Fact::Known(parameter.value.to_owned()),
            scope: parameter.scope,
            apply_method: parameter.apply_method,
            source: Source::Baseline,
        }
    }
}

/// The outcome of [`merge`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The family, when supported.
    pub family: Option<&'static Family>,
    /// The parameters to set, baseline order first, then added overrides in input order.
    pub effective: Vec<EffectiveParameter>,
    /// What is wrong with the family or the overrides; all errors.
    pub findings: Vec<Finding>,
}

impl Merged {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::is_error)
    }

    /// The effective parameters of one scope.
    pub fn in_scope(&self, scope: Scope) -> impl Iterator<Item = &EffectiveParameter> {
        self.effective.iter().filter(move |p| p.scope == scope)
    }

    /// Where a parameter's effective value comes from, ignoring ASCII case.
    pub fn source_of(&self, name: &str) -> Option<Source> {
        let name = name.trim();
        self.effective
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| p.source)
    }

    /// The parameter group of one scope as the rules see it, or `None` for an unsupported family.
    /// Map a rule's finding at `parameters["<name>"]` back to its override with
    /// [`source_of`](Self::source_of).
    pub fn subject(&self, scope: Scope) -> Option<ParameterGroupSubject> {
        let family = self.family?;
        let group = ParameterGroupSubject::new(scope, Fact::Known(family.name().to_owned()))
            .with_engine(Fact::Known(family.engine()));
        Some(self.in_scope(scope).fold(group, |group, p| {
            group.with_parameter(p.name.clone(), p.value.clone())
        }))
    }
}

/// Merges `overrides` onto the baseline of `family_name`.
pub fn merge(family_name: &str, overrides: &[Override]) -> Merged {
    let family = family(family_name);
    let mut findings = Vec::new();
    if family.is_none() {
        findings.push(unsupported_family(family_name));
    }
    let mut effective: Vec<EffectiveParameter> = family
        .map(|f| {
            f.parameters()
                .iter()
                .map(EffectiveParameter::from_baseline)
                .collect()
        })
        .unwrap_or_default();

    let mut first_index: BTreeMap<String, usize> = BTreeMap::new();
    for (index, entry) in overrides.iter().enumerate() {
        let at = AttrPath::attribute("override").index(index);
        if reason_is_missing(&entry.reason) {
            findings.push(Finding::error(
                OVERRIDE_REASON,
                at.clone().attr("reason"),
                format!("the override of {} gives no reason", entry.name.trim()),
                "add a reason explaining why the baseline value does not fit",
            ));
        }
        if !name::is_valid(&entry.name) {
            findings.push(Finding::error(
                OVERRIDE_NAME,
                at.attr("name"),
                format!("{:?} is not a valid parameter name", entry.name),
                "use the parameter's name only: letters, digits, '_', '.', '-' (no spaces, quotes or '=')",
            ));
            continue;
        }
        let key = entry.name.to_ascii_lowercase();
        if let Some(first) = first_index.get(&key) {
            findings.push(Finding::error(
                OVERRIDE_DUPLICATE,
                at.attr("name"),
                format!("{} is already overridden by override[{first}]", entry.name),
                "remove this duplicate override",
            ));
            continue;
        }
        first_index.insert(key, index);
        if entry.value.is_absent() {
            findings.push(Finding::error(
                OVERRIDE_VALUE,
                at.attr("value"),
                format!("the override of {} sets no value", entry.name),
                "set a value, or remove the override to keep the baseline",
            ));
            continue;
        }

        match family {
            None => {}
            Some(family) => match family.parameter(&entry.name) {
                Some(baseline) => {
                    let refusals = refusals(family, baseline, entry, &at);
                    if refusals.is_empty() {
                        if let Some(slot) = effective.iter_mut().find(|p| p.name == baseline.name) {
                            slot.value = entry.value.clone();
                            slot.apply_method = entry.apply_method.unwrap_or(baseline.apply_method);
                            slot.source = Source::Override { index };
                        }
                    } else {
                        findings.extend(refusals);
                    }
                }
                None => effective.push(EffectiveParameter {
                    name: entry.name.clone(),
                    value: entry.value.clone(),
                    scope: entry.scope.unwrap_or(Scope::Cluster),
                    apply_method: entry.apply_method.unwrap_or(ApplyMethod::Immediate),
                    source: Source::Override { index },
                }),
            },
        }
    }

    Merged {
        family,
        effective,
        findings,
    }
}

fn reason_is_missing(reason: &Fact<String>) -> bool {
    match reason {
        Fact::Known(text) => text.trim().is_empty(),
        Fact::Absent => true,
        Fact::Unknown => false,
    }
}

/// Why an override of a baseline parameter cannot be accepted; empty when it can.
fn refusals(
    family: &Family,
    baseline: &BaselineParameter,
    entry: &Override,
    at: &AttrPath,
) -> Vec<Finding> {
    let mut found = Vec::new();
    if let Some(scope) = entry.scope.filter(|scope| *scope != baseline.scope) {
        found.push(Finding::error(
            OVERRIDE_SCOPE,
            at.clone().attr("scope"),
            format!(
                "{} is a {}-scope parameter in {}, not {}-scope",
                baseline.name,
                baseline.scope.name(),
                family.name(),
                scope.name()
            ),
            format!("remove the scope or set it to {}", baseline.scope.name()),
        ));
    }
    if entry.apply_method == Some(ApplyMethod::Immediate)
        && baseline.apply_method == ApplyMethod::PendingReboot
    {
        found.push(Finding::error(
            OVERRIDE_APPLY_METHOD,
            at.clone().attr("apply_method"),
            format!(
                "{} is static: AWS rejects apply_method immediate for it",
                baseline.name
            ),
            "use apply_method pending-reboot, or leave it unset",
        ));
    }
    if let (Some(rule_id), Fact::Known(value)) = (baseline.locked_by, &entry.value) {
        let verdict = match guardrails::requirement(rule_id, family.engine(), baseline.name) {
            Some(requirement) => requirement.check(value),
            // A lock without a requirement would be a catalogue defect; refuse rather than guess.
            None => Err("the parameter cannot be overridden".to_owned()),
        };
        if let Err(problem) = verdict {
            let title = crate::rule(rule_id).map_or("", |rule| rule.title);
            found.push(Finding::error(
                rule_id,
                at.clone().attr("value"),
                format!(
                    "{} is locked by {rule_id} ({title}); the override {value:?} is refused: {problem}",
                    baseline.name
                ),
                format!("remove this override; {}", baseline.why),
            ));
        }
    }
    found
}

fn unsupported_family(name: &str) -> Finding {
    let supported: Vec<&str> = families().iter().map(|f| f.name()).collect();
    let why = excluded_families()
        .iter()
        .find(|excluded| excluded.name.eq_ignore_ascii_case(name.trim()))
        .map(|excluded| format!(" ({})", excluded.reason))
        .unwrap_or_default();
    Finding::error(
        FAMILY_UNSUPPORTED,
        AttrPath::attribute("family"),
        format!(
            "parameter group family {name:?} is not supported{why}; supported families: {}",
            supported.join(", ")
        ),
        "use one of the supported families",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baseline::checks;
    use crate::testing::production;
    use crate::{Outcome, Subject, evaluate};

    fn known(text: &str) -> Fact<String> {
        Fact::Known(text.to_owned())
    }

    fn reasoned(name: &str, value: &str) -> Override {
        Override::new(name, known(value)).because("reviewed in the capacity plan")
    }

    fn ids(merged: &Merged) -> Vec<&'static str> {
        merged.findings.iter().map(|f| f.rule_id).collect()
    }

    fn value_of<'a>(merged: &'a Merged, name: &str) -> Option<&'a EffectiveParameter> {
        merged.effective.iter().find(|p| p.name == name)
    }

    #[test]
    fn without_overrides_the_baseline_is_effective_and_passes_every_rule() {
        for family in families() {
            let merged = merge(family.name(), &[]);
            assert!(merged.findings.is_empty(), "{}", family.name());
            assert_eq!(merged.effective.len(), family.parameters().len());
            assert!(
                merged
                    .effective
                    .iter()
                    .all(|p| p.source == Source::Baseline)
            );
            for scope in [Scope::Cluster, Scope::Instance] {
                let subject = Subject::from(merged.subject(scope).unwrap());
                for outcome in evaluate(&subject, &production()) {
                    assert!(
                        matches!(outcome, Outcome::Pass { .. }),
                        "{} {scope:?}: {outcome:?}",
                        family.name()
                    );
                }
            }
        }
    }

    #[test]
    fn a_reasoned_override_replaces_the_baseline_value() {
        let merged = merge(
            "aurora-postgresql16",
            &[reasoned("log_min_duration_statement", "250")],
        );
        assert!(merged.findings.is_empty());
        let p = value_of(&merged, "log_min_duration_statement").unwrap();
        assert_eq!(p.value, known("250"));
        assert_eq!(p.source, Source::Override { index: 0 });
        assert_eq!(p.scope, Scope::Instance);
        assert_eq!(
            merged.source_of("LOG_MIN_DURATION_STATEMENT"),
            Some(Source::Override { index: 0 })
        );
    }

    #[test]
    fn an_override_of_a_new_parameter_is_added_with_defaults() {
        let merged = merge(
            "aurora-postgresql16",
            &[
                reasoned("work_mem", "65536").at(Scope::Instance),
                reasoned("timezone", "UTC").applied(ApplyMethod::PendingReboot),
            ],
        );
        assert!(merged.findings.is_empty());
        let work_mem = value_of(&merged, "work_mem").unwrap();
        assert_eq!(
            (work_mem.scope, work_mem.apply_method),
            (Scope::Instance, ApplyMethod::Immediate)
        );
        let timezone = value_of(&merged, "timezone").unwrap();
        assert_eq!(
            (timezone.scope, timezone.apply_method),
            (Scope::Cluster, ApplyMethod::PendingReboot)
        );
        assert_eq!(merged.effective.last().unwrap().name, "timezone");
    }

    #[test]
    fn weakening_a_locked_parameter_is_refused_under_the_locking_rule() {
        let merged = merge(
            "aurora-postgresql15",
            &[
                reasoned("ssl_min_protocol_version", "TLSv1.2"),
                reasoned("rds.force_ssl", "0"),
            ],
        );
        assert_eq!(ids(&merged), ["G10"]);
        let finding = &merged.findings[0];
        assert_eq!(finding.attribute.to_string(), "override[1].value");
        assert!(
            finding.message.contains("rds.force_ssl"),
            "{}",
            finding.message
        );
        assert!(finding.message.contains("G10"), "{}", finding.message);
        assert_eq!(
            finding.fix,
            "remove this override; the server must refuse connections without TLS"
        );
        assert_eq!(
            value_of(&merged, "rds.force_ssl").unwrap().value,
            known("1")
        );
        assert_eq!(merged.source_of("rds.force_ssl"), Some(Source::Baseline));
    }

    #[test]
    fn locked_audit_and_log_parameters_are_refused_when_weakened() {
        let cases = [
            ("aurora-postgresql14", "pgaudit.log", "none", "G9"),
            (
                "aurora-postgresql14",
                "shared_preload_libraries",
                "pg_stat_statements",
                "G9",
            ),
            (
                "aurora-postgresql14",
                "log_statement",
                "all",
                "DB-LOG-STATEMENT",
            ),
            ("aurora-mysql8.0", "require_secure_transport", "OFF", "G10"),
            ("aurora-mysql8.0", "tls_version", "TLSv1.1,TLSv1.2", "G10"),
            ("aurora-mysql8.4", "server_audit_logging", "0", "G9"),
            ("aurora-mysql8.4", "server_audit_events", "CONNECT", "G9"),
        ];
        for (family, name, value, rule) in cases {
            let merged = merge(family, &[reasoned(name, value)]);
            assert_eq!(ids(&merged), [rule], "{name}");
            assert!(merged.findings[0].fix.starts_with("remove this override; "));
        }
    }

    #[test]
    fn strengthening_a_locked_parameter_is_accepted() {
        let merged = merge(
            "aurora-postgresql17",
            &[
                reasoned("pgaudit.log", "ddl,role,write"),
                reasoned(
                    "shared_preload_libraries",
                    "pg_stat_statements,pgaudit,pg_cron",
                ),
                reasoned("ssl_min_protocol_version", "TLSv1.3"),
            ],
        );
        assert!(merged.findings.is_empty(), "{:?}", merged.findings);
        let preload = value_of(&merged, "shared_preload_libraries").unwrap();
        assert_eq!(preload.apply_method, ApplyMethod::PendingReboot);

        let merged = merge(
            "aurora-mysql8.0",
            &[reasoned("tls_version", "TLSv1.2,TLSv1.3")],
        );
        assert!(merged.findings.is_empty());
    }

    #[test]
    fn an_unknown_value_flows_through_and_leaves_the_rule_undecided() {
        let merged = merge(
            "aurora-postgresql16",
            &[Override::new("rds.force_ssl", Fact::Unknown).because("set by a module input")],
        );
        assert!(merged.findings.is_empty());
        let subject = Subject::from(merged.subject(Scope::Cluster).unwrap());
        let outcomes = crate::rule("G10")
            .unwrap()
            .evaluate(&subject, &production());
        assert!(
            matches!(
                outcomes.as_slice(),
                [Outcome::Undecided { rule: "G10", .. }]
            ),
            "{outcomes:?}"
        );
    }

    #[test]
    fn an_override_needs_a_reason() {
        let merged = merge(
            "aurora-mysql8.0",
            &[
                Override::new("long_query_time", known("1")),
                Override::new("slow_query_log", known("0")).because("   "),
                Override::new("log_output", known("FILE")).with_reason(Fact::Unknown),
            ],
        );
        assert_eq!(
            ids(&merged),
            [checks::OVERRIDE_REASON, checks::OVERRIDE_REASON]
        );
        assert_eq!(
            merged.findings[0].attribute.to_string(),
            "override[0].reason"
        );
        assert_eq!(
            merged.findings[1].attribute.to_string(),
            "override[1].reason"
        );
        assert_eq!(
            value_of(&merged, "long_query_time").unwrap().value,
            known("1")
        );
    }

    #[test]
    fn a_parameter_can_be_overridden_once() {
        let merged = merge(
            "aurora-mysql8.0",
            &[
                reasoned("long_query_time", "1"),
                reasoned("LONG_QUERY_TIME", "5"),
            ],
        );
        assert_eq!(ids(&merged), [checks::OVERRIDE_DUPLICATE]);
        assert_eq!(merged.findings[0].attribute.to_string(), "override[1].name");
        assert!(merged.findings[0].message.contains("override[0]"));
        assert_eq!(
            value_of(&merged, "long_query_time").unwrap().value,
            known("1")
        );
    }

    #[test]
    fn malformed_names_are_refused() {
        let merged = merge("aurora-postgresql16", &[reasoned("work_mem=64MB", "65536")]);
        assert_eq!(ids(&merged), [checks::OVERRIDE_NAME]);
        assert_eq!(merged.findings[0].attribute.to_string(), "override[0].name");
        assert_eq!(
            merged.effective.len(),
            family("aurora-postgresql16").unwrap().parameters().len()
        );
    }

    #[test]
    fn a_scope_that_contradicts_the_baseline_is_refused() {
        let merged = merge(
            "aurora-postgresql16",
            &[reasoned("log_statement", "mod").at(Scope::Cluster)],
        );
        assert_eq!(ids(&merged), [checks::OVERRIDE_SCOPE]);
        assert_eq!(
            merged.findings[0].attribute.to_string(),
            "override[0].scope"
        );
        assert_eq!(
            value_of(&merged, "log_statement").unwrap().value,
            known("ddl")
        );
    }

    #[test]
    fn immediate_on_a_static_parameter_is_refused() {
        let merged = merge(
            "aurora-postgresql16",
            &[reasoned("shared_preload_libraries", "pgaudit,pg_cron")
                .applied(ApplyMethod::Immediate)],
        );
        assert_eq!(ids(&merged), [checks::OVERRIDE_APPLY_METHOD]);
        assert_eq!(
            merged.findings[0].attribute.to_string(),
            "override[0].apply_method"
        );
    }

    #[test]
    fn an_override_without_value_is_refused() {
        let merged = merge(
            "aurora-postgresql16",
            &[Override::new("statement_timeout", Fact::Absent).because("no limit")],
        );
        assert_eq!(ids(&merged), [checks::OVERRIDE_VALUE]);
        assert_eq!(
            value_of(&merged, "statement_timeout").unwrap().source,
            Source::Baseline
        );
    }

    #[test]
    fn an_unsupported_family_lists_the_supported_ones_and_still_checks_overrides() {
        let merged = merge(
            "aurora-mysql5.7",
            &[Override::new("long_query_time", known("1"))],
        );
        assert_eq!(
            ids(&merged),
            [checks::FAMILY_UNSUPPORTED, checks::OVERRIDE_REASON]
        );
        let finding = &merged.findings[0];
        assert_eq!(finding.attribute.to_string(), "family");
        assert!(finding.message.contains("aurora-postgresql13"));
        assert!(finding.message.contains("aurora-mysql8.0"));
        assert!(
            finding.message.contains("end of standard support"),
            "{}",
            finding.message
        );
        assert!(merged.effective.is_empty());
        assert!(merged.subject(Scope::Cluster).is_none());

        let merged = merge("postgres16", &[]);
        assert!(!merged.findings[0].message.contains("standard support"));
    }

    #[test]
    fn every_finding_id_is_documented() {
        let merged = merge(
            "nope",
            &[
                Override::new("bad name", known("1")),
                Override::new("a", known("1")),
                Override::new("A", known("1")),
                Override::new("b", Fact::Absent),
            ],
        );
        let documented =
            |id: &str| checks::checks().iter().any(|c| c.id == id) || crate::rule(id).is_some();
        for finding in merged.findings {
            assert!(documented(finding.rule_id), "{}", finding.rule_id);
        }
    }
}
