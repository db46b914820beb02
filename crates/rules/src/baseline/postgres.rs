//! The Aurora PostgreSQL baseline (every supported major version).
//!
//! Cluster scope holds what must be uniform across the cluster and what AWS only accepts in the
//! cluster parameter group: TLS and pgaudit. Aurora PostgreSQL exposes `log_statement` and
//! `log_min_duration_statement` only in the DB (instance) parameter group, so the session logging
//! and timeout settings live at instance scope; for `log_connections`, `log_disconnections`,
//! `log_lock_waits` and the two timeouts that placement is unconfirmed. `rds.force_ssl` is
//! treated as dynamic (unconfirmed on every version): should AWS reject `immediate`, the
//! error is loud, whereas a needless `pending-reboot` would silently delay enforcement.

use crate::Scope::{Cluster, Instance};
use crate::baseline::ApplyMethod::{Immediate, PendingReboot};
use crate::baseline::BaselineParameter;

/// The baseline, cluster scope first.
pub(crate) const PARAMETERS: &[BaselineParameter] = &[
    BaselineParameter::new(
        "rds.force_ssl",
        "1",
        Cluster,
        Immediate,
        Some("G10"),
        "the server must refuse connections without TLS",
    ),
    BaselineParameter::new(
        "ssl_min_protocol_version",
        "TLSv1.2",
        Cluster,
        Immediate,
        Some("G10"),
        "the server must refuse TLS versions older than 1.2",
    ),
    BaselineParameter::new(
        "shared_preload_libraries",
        "pg_stat_statements,pgaudit",
        Cluster,
        PendingReboot,
        Some("G9"),
        "pgaudit must be loaded to write audit records; pg_stat_statements keeps query statistics",
    ),
    BaselineParameter::new(
        "pgaudit.log",
        "ddl,role",
        Cluster,
        Immediate,
        Some("G9"),
        "schema changes and changes to roles and privileges must be audited",
    ),
    BaselineParameter::new(
        "pgaudit.role",
        "rds_pgaudit",
        Cluster,
        Immediate,
        None,
        "enables object audit logging for objects granted to the rds_pgaudit role",
    ),
    BaselineParameter::new(
        "log_connections",
        "1",
        Instance,
        Immediate,
        None,
        "logins are part of the audit trail",
    ),
    BaselineParameter::new(
        "log_disconnections",
        "1",
        Instance,
        Immediate,
        None,
        "session ends and durations complete the audit trail",
    ),
    BaselineParameter::new(
        "log_statement",
        "ddl",
        Instance,
        Immediate,
        Some("DB-LOG-STATEMENT"),
        "schema changes are logged; `all` would log passwords and query data",
    ),
    BaselineParameter::new(
        "log_min_duration_statement",
        "1000",
        Instance,
        Immediate,
        None,
        "statements slower than one second are logged for diagnosis",
    ),
    BaselineParameter::new(
        "log_lock_waits",
        "1",
        Instance,
        Immediate,
        None,
        "lock waits longer than the deadlock timeout are logged",
    ),
    BaselineParameter::new(
        "idle_in_transaction_session_timeout",
        "900000",
        Instance,
        Immediate,
        None,
        "a session idle in a transaction for 15 minutes is ended so it cannot hold locks or \
block vacuum",
    ),
    BaselineParameter::new(
        "statement_timeout",
        "3600000",
        Instance,
        Immediate,
        None,
        "a statement running for an hour is cancelled; sessions that need longer (migrations) \
set their own timeout",
    ),
];
