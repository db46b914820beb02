//! The `dbrail policy` command as a library.
//!
//! CI pipelines need the same verdict the provider gives at plan time, but for every database in
//! a plan: dbrail's own resources and plain AWS ones written without dbrail. This crate reads a
//! `terraform show -json` document once into typed structures ([`plan`]), turns each
//! database-related resource into a rules [`Subject`](dbrail_rules::Subject) with the facts that
//! other resources contribute (instances, parameter groups: [`subjects`]), evaluates the shared
//! catalogue ([`check`]) and renders the result ([`report`]).
//!
//! It is a library so that tests (and the binary) drive it without spawning processes; typed
//! errors live here, `anyhow` only in `main.rs`.

pub mod attrs;
mod beside;
pub mod catalogue;
pub mod check;
pub mod error;
pub mod fields;
pub mod file;
pub mod glob;
pub mod iam;
mod json;
pub mod plan;
pub mod raw;
pub mod rego;
pub mod report;
pub mod subjects;
pub mod vocabulary;
pub mod waivers;

pub use check::{CheckOptions, check_parsed, check_plan, check_plan_with_policies};
pub use error::InputError;
