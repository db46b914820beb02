//! `dbrail_access_role` as the rules see it.

use super::PolicyStatement;
use crate::{AttrPath, Engine, Fact};

/// What an access role is for; decides its grants and its limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessTier {
    /// Reads data.
    ReadOnly,
    /// Reads and writes data.
    ReadWrite,
    /// Changes the schema; run from CI with short sessions.
    Migration,
    /// Emergency access through the cluster's master secret; MFA required.
    BreakGlass,
}

impl AccessTier {
    /// Every tier, in documentation order.
    pub const ALL: [AccessTier; 4] = [
        AccessTier::ReadOnly,
        AccessTier::ReadWrite,
        AccessTier::Migration,
        AccessTier::BreakGlass,
    ];

    /// The name used in configuration (`read_only`, ...).
    pub fn name(self) -> &'static str {
        match self {
            AccessTier::ReadOnly => "read_only",
            AccessTier::ReadWrite => "read_write",
            AccessTier::Migration => "migration",
            AccessTier::BreakGlass => "break_glass",
        }
    }

    /// The tier with this configuration name.
    pub fn from_name(name: &str) -> Option<AccessTier> {
        Self::ALL.into_iter().find(|t| t.name() == name.trim())
    }

    /// The longest session the tier allows, in seconds, when it is shorter than IAM's maximum.
    pub fn max_session_seconds(self) -> Option<u32> {
        match self {
            AccessTier::Migration | AccessTier::BreakGlass => Some(3600),
            AccessTier::ReadOnly | AccessTier::ReadWrite => None,
        }
    }
}

/// One database user on one cluster the role may connect as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessTarget {
    /// Where the target is configured: the resource root or a `target[i]` block.
    pub at: AttrPath,
    /// The cluster's resource id (`cluster-…`).
    pub cluster_resource_id: Fact<String>,
    /// The database user name.
    pub db_user: Fact<String>,
}

/// One value saying who may assume the role, with where it is configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustSource {
    /// The attribute, e.g. `trusted_role_arns[0]` or `oidc[0].subject`.
    pub at: AttrPath,
    /// The value.
    pub value: Fact<String>,
    /// Whether the principal can present MFA (IAM roles and users can; services and web
    /// identities cannot).
    pub can_present_mfa: bool,
}

/// An IAM role granting database access.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccessRoleSubject {
    /// What the role is for.
    pub tier: Fact<AccessTier>,
    /// The engine of the target clusters, when known.
    pub engine: Fact<Engine>,
    /// The database users it connects as (none for break-glass roles).
    pub targets: Vec<AccessTarget>,
    /// Who may assume it.
    pub trust_sources: Vec<TrustSource>,
    /// The trust policy, as rendered; unknown while any principal is.
    pub trust_policy: Fact<Vec<PolicyStatement>>,
    /// The role's own permissions policy, as rendered.
    pub policy: Fact<Vec<PolicyStatement>>,
    /// The permissions boundary ARN.
    pub permissions_boundary_arn: Fact<String>,
    /// The maximum session duration in seconds (AWS's default of 3600 when unset).
    pub max_session_duration: Fact<u32>,
    /// Policies on the role besides its own: attached managed policy ARNs and other inline
    /// policy names. Known only when read from AWS; absent at plan time.
    pub extra_policies: Fact<Vec<String>>,
}

impl AccessRoleSubject {
    /// A role of `tier` with nothing else known.
    pub fn new(tier: Fact<AccessTier>) -> Self {
        Self {
            tier,
            engine: Fact::Absent,
            targets: Vec::new(),
            trust_sources: Vec::new(),
            trust_policy: Fact::Absent,
            policy: Fact::Absent,
            permissions_boundary_arn: Fact::Absent,
            max_session_duration: Fact::Known(3600),
            extra_policies: Fact::Absent,
        }
    }

    /// The same role for clusters of `engine`.
    #[must_use]
    pub fn with_engine(mut self, engine: Fact<Engine>) -> Self {
        self.engine = engine;
        self
    }

    /// The same role with one more target.
    #[must_use]
    pub fn with_target(mut self, target: AccessTarget) -> Self {
        self.targets.push(target);
        self
    }

    /// The same role trusting one more principal.
    #[must_use]
    pub fn with_trust_source(mut self, source: TrustSource) -> Self {
        self.trust_sources.push(source);
        self
    }

    /// The same role with its rendered trust policy.
    #[must_use]
    pub fn with_trust_policy(mut self, statements: Fact<Vec<PolicyStatement>>) -> Self {
        self.trust_policy = statements;
        self
    }

    /// The same role with its rendered permissions policy.
    #[must_use]
    pub fn with_policy(mut self, statements: Fact<Vec<PolicyStatement>>) -> Self {
        self.policy = statements;
        self
    }

    /// The same role with a permissions boundary.
    #[must_use]
    pub fn with_permissions_boundary_arn(mut self, arn: Fact<String>) -> Self {
        self.permissions_boundary_arn = arn;
        self
    }

    /// The same role with a maximum session duration.
    #[must_use]
    pub fn with_max_session_duration(mut self, seconds: Fact<u32>) -> Self {
        self.max_session_duration = seconds;
        self
    }

    /// The same role with the extra policies found on it.
    #[must_use]
    pub fn with_extra_policies(mut self, policies: Fact<Vec<String>>) -> Self {
        self.extra_policies = policies;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_round_trip_their_names() {
        for tier in AccessTier::ALL {
            assert_eq!(AccessTier::from_name(tier.name()), Some(tier));
        }
        assert_eq!(AccessTier::from_name("admin"), None);
        assert_eq!(AccessTier::Migration.max_session_seconds(), Some(3600));
        assert_eq!(AccessTier::ReadOnly.max_session_seconds(), None);
    }
}
