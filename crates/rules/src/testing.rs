//! Shared test fixtures.

use crate::{
    Context, Date, Fact, Finding, Outcome, ParameterGroupSubject, Rule, Scope, Subject, Tier,
};

pub(crate) fn date(text: &str) -> Date {
    text.parse().unwrap()
}

/// Production, on 2025-06-01, without waivers.
pub(crate) fn production() -> Context<'static> {
    Context::new(Tier::Production, date("2025-06-01"))
}

fn group(scope: Scope, family: &str, parameters: &[(&str, &str)]) -> ParameterGroupSubject {
    parameters.iter().fold(
        ParameterGroupSubject::new(scope, Fact::Known(family.to_owned())),
        |group, (name, value)| group.with_parameter(*name, Fact::Known((*value).to_owned())),
    )
}

pub(crate) fn cluster(family: &str, parameters: &[(&str, &str)]) -> ParameterGroupSubject {
    group(Scope::Cluster, family, parameters)
}

pub(crate) fn instance(family: &str, parameters: &[(&str, &str)]) -> ParameterGroupSubject {
    group(Scope::Instance, family, parameters)
}

pub(crate) fn evaluate_in(
    rule: &Rule,
    group: ParameterGroupSubject,
    context: &Context<'_>,
) -> Vec<Outcome> {
    rule.evaluate(&Subject::from(group), context)
}

pub(crate) fn failures(outcomes: &[Outcome]) -> Vec<Finding> {
    outcomes
        .iter()
        .filter_map(Outcome::finding)
        .cloned()
        .collect()
}

/// The attributes of the undecided outcomes, as strings.
pub(crate) fn undecided(outcomes: &[Outcome]) -> Vec<String> {
    outcomes
        .iter()
        .filter_map(|outcome| match outcome {
            Outcome::Undecided { attribute, .. } => Some(attribute.to_string()),
            _ => None,
        })
        .collect()
}
