//! The guardrails themselves, one file per rule.
//!
//! Parameter-group rules are tables of [`Requirement`]s evaluated by one shared function, which
//! also judges a cluster through its effective cluster parameter group ([`through_baseline`]).
//! Cluster rules are plain check functions over the cluster subject, sharing the helpers of
//! [`cluster`]. The catalogue order is the order of [`RULES`]: numbered guardrails by number,
//! then dbrail's own checks.

mod access_boundary;
mod access_db_user;
mod access_least_privilege;
mod access_mfa;
mod access_session;
mod admin_defaults;
mod audit;
mod backup;
mod backup_plan;
mod cluster;
mod deletion;
mod encryption;
mod iam_auth;
pub(crate) mod iam_wildcard;
mod log_exports;
mod log_statement;
mod master_password;
mod monitoring;
mod multi_az;
mod public_access;
pub(crate) mod requirement;
mod snapshots;
mod tagging;
mod through_baseline;
mod tls;
mod values;
mod versions;

use crate::{Engine, Rule};
pub(crate) use access_mfa::MFA_KEY;
pub use log_exports::required_log_exports;
use requirement::Requirement;

/// Every rule, in catalogue order.
pub(crate) static RULES: [Rule; 23] = [
    encryption::RULE,
    snapshots::RULE,
    public_access::RULE,
    deletion::RULE,
    iam_auth::RULE,
    backup::RULE,
    backup_plan::RULE,
    log_exports::RULE,
    audit::RULE,
    tls::RULE,
    versions::RULE,
    multi_az::RULE,
    monitoring::RULE,
    tagging::RULE,
    admin_defaults::RULE,
    master_password::RULE,
    log_statement::RULE,
    iam_wildcard::RULE,
    access_least_privilege::RULE,
    access_boundary::RULE,
    access_session::RULE,
    access_db_user::RULE,
    access_mfa::RULE,
];

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
