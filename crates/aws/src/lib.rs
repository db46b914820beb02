//! AWS access for dbrail, in one place.
//!
//! Resources never talk to the AWS SDK directly: they get [`Clients`] from [`connect`] at
//! provider-configure time and call the finders and operations in [`rds`] and
//! [`backup`]. Everything here is
//! Terraform-agnostic; the provider maps [`ConfigError::attribute`] and
//! [`OperationError`] onto diagnostics.
//!
//! Why the pieces are shaped the way they are:
//! - **Configure-time verification.** [`connect`] resolves region and credentials and calls STS
//!   `GetCallerIdentity` under a short, fixed bound, so a wrong profile, an unreachable endpoint
//!   or an expired token shows up once, on the provider block, naming the attribute to fix —
//!   instead of as the first resource's create failing twenty minutes later.
//! - **One deadline per Terraform operation.** A resource's create may retry throttling, then
//!   wait for a cluster to become available, then retry a busy parameter group. All of these
//!   share one [`Deadline`] (the resource's timeout), so the sum never exceeds what the user
//!   configured, and [`retry`] / [`wait_for`] both stop promptly on cancellation (Terraform's
//!   `StopProvider` or Ctrl-C).
//! - **Classification, not string matching at call sites.** [`classify`] turns every SDK error
//!   into an [`AwsError`] with an [`ErrorClass`]; callers ask `is_not_found()` or
//!   `is_retryable()` and never look at codes.
//! - **Plain structs out.** Operations return crate types ([`rds::ParameterGroup`],
//!   [`rds::Parameter`], [`rds::Cluster`], [`rds::Instance`], ...) so callers don't depend on
//!   SDK builders and tests don't need them.
//! - **Our HTTP client.** The SDK's default HTTPS client (aws-lc) is disabled workspace-wide; the
//!   client is built here with rustls + ring and given to every service config.

mod backoff;
pub mod backup;
mod classify;
mod clients;
mod config_error;
mod deadline;
mod error;
mod http_client;
pub mod iam;
mod identity;
pub mod rds;
mod retry;
mod settings;
mod validate;
mod wait;

pub use classify::classify;
pub use clients::{Clients, IDENTITY_TIMEOUT, connect};
pub use config_error::ConfigError;
pub use deadline::Deadline;
pub use error::{AwsError, ErrorClass, OperationError};
pub use retry::{TRANSIENT_RETRY_BUDGET, retry};
pub use settings::{
    AssumeRole, DEFAULT_MAX_ATTEMPTS, Endpoints, Secret, Settings, StaticCredentials,
};
pub use tokio_util::sync::CancellationToken;
pub use wait::wait_for;
