//! RDS Proxy: what G5 and G10 look at on a proxy.
//!
//! Applications that connect through a proxy never talk to the cluster directly, so the
//! cluster's TLS and IAM settings do not protect that hop: the proxy has its own switch for TLS
//! (`require_tls`) and its own authentication settings (each `auth` block's `iam_auth`, or
//! end-to-end IAM through `default_auth_scheme`). The rules name attributes as `aws_db_proxy`
//! spells them, since dbrail has no proxy resource of its own.

use crate::Fact;

/// One `auth` block of a proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProxyAuth {
    /// `DISABLED`, `REQUIRED` or `ENABLED` (SQL Server only); `Absent` leaves it to AWS, which
    /// does not require IAM.
    pub iam_auth: Fact<String>,
}

impl ProxyAuth {
    /// An `auth` block with `iam_auth` as stated.
    pub fn new(iam_auth: Fact<String>) -> Self {
        Self { iam_auth }
    }
}

/// An RDS Proxy (`aws_db_proxy`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProxySubject {
    /// Whether the proxy refuses connections without TLS.
    pub require_tls: Fact<bool>,
    /// The `auth` blocks, in order. `Absent` or empty: none.
    pub auth: Fact<Vec<ProxyAuth>>,
    /// `NONE` or `IAM_AUTH` (end-to-end IAM authentication, which needs no `auth` block).
    pub default_auth_scheme: Fact<String>,
}

impl ProxySubject {
    /// A proxy about which nothing is known yet.
    pub fn new() -> Self {
        Self {
            require_tls: Fact::Unknown,
            auth: Fact::Unknown,
            default_auth_scheme: Fact::Unknown,
        }
    }

    /// The same proxy with `require_tls` stated.
    #[must_use]
    pub fn with_require_tls(mut self, value: Fact<bool>) -> Self {
        self.require_tls = value;
        self
    }

    /// The same proxy with its `auth` blocks stated.
    #[must_use]
    pub fn with_auth(mut self, value: Fact<Vec<ProxyAuth>>) -> Self {
        self.auth = value;
        self
    }

    /// The same proxy with its default authentication scheme stated.
    #[must_use]
    pub fn with_default_auth_scheme(mut self, value: Fact<String>) -> Self {
        self.default_auth_scheme = value;
        self
    }
}

impl Default for ProxySubject {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_proxy_knows_nothing() {
        let proxy = ProxySubject::new();
        assert!(proxy.require_tls.is_unknown());
        assert!(proxy.auth.is_unknown());
        let proxy = proxy.with_auth(Fact::Known(vec![ProxyAuth::new(Fact::Absent)]));
        assert_eq!(proxy.auth.known().map(Vec::len), Some(1));
    }
}
