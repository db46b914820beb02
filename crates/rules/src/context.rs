//! The circumstances of an evaluation.
//!
//! The same configuration can be acceptable in development and not in production, and a failure
//! can be accepted for a while by a waiver. Both depend on facts outside the subject (the
//! environment's tier, today's date, the waivers in force) which the caller supplies here, so the
//! rules stay pure functions.

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
}

impl<'a> Context<'a> {
    /// A context without waivers.
    pub fn new(tier: Tier, today: Date) -> Self {
        Self {
            tier,
            today,
            waivers: &[],
        }
    }

    /// The same context with these waivers.
    #[must_use]
    pub fn with_waivers<'b>(self, waivers: &'b [Waiver]) -> Context<'b> {
        Context {
            tier: self.tier,
            today: self.today,
            waivers,
        }
    }
}
