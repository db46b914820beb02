//! Parameter requirements: one parameter, one acceptable set of values.
//!
//! G9, G10 and DB-LOG-STATEMENT are each a handful of statements of the form "on engine E,
//! parameter P must satisfy V". Writing them as data serves two callers: the rule's check walks
//! them over a parameter group, and the baseline uses the same predicate to decide whether an
//! override of a locked parameter keeps what the locking rule requires. The two can therefore
//! never disagree.

use crate::guardrails::through_baseline;
use crate::{AttrPath, Engine, Fact, Finding, Outcome, ParameterGroupSubject, Subject};

/// A condition one parameter must meet for a rule to pass.
#[derive(Debug)]
pub(crate) struct Requirement {
    /// The rule the requirement belongs to.
    pub(crate) rule: &'static str,
    /// The engine the parameter belongs to.
    pub(crate) engine: Engine,
    /// The parameter's name, lower case.
    pub(crate) parameter: &'static str,
    /// What to do about a violation, e.g. "set rds.force_ssl = 1".
    pub(crate) fix: &'static str,
    /// Why a group that does not set the parameter fails, or `None` when the engine default is
    /// acceptable.
    pub(crate) when_missing: Option<&'static str>,
    /// Whether a value meets the requirement; the error says what is wrong with it.
    pub(crate) accepts: fn(&str) -> Result<(), String>,
}

impl Requirement {
    /// Checks one known value.
    pub(crate) fn check(&self, value: &str) -> Result<(), String> {
        (self.accepts)(value)
    }

    /// Judges the requirement on one group: `None` when it is met.
    fn judge(&self, group: &ParameterGroupSubject) -> Option<Outcome> {
        let (name, value) = match group.parameter(self.parameter) {
            Some((name, value)) => (name, value.as_deref()),
            None => (self.parameter, Fact::Absent),
        };
        // Built only for an outcome that points at the parameter; a met requirement has none.
        let at = || AttrPath::attribute("parameters").key(name);
        match value {
            Fact::Known(value) => self.check(value).err().map(|problem| {
                Outcome::Fail(Finding::error(
                    self.rule,
                    at(),
                    format!("{} = {value:?}: {problem}", self.parameter),
                    self.fix,
                ))
            }),
            Fact::Unknown => Some(Outcome::Undecided {
                rule: self.rule,
                attribute: at(),
                reason: format!("{} is unknown until apply", self.parameter),
            }),
            Fact::Absent => {
                let why = self.when_missing?;
                if group.parameters_complete {
                    Some(Outcome::Fail(Finding::error(
                        self.rule,
                        at(),
                        format!("{} is not set: {why}", self.parameter),
                        self.fix,
                    )))
                } else {
                    Some(Outcome::Undecided {
                        rule: self.rule,
                        attribute: at(),
                        reason: format!(
                            "the plan does not list every parameter yet, and {} may be among them",
                            self.parameter
                        ),
                    })
                }
            }
        }
    }
}

/// Evaluates a rule made of parameter requirements against a subject: a parameter group
/// directly, a cluster through its effective cluster parameter group.
pub(crate) fn evaluate(
    rule: &'static str,
    requirements: &[Requirement],
    subject: &Subject,
) -> Vec<Outcome> {
    match subject {
        Subject::ParameterGroup(group) => evaluate_group(rule, requirements, group),
        Subject::Cluster(cluster) => through_baseline::evaluate(rule, requirements, cluster),
        Subject::IamPolicy(_)
        | Subject::AccessRole(_)
        | Subject::BackupPolicy(_)
        | Subject::Snapshot(_)
        | Subject::Proxy(_)
        | Subject::GlobalCluster(_) => Vec::new(),
    }
}

/// Evaluates a rule made of parameter requirements against one parameter group.
///
/// The group's engine picks the requirements. A group whose engine is unknown is undecided; one
/// for an engine outside the catalogue gets no outcome. Without violations or unknowns the rule
/// passes once.
pub(crate) fn evaluate_group(
    rule: &'static str,
    requirements: &[Requirement],
    group: &ParameterGroupSubject,
) -> Vec<Outcome> {
    let engine = match group.resolved_engine() {
        Fact::Known(engine) => engine,
        Fact::Absent => return Vec::new(),
        Fact::Unknown => {
            return vec![Outcome::Undecided {
                rule,
                attribute: AttrPath::attribute("family"),
                reason: "the parameter group family is unknown until apply, so the engine and \
                         its parameters are not known"
                    .to_owned(),
            }];
        }
    };
    let mut applicable = requirements
        .iter()
        .filter(|r| r.engine == engine)
        .peekable();
    if applicable.peek().is_none() {
        return Vec::new();
    }
    let outcomes: Vec<Outcome> = applicable.filter_map(|r| r.judge(group)).collect();
    if outcomes.is_empty() {
        vec![Outcome::Pass { rule }]
    } else {
        outcomes
    }
}
