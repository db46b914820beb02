//! The guardrails themselves, one file per rule.
//!
//! Parameter-group rules are tables of [`Requirement`]s evaluated by one shared function; later
//! rules over clusters and instances will be plain check functions over their own subjects. The
//! catalogue order is the order of [`RULES`].

mod audit;
mod log_statement;
pub(crate) mod requirement;
mod tls;
mod values;

use crate::{Engine, Rule};
use requirement::Requirement;

/// Every rule, in catalogue order.
pub(crate) static RULES: [Rule; 3] = [audit::RULE, tls::RULE, log_statement::RULE];

/// Every parameter requirement of every rule.
pub(crate) fn requirements() -> impl Iterator<Item = &'static Requirement> {
    [
        audit::REQUIREMENTS,
        tls::REQUIREMENTS,
        log_statement::REQUIREMENTS,
    ]
    .into_iter()
    .flatten()
}

/// The requirement `rule` places on `parameter` of `engine`, if any.
pub(crate) fn requirement(
    rule: &str,
    engine: Engine,
    parameter: &str,
) -> Option<&'static Requirement> {
    requirements().find(|r| {
        r.rule == rule && r.engine == engine && r.parameter.eq_ignore_ascii_case(parameter.trim())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_requirement_names_a_rule_in_the_catalogue() {
        for r in requirements() {
            assert!(RULES.iter().any(|rule| rule.id == r.rule), "{}", r.rule);
            assert_eq!(r.parameter, r.parameter.to_ascii_lowercase());
        }
    }

    #[test]
    fn finds_requirements_by_rule_engine_and_parameter() {
        assert!(requirement("G10", Engine::AuroraPostgresql, "RDS.FORCE_SSL").is_some());
        assert!(requirement("G10", Engine::AuroraMysql, "rds.force_ssl").is_none());
        assert!(requirement("G9", Engine::AuroraPostgresql, "rds.force_ssl").is_none());
    }
}
