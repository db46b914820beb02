//! The circumstances of an evaluation.
//!
//! The same configuration can be acceptable in development and not in production, and a failure
//! can be accepted for a while by a waiver. Both depend on facts outside the subject (the
//! environment's tier, today's date, the waivers in force) which the caller supplies here, so the
//! rules stay pure functions.
//!
//! Organisation policy that varies between users also arrives here rather than being hard-coded
//! in a rule: the backup retention floor (G6, raised by a backup policy) and the tag keys every
//! cluster must carry (G14).

use serde::{Deserialize, Serialize};

use crate::{Date, Waiver};

/// How strictly an environment is held to the guardrails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Serves customers or holds their data; every rule blocks.
    Production,
    /// Pre-production; rules that relax below production only warn.
    Staging,
    /// Development and test; rules that relax below production only warn.
    Development,
}

impl Tier {
    /// Whether this is the production tier.
    pub fn is_production(self) -> bool {
        self == Tier::Production
    }
}

/// What a rule may know besides its subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context<'a> {
    /// The environment's tier.
    pub tier: Tier,
    /// Today's date, for waiver expiry.
    pub today: Date,
    /// The waivers in force for the subject being evaluated, in the order the caller holds them
    /// (findings about a waiver point at its position).
    pub waivers: &'a [Waiver],
    /// The fewest days of automated backups G6 accepts; [`Self::DEFAULT_BACKUP_FLOOR_DAYS`]
    /// unless a policy raises it.
    pub backup_floor_days: u32,
    /// Tag keys every cluster must carry with a non-blank value (G14); none by default. Keys
    /// compare exactly, as AWS tag keys are case-sensitive.
    pub required_tags: &'a [&'a str],
}

impl<'a> Context<'a> {
    /// The backup retention floor unless a policy raises it: 7 days, the floor of Security Hub
    /// RDS.50/RDS.11, checkov CKV_AWS_133 and trivy AVD-AWS-0077.
    pub const DEFAULT_BACKUP_FLOOR_DAYS: u32 = 7;

    /// The longest automated backup retention Aurora accepts, in days.
    pub const MAX_BACKUP_RETENTION_DAYS: u32 = 35;

    /// A context without waivers or required tags, with the default backup floor.
    pub fn new(tier: Tier, today: Date) -> Self {
        Self {
            tier,
            today,
            waivers: &[],
            backup_floor_days: Self::DEFAULT_BACKUP_FLOOR_DAYS,
            required_tags: &[],
        }
    }

    /// The same context with these waivers.
    #[must_use]
    pub fn with_waivers<'b>(self, waivers: &'b [Waiver]) -> Context<'b>
    where
        'a: 'b,
    {
        Context {
            tier: self.tier,
            today: self.today,
            waivers,
            backup_floor_days: self.backup_floor_days,
            required_tags: self.required_tags,
        }
    }

    /// The same context with a backup retention floor of `days`, kept within what Aurora
    /// accepts (1–35 days) so that the floor can always be met.
    #[must_use]
    pub fn with_backup_floor(mut self, days: u32) -> Self {
        self.backup_floor_days = days.clamp(1, Self::MAX_BACKUP_RETENTION_DAYS);
        self
    }

    /// The same context requiring these tag keys on every cluster.
    #[must_use]
    pub fn with_required_tags<'b>(self, keys: &'b [&'b str]) -> Context<'b>
    where
        'a: 'b,
    {
        Context {
            tier: self.tier,
            today: self.today,
            waivers: self.waivers,
            backup_floor_days: self.backup_floor_days,
            required_tags: keys,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2025, 6, 1).unwrap()
    }

    #[test]
    fn defaults_to_a_seven_day_floor_and_no_required_tags() {
        let context = Context::new(Tier::Production, today());
        assert_eq!(context.backup_floor_days, 7);
        assert!(context.required_tags.is_empty());
    }

    #[test]
    fn keeps_policy_across_builders_and_clamps_the_floor() {
        let waivers = [Waiver::new("G6", "migration", today())];
        let context = Context::new(Tier::Staging, today())
            .with_backup_floor(14)
            .with_required_tags(&["owner"])
            .with_waivers(&waivers);
        assert_eq!(context.backup_floor_days, 14);
        assert_eq!(context.required_tags, ["owner"]);
        assert_eq!(context.waivers.len(), 1);

        let context = Context::new(Tier::Production, today());
        assert_eq!(context.with_backup_floor(90).backup_floor_days, 35);
        assert_eq!(context.with_backup_floor(0).backup_floor_days, 1);
    }
}
