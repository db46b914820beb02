//! dbrail's guardrail catalogue.
//!
//! One rule object serves two callers. The provider builds a [`Subject`] from a plan's proposed
//! state and turns each [`Finding`] into a diagnostic on the attribute it names; the CI policy
//! command builds subjects from `terraform show -json`, including plain AWS resources, and reports
//! findings at resource addresses. Because both run the same functions over the same
//! [`catalogue`], a configuration that passes plan-time checks passes CI and vice versa, and the
//! documentation generated from each [`Rule`]'s description describes exactly what is enforced.
//!
//! The crate is pure: no I/O, no async runtime, no AWS or protocol types. Everything a rule needs
//! arrives in the subject or the [`Context`] (tier, today's date, waivers).
//!
//! Values a plan does not know yet are [`Fact::Unknown`]; a rule that needs one reports
//! [`Outcome::Undecided`], never a pass.
//!
//! Rule ids: `G<n>` for the numbered guardrails (each mapped to external [`Control`]s),
//! `DB-<TOPIC>` for dbrail's own checks, such as `DB-LOG-STATEMENT` or the override checks of
//! [`baseline::checks`].
//!
//! The [`baseline`] module holds dbrail's parameter baselines per family, merges user overrides
//! into them and splits the result into API batches.
//!
//! Cluster rules (G1–G18) judge a [`ClusterSubject`] and name attributes in `dbrail_cluster`'s
//! vocabulary; [`cluster_attribute_aliases`] translates them for plain `aws_rds_cluster`
//! resources. [`compliance_summary`] condenses outcomes into one [`ComplianceStatus`] per rule for
//! a resource's `compliance` attribute.

pub mod access;
mod aliases;
mod backup_subject;
pub mod baseline;
mod catalogue;
mod cluster_subject;
mod compliance;
mod context;
mod control;
mod date;
mod engine;
mod fact;
mod finding;
mod global_cluster_subject;
mod guardrails;
mod outcome;
mod path;
mod proxy_subject;
mod rule;
mod snapshot_subject;
mod subject;
mod waiver;

#[cfg(test)]
mod testing;

pub use aliases::{cluster_attribute_aliases, cluster_instance_attributes};
pub use backup_subject::{BackupCopy, BackupPolicySubject, LockMode, VaultLock};
pub use catalogue::{catalogue, evaluate, rule};
pub use cluster_subject::ClusterSubject;
pub use compliance::{ComplianceStatus, compliance_summary};
pub use context::{Context, Tier};
pub use control::{Control, Framework};
pub use date::{Date, DateError};
pub use engine::Engine;
pub use fact::Fact;
pub use finding::{Finding, Severity};
pub use global_cluster_subject::GlobalClusterSubject;
pub use guardrails::required_log_exports;
pub use outcome::Outcome;
pub use path::{AttrPath, PathStep};
pub use proxy_subject::{ProxyAuth, ProxySubject};
pub use rule::{CheckFn, Rule, Strictness};
pub use snapshot_subject::SnapshotSubject;
pub use subject::{ParameterGroupSubject, Scope, Subject, SubjectKind};
pub use waiver::Waiver;
