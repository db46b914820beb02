//! `aws_db_proxy`: TLS (G10) and IAM authentication (G5) on the hop from clients to the proxy.
//!
//! The proxy terminates client connections, so the cluster's own TLS parameters and IAM switch
//! do not cover that hop; the proxy's `require_tls` and `auth` blocks do. AWS defaults apply to
//! what is not set: `require_tls` off, `iam_auth` not required.

use dbrail_rules::{Fact, ProxyAuth, ProxySubject, Subject};

use super::{Target, attrs};
use crate::error::InputError;
use crate::plan::Resource;
use crate::vocabulary::Vocabulary;

/// An `aws_db_proxy` target. The rules name its arguments as it spells them.
pub(super) fn target(file: &str, resource: &Resource) -> Result<Target, InputError> {
    let a = attrs(file, resource);
    let auth = match a.blocks("auth")? {
        Fact::Known(blocks) => Fact::Known(
            blocks
                .iter()
                .map(|block| block.non_empty("iam_auth").map(ProxyAuth::new))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Fact::Unknown => Fact::Unknown,
        Fact::Absent => Fact::Absent,
    };
    let proxy = ProxySubject::new()
        .with_require_tls(a.bool("require_tls", Some(false))?)
        .with_auth(auth)
        .with_default_auth_scheme(a.non_empty("default_auth_scheme")?);
    Ok(Target::new(
        resource,
        Subject::Proxy(proxy),
        Vocabulary::Dbrail,
    ))
}
