//! Subjects for database access through IAM: policy documents and `dbrail_access_role`.
//!
//! IAM database authentication moves the question "who may log in as this database user" from
//! the database into IAM policies, so the least-privilege checks judge IAM documents. The crate
//! stays free of JSON: callers parse policy documents into [`PolicyStatement`]s (the CLI from
//! plan JSON, the provider from the documents it renders itself), and the rules read the typed
//! statements.
//!
//! [`db_user`] holds the per-engine rules for database user names, which both the guardrail and
//! the provider's SQL generation rely on.

pub mod db_user;
pub mod documents;
mod policy;
mod role;

pub use policy::{IamPolicySubject, PolicyCondition, PolicyStatement};
pub use role::{AccessRoleSubject, AccessTarget, AccessTier, TrustSource};
