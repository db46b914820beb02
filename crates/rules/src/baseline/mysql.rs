//! The Aurora MySQL baseline (8.0 and 8.4).
//!
//! Cluster scope holds TLS and Advanced Auditing, which AWS configures in the cluster parameter
//! group. Slow-query logging lives at instance scope, where it can be tuned per instance; that
//! placement is unconfirmed for 8.4. `tls_version` stays `TLSv1.2` on both versions: adding
//! TLS 1.3 is allowed as an override (G10 accepts it), but its support on every Aurora MySQL
//! release is unconfirmed. `tls_version` is treated as static (unconfirmed).

use crate::Scope::{Cluster, Instance};
use crate::baseline::ApplyMethod::{Immediate, PendingReboot};
use crate::baseline::BaselineParameter;

/// The baseline, cluster scope first.
pub(crate) const PARAMETERS: &[BaselineParameter] = &[
    BaselineParameter::new(
        "require_secure_transport",
        "ON",
        Cluster,
        Immediate,
        Some("G10"),
        "the server must refuse connections without TLS",
    ),
    BaselineParameter::new(
        "tls_version",
        "TLSv1.2",
        Cluster,
        PendingReboot,
        Some("G10"),
        "the server must accept only TLS 1.2 or newer",
    ),
    BaselineParameter::new(
        "server_audit_logging",
        "1",
        Cluster,
        Immediate,
        Some("G9"),
        "the audit log must be on",
    ),
    BaselineParameter::new(
        "server_audit_events",
        "CONNECT,QUERY_DCL,QUERY_DDL",
        Cluster,
        Immediate,
        Some("G9"),
        "logins, privilege changes and schema changes must be audited",
    ),
    BaselineParameter::new(
        "slow_query_log",
        "1",
        Instance,
        Immediate,
        None,
        "slow statements are logged for diagnosis",
    ),
    BaselineParameter::new(
        "long_query_time",
        "2",
        Instance,
        Immediate,
        None,
        "statements slower than two seconds count as slow",
    ),
    BaselineParameter::new(
        "log_output",
        "FILE",
        Instance,
        Immediate,
        None,
        "logs go to files, which is what the CloudWatch Logs export reads",
    ),
];
