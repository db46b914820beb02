//! AWS IAM: the role, inline policy and attached-policy calls a `dbrail_access_role` needs.
//!
//! - [`create_role`], [`find_role`], [`update_role`], [`delete_role`]: the role with its trust
//!   policy, permissions boundary, maximum session duration and tags.
//! - [`put_role_policy`], [`find_role_policy`], [`delete_role_policy`]: one inline policy.
//! - [`list_role_policies`], [`list_attached_role_policies`]: everything else on the role, for
//!   drift warnings and for emptying it before delete.
//!
//! IAM is eventually consistent: a role just created may be `NoSuchEntity` to the next call for
//! a few seconds, and a trust policy naming a principal created moments ago is refused as
//! `MalformedPolicyDocument: Invalid principal`. [`consistency`] retries exactly those answers
//! for a bounded settling window inside the caller's deadline, so they never surface as flakes,
//! while a real not-found after the window is still reported. IAM returns policy documents
//! URL-encoded; they are decoded here so callers compare plain JSON.
//!
//! ## What the moto emulator does (moto 5.x, `moto/iam/`)
//! Roles, inline and managed policies, boundaries, tags and `UpdateRole` behave like AWS for
//! these calls. moto is immediately consistent, so the settling retries are covered by unit
//! tests with scripted answers only, and it does not validate that principals in a trust policy
//! exist.

mod consistency;
mod decode;
mod policy;
mod role;

pub use policy::{
    delete_role_policy, find_role_policy, list_attached_role_policies, list_role_policies,
    put_role_policy,
};
pub use role::{Role, RoleChange, RoleSpec, create_role, delete_role, find_role, update_role};
