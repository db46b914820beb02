//! What the fault proxy does to each call: an ordered list of rules, decided with a seeded RNG.
//!
//! The decision is pure (call name in, fault out) so it is unit-tested without sockets, and
//! deterministic: the same seed gives the same sequence of draws, so a failing run can be
//! replayed by its seed. Under parallel applies the order in which calls *arrive* varies, so
//! which call gets which draw may differ between runs; the rates do not.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// One thing the proxy can do instead of (or before) forwarding a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 400 with the protocol's throttling error (`Throttling` / `ThrottlingException`).
    Throttle,
    /// HTTP 5xx with the protocol's server error (`InternalFailure`, `ServiceUnavailable`).
    ServerError(u16),
    /// Forward the call, but only after this delay.
    Slow(Duration),
    /// Close the connection without any response; the emulator never sees the call.
    Drop,
    /// Forward the call, then close the connection instead of answering: the emulator did
    /// the work but the caller never hears of it (a create whose answer was lost).
    LoseResponse,
}

/// When a rule fires on a call it matches.
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// On every matching call.
    Always,
    /// On this fraction (0.0 to 1.0) of matching calls, drawn from the plan's seeded RNG.
    Rate(f64),
    /// On the first `n` matching calls only.
    FirstN(u32),
    /// On the first `n` calls of each matching operation.
    FirstNEach(u32),
}

/// Which calls a rule applies to, by operation name (`CreateDBCluster`, `GetCallerIdentity`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Calls {
    /// Every call.
    All,
    /// Only these operations.
    Only(BTreeSet<String>),
    /// Every operation but these.
    Except(BTreeSet<String>),
}

impl Calls {
    /// Only the named operations.
    pub fn only<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        Self::Only(names.into_iter().map(str::to_owned).collect())
    }

    /// Every operation but the named ones.
    pub fn except<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        Self::Except(names.into_iter().map(str::to_owned).collect())
    }

    fn matches(&self, action: Option<&str>) -> bool {
        match self {
            Self::All => true,
            Self::Only(set) => action.is_some_and(|a| set.contains(a)),
            Self::Except(set) => !action.is_some_and(|a| set.contains(a)),
        }
    }
}

/// One rule: a fault, on which calls, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// What to do.
    pub fault: Fault,
    /// To which calls.
    pub calls: Calls,
    /// How often.
    pub trigger: Trigger,
    fired: u32,
    fired_each: BTreeMap<String, u32>,
}

impl Rule {
    /// A rule; see [`FaultPlan::rule`].
    pub fn new(fault: Fault, calls: Calls, trigger: Trigger) -> Self {
        Self {
            fault,
            calls,
            trigger,
            fired: 0,
            fired_each: BTreeMap::new(),
        }
    }
}

/// The proxy's configuration: rules tried in order, the first that fires wins.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultPlan {
    seed: u64,
    rng: u64,
    rules: Vec<Rule>,
}

impl Default for FaultPlan {
    fn default() -> Self {
        Self::seeded(0x0DB_5EED)
    }
}

impl FaultPlan {
    /// No faults at all: every call is forwarded untouched.
    pub fn none() -> Self {
        Self::default()
    }

    /// An empty plan whose rates draw from an RNG seeded with `seed`.
    pub fn seeded(seed: u64) -> Self {
        Self {
            seed,
            // xorshift must never start at zero.
            rng: if seed == 0 {
                0x2545_F491_4F6C_DD1D
            } else {
                seed
            },
            rules: Vec::new(),
        }
    }

    /// The seed, to print with a failure so the run can be replayed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Adds a rule.
    #[must_use]
    pub fn rule(mut self, fault: Fault, calls: Calls, trigger: Trigger) -> Self {
        self.rules.push(Rule::new(fault, calls, trigger));
        self
    }

    /// Adds `fault` on a `rate` fraction of the `calls`.
    #[must_use]
    pub fn at_rate(self, fault: Fault, rate: f64, calls: Calls) -> Self {
        self.rule(fault, calls, Trigger::Rate(rate))
    }

    /// Adds `fault` on every call to `operation`.
    #[must_use]
    pub fn always(self, fault: Fault, operation: &str) -> Self {
        self.rule(fault, Calls::only([operation]), Trigger::Always)
    }

    /// True when no rule can fire.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The fault for one call (`action` is its operation name when it could be read), if any.
    /// Every rate rule that matches draws once, so the sequence of draws does not depend on
    /// which rule fired first.
    pub fn decide(&mut self, action: Option<&str>) -> Option<Fault> {
        let mut chosen = None;
        for i in 0..self.rules.len() {
            if !self.rules[i].calls.matches(action) {
                continue;
            }
            let fires = match self.rules[i].trigger {
                Trigger::Always => true,
                Trigger::Rate(rate) => self.draw() < rate,
                Trigger::FirstN(n) => self.rules[i].fired < n,
                Trigger::FirstNEach(n) => {
                    self.rules[i]
                        .fired_each
                        .get(action.unwrap_or_default())
                        .copied()
                        .unwrap_or(0)
                        < n
                }
            };
            if fires && chosen.is_none() {
                self.rules[i].fired = self.rules[i].fired.saturating_add(1);
                *self.rules[i]
                    .fired_each
                    .entry(action.unwrap_or_default().to_owned())
                    .or_default() += 1;
                chosen = Some(self.rules[i].fault.clone());
            }
        }
        chosen
    }

    /// A uniform draw in `[0, 1)` (xorshift64*).
    fn draw(&mut self) -> f64 {
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        let out = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
        // The top 53 bits make an exact f64 in [0, 1).
        #[allow(clippy::cast_precision_loss)]
        let unit = (out >> 11) as f64 / (1u64 << 53) as f64;
        unit
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_plan_never_faults() {
        let mut plan = FaultPlan::none();
        assert!((0..100).all(|_| plan.decide(Some("CreateDBCluster")).is_none()));
    }

    #[test]
    fn rates_are_close_to_the_configured_fraction_and_replayable() {
        let build = || {
            FaultPlan::seeded(42)
                .at_rate(Fault::Throttle, 0.3, Calls::All)
                .at_rate(Fault::ServerError(500), 0.1, Calls::All)
        };
        let run = |mut plan: FaultPlan| -> Vec<Option<Fault>> {
            (0..10_000)
                .map(|_| plan.decide(Some("DescribeDBClusters")))
                .collect()
        };
        let first = run(build());
        assert_eq!(first, run(build()), "same seed, same faults");
        let throttled = first
            .iter()
            .filter(|f| **f == Some(Fault::Throttle))
            .count();
        let failed = first
            .iter()
            .filter(|f| **f == Some(Fault::ServerError(500)))
            .count();
        // 30 % throttled; of the rest, 10 % fail with 500 (7 % of all calls).
        assert!((2_800..3_200).contains(&throttled), "{throttled}");
        assert!((550..850).contains(&failed), "{failed}");
        let other = run(FaultPlan::seeded(43).at_rate(Fault::Throttle, 0.3, Calls::All));
        assert_ne!(first, other, "another seed, other faults");
    }

    #[test]
    fn rules_match_operations_by_name() {
        let mut plan = FaultPlan::none().always(Fault::ServerError(500), "CreateDBCluster");
        assert_eq!(
            plan.decide(Some("CreateDBCluster")),
            Some(Fault::ServerError(500))
        );
        assert_eq!(plan.decide(Some("DescribeDBClusters")), None);
        assert_eq!(plan.decide(None), None);

        let mut plan = FaultPlan::none().rule(
            Fault::Drop,
            Calls::except(["GetCallerIdentity"]),
            Trigger::Always,
        );
        assert_eq!(plan.decide(Some("GetCallerIdentity")), None);
        assert_eq!(plan.decide(Some("CreateDBInstance")), Some(Fault::Drop));
        assert_eq!(plan.decide(None), Some(Fault::Drop));
    }

    #[test]
    fn first_n_fires_n_times_then_stops() {
        let mut plan = FaultPlan::none().rule(
            Fault::Slow(Duration::from_millis(5)),
            Calls::only(["CreateDBInstance"]),
            Trigger::FirstN(2),
        );
        let got: Vec<bool> = (0..4)
            .map(|_| plan.decide(Some("CreateDBInstance")).is_some())
            .collect();
        assert_eq!(got, vec![true, true, false, false]);
    }

    #[test]
    fn first_n_each_counts_per_operation() {
        let mut plan = FaultPlan::none().rule(
            Fault::LoseResponse,
            Calls::only(["CreateDBCluster", "CreateDBInstance"]),
            Trigger::FirstNEach(1),
        );
        assert!(plan.decide(Some("CreateDBCluster")).is_some());
        assert!(plan.decide(Some("CreateDBCluster")).is_none());
        assert!(plan.decide(Some("CreateDBInstance")).is_some());
        assert!(plan.decide(Some("CreateDBInstance")).is_none());
    }

    #[test]
    fn draws_stay_in_the_unit_interval() {
        let mut plan = FaultPlan::seeded(0);
        for _ in 0..10_000 {
            let d = plan.draw();
            assert!((0.0..1.0).contains(&d), "{d}");
        }
    }
}
