//! Rego views of the subjects judged outside clusters and parameter groups: snapshots, proxies
//! and global clusters.
//!
//! Custom rules about these resources (a snapshot naming policy, proxies only for some engines)
//! need the same facts the built-in rules see, in the same shape as the cluster view: unset and
//! unknown values are `null`, unknown ones are also listed by name in `unknown`.

use dbrail_rules::{Fact, GlobalClusterSubject, ProxySubject, SnapshotSubject};
use serde_json::{Map, Value};

use super::{put, value_of};

/// `storage_encrypted`, `encryption_source` (the address it was taken from, or `null`) and
/// `shared_accounts`.
pub(super) fn snapshot(snapshot: &SnapshotSubject, unknown: &mut Vec<String>) -> Value {
    let mut out = Map::new();
    put(
        &mut out,
        unknown,
        "storage_encrypted",
        &snapshot.storage_encrypted,
    );
    let source = snapshot
        .encryption_source
        .as_ref()
        .map_or(Value::Null, |s| Value::String(s.clone()));
    out.insert("encryption_source".to_owned(), source);
    put(
        &mut out,
        unknown,
        "shared_accounts",
        &snapshot.shared_accounts,
    );
    Value::Object(out)
}

/// `require_tls`, `default_auth_scheme` and `auth` (a list of `{iam_auth}`; unknown parts are
/// named `auth.<i>.iam_auth`).
pub(super) fn proxy(proxy: &ProxySubject, unknown: &mut Vec<String>) -> Value {
    let mut out = Map::new();
    put(&mut out, unknown, "require_tls", &proxy.require_tls);
    put(
        &mut out,
        unknown,
        "default_auth_scheme",
        &proxy.default_auth_scheme,
    );
    let auth = match &proxy.auth {
        Fact::Known(blocks) => Value::Array(
            blocks
                .iter()
                .enumerate()
                .map(|(i, block)| {
                    let mut item = Map::new();
                    let mode = value_of(&block.iam_auth, unknown, &format!("auth.{i}.iam_auth"));
                    item.insert("iam_auth".to_owned(), mode);
                    Value::Object(item)
                })
                .collect(),
        ),
        Fact::Unknown => {
            unknown.push("auth".to_owned());
            Value::Null
        }
        Fact::Absent => Value::Null,
    };
    out.insert("auth".to_owned(), auth);
    Value::Object(out)
}

/// `storage_encrypted` and `deletion_protection`.
pub(super) fn global_cluster(global: &GlobalClusterSubject, unknown: &mut Vec<String>) -> Value {
    let mut out = Map::new();
    put(
        &mut out,
        unknown,
        "storage_encrypted",
        &global.storage_encrypted,
    );
    put(
        &mut out,
        unknown,
        "deletion_protection",
        &global.deletion_protection,
    );
    Value::Object(out)
}
