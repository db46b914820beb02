//! Parameter group families and their baseline parameters.

use serde::{Deserialize, Serialize};

use crate::baseline::{mysql, postgres};
use crate::{Engine, Scope};

/// How AWS applies a parameter change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ApplyMethod {
    /// `immediate`: dynamic parameters, applied without a reboot.
    #[serde(rename = "immediate")]
    Immediate,
    /// `pending-reboot`: required for static parameters; applied at the next reboot.
    #[serde(rename = "pending-reboot")]
    PendingReboot,
}

impl ApplyMethod {
    /// The name the RDS API uses.
    pub fn name(self) -> &'static str {
        match self {
            ApplyMethod::Immediate => "immediate",
            ApplyMethod::PendingReboot => "pending-reboot",
        }
    }
}

/// One parameter dbrail sets by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct BaselineParameter {
    /// The parameter's name, lower case.
    pub name: &'static str,
    /// The value dbrail sets.
    pub value: &'static str,
    /// The parameter group it belongs in.
    pub scope: Scope,
    /// How a change is applied: `pending-reboot` for static parameters.
    pub apply_method: ApplyMethod,
    /// The rule that checks this parameter, if any. An override of a locked parameter must keep
    /// what that rule requires; one that weakens it is refused.
    pub locked_by: Option<&'static str>,
    /// Why dbrail sets this value.
    pub why: &'static str,
}

impl BaselineParameter {
    pub(crate) const fn new(
        name: &'static str,
        value: &'static str,
        scope: Scope,
        apply_method: ApplyMethod,
        locked_by: Option<&'static str>,
        why: &'static str,
    ) -> Self {
        Self {
            name,
            value,
            scope,
            apply_method,
            locked_by,
            why,
        }
    }

    /// Whether overrides of this parameter are restricted by a rule.
    pub fn is_locked(&self) -> bool {
        self.locked_by.is_some()
    }
}

/// A parameter group family dbrail supports, such as `aurora-postgresql16`.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Family {
    name: &'static str,
    engine: Engine,
    major_version: &'static str,
    parameters: &'static [BaselineParameter],
}

impl Family {
    /// The family name as the RDS API spells it.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The engine.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The engine major version: `16` for Aurora PostgreSQL, `8.0` for Aurora MySQL.
    pub fn major_version(&self) -> &'static str {
        self.major_version
    }

    /// The baseline parameters, cluster scope first.
    pub fn parameters(&self) -> &'static [BaselineParameter] {
        self.parameters
    }

    /// The baseline parameters of one scope.
    pub fn parameters_in(&self, scope: Scope) -> impl Iterator<Item = &'static BaselineParameter> {
        self.parameters.iter().filter(move |p| p.scope == scope)
    }

    /// A baseline parameter by name, ignoring ASCII case.
    pub fn parameter(&self, name: &str) -> Option<&'static BaselineParameter> {
        let name = name.trim();
        self.parameters
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }
}

/// A family dbrail deliberately does not support, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExcludedFamily {
    /// The family name.
    pub name: &'static str,
    /// Why it is not supported.
    pub reason: &'static str,
}

const fn define(
    name: &'static str,
    engine: Engine,
    major_version: &'static str,
    parameters: &'static [BaselineParameter],
) -> Family {
    Family {
        name,
        engine,
        major_version,
        parameters,
    }
}

static FAMILIES: [Family; 7] = [
    define(
        "aurora-postgresql13",
        Engine::AuroraPostgresql,
        "13",
        postgres::PARAMETERS,
    ),
    define(
        "aurora-postgresql14",
        Engine::AuroraPostgresql,
        "14",
        postgres::PARAMETERS,
    ),
    define(
        "aurora-postgresql15",
        Engine::AuroraPostgresql,
        "15",
        postgres::PARAMETERS,
    ),
    define(
        "aurora-postgresql16",
        Engine::AuroraPostgresql,
        "16",
        postgres::PARAMETERS,
    ),
    define(
        "aurora-postgresql17",
        Engine::AuroraPostgresql,
        "17",
        postgres::PARAMETERS,
    ),
    define(
        "aurora-mysql8.0",
        Engine::AuroraMysql,
        "8.0",
        mysql::PARAMETERS,
    ),
    define(
        "aurora-mysql8.4",
        Engine::AuroraMysql,
        "8.4",
        mysql::PARAMETERS,
    ),
];

static EXCLUDED: [ExcludedFamily; 3] = [
    ExcludedFamily {
        name: "aurora-mysql5.7",
        reason: "Aurora MySQL version 2 (MySQL 5.7) is past the end of standard support (31 October \
2024); it runs only under paid RDS Extended Support. Upgrade to aurora-mysql8.0 or aurora-mysql8.4.",
    },
    ExcludedFamily {
        name: "aurora-postgresql11",
        reason: "Aurora PostgreSQL 11 is past the end of standard support; it runs only under paid \
RDS Extended Support. Upgrade to a supported major version.",
    },
    ExcludedFamily {
        name: "aurora-postgresql12",
        reason: "Aurora PostgreSQL 12 is past the end of standard support; it runs only under paid \
RDS Extended Support. Upgrade to a supported major version.",
    },
];

/// Every supported family.
pub fn families() -> &'static [Family] {
    &FAMILIES
}

/// A supported family by name, ignoring ASCII case.
pub fn family(name: &str) -> Option<&'static Family> {
    let name = name.trim();
    FAMILIES.iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// Families that exist but dbrail does not support, with the reason.
pub fn excluded_families() -> &'static [ExcludedFamily] {
    &EXCLUDED
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::guardrails;

    #[test]
    fn families_are_named_after_their_engine_and_version() {
        for f in families() {
            assert_eq!(
                f.name(),
                format!("{}{}", f.engine().name(), f.major_version())
            );
            assert_eq!(Engine::from_family(f.name()), Some(f.engine()));
            assert_eq!(family(&f.name().to_ascii_uppercase()), Some(f));
        }
        assert!(family("aurora-mysql5.7").is_none());
        assert!(excluded_families().iter().all(|e| family(e.name).is_none()));
    }

    #[test]
    fn parameter_names_are_unique_lower_case_and_valid() {
        for family in families() {
            let mut names = BTreeSet::new();
            for p in family.parameters() {
                assert!(
                    names.insert(p.name),
                    "{} twice in {}",
                    p.name,
                    family.name()
                );
                assert_eq!(p.name, p.name.to_ascii_lowercase());
                assert!(crate::baseline::name::is_valid(p.name), "{}", p.name);
            }
        }
    }

    #[test]
    fn every_family_has_both_scopes() {
        for family in families() {
            assert!(
                family.parameters_in(Scope::Cluster).next().is_some(),
                "{}",
                family.name()
            );
            assert!(
                family.parameters_in(Scope::Instance).next().is_some(),
                "{}",
                family.name()
            );
        }
    }

    #[test]
    fn every_lock_is_backed_by_a_requirement_the_baseline_value_meets() {
        for family in families() {
            for p in family.parameters() {
                let Some(rule) = p.locked_by else { continue };
                let requirement = guardrails::requirement(rule, family.engine(), p.name)
                    .unwrap_or_else(|| panic!("{} locked by {rule} without a requirement", p.name));
                assert_eq!(
                    requirement.check(p.value),
                    Ok(()),
                    "{} = {}",
                    p.name,
                    p.value
                );
            }
        }
    }

    #[test]
    fn everything_a_rule_requires_is_in_the_baseline_and_locked_by_it() {
        for family in families() {
            for r in guardrails::requirements().filter(|r| r.engine == family.engine()) {
                let baseline = family
                    .parameter(r.parameter)
                    .unwrap_or_else(|| panic!("{} missing from {}", r.parameter, family.name()));
                assert_eq!(
                    baseline.locked_by,
                    Some(r.rule),
                    "{} in {}",
                    r.parameter,
                    family.name()
                );
            }
        }
    }

    #[test]
    fn static_parameters_wait_for_a_reboot() {
        let pg = family("aurora-postgresql16").unwrap();
        assert_eq!(
            pg.parameter("shared_preload_libraries")
                .unwrap()
                .apply_method,
            ApplyMethod::PendingReboot
        );
        assert_eq!(
            pg.parameter("pgaudit.log").unwrap().apply_method,
            ApplyMethod::Immediate
        );
    }
}
