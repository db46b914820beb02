//! dbrail's parameter baselines and how overrides combine with them.
//!
//! A dbrail parameter group starts from a baseline per family (TLS, audit logging, session
//! logging, timeouts) instead of AWS's defaults, which leave TLS optional and auditing off. Users
//! may depart from it with an [`Override`] that states a reason. Parameters that a guardrail
//! checks are *locked*: an override must keep what that rule requires (adding `write` to
//! `pgaudit.log` is fine, `rds.force_ssl = 0` is refused), so a dbrail parameter group cannot
//! fail G9 or G10 by construction.
//!
//! Supported families: Aurora PostgreSQL 13–17 and Aurora MySQL 8.0 and 8.4. Aurora MySQL 5.7
//! and Aurora PostgreSQL 11 and 12 are excluded: they are past the end of standard support and
//! run only under paid Extended Support, so a new guarded database should not start there (see
//! [`excluded_families`]). The `aurora-mysql8.4` family name follows AWS's naming for Aurora
//! MySQL version 8.4; that every 8.0 baseline parameter exists unchanged on 8.4 is unconfirmed.
//!
//! [`merge`] yields the effective parameters and the findings; [`batches`] splits the effective
//! parameters into modify calls. The checks `merge` performs are documented in [`checks`].

mod batch;
pub mod checks;
mod coupling;
mod family;
mod merge;
mod mysql;
mod name;
mod postgres;

pub use batch::{MAX_BATCH, batches};
pub use coupling::{COUPLED, coupling_group};
pub use family::{
    ApplyMethod, BaselineParameter, ExcludedFamily, Family, excluded_families, families, family,
};
pub use merge::{EffectiveParameter, Merged, Override, Source, merge};
pub use name::{MAX_NAME_LEN, is_valid as is_valid_parameter_name};
