//! Custom rules in Rego, from `--policy-dir`.
//!
//! Teams have rules of their own (naming, instance classes, extra tags) that do not belong in
//! dbrail's catalogue. Each `*.rego` file in the directory is loaded into one regorus engine; for
//! every subject the engine gets a documented JSON view of it as `input` (see
//! `docs/policy-report.md`), and every package's `deny` and `warn` sets of
//! `{ msg, rule, attribute, fix }` objects become findings: `deny` blocks, `warn` does not.

mod views;

use std::path::Path;

use dbrail_rules::{ClusterSubject, Fact, ParameterGroupSubject, Subject, Tier};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::error::InputError;
use crate::subjects::Target;

/// The loaded policies.
#[derive(Debug, Clone)]
pub struct PolicySet {
    engine: regorus::Engine,
    packages: Vec<String>,
    dir: String,
}

/// One finding from a custom rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomFinding {
    /// `true` for `deny` (blocking), `false` for `warn`.
    pub deny: bool,
    /// The rule id the policy gave, else the package name.
    pub rule: String,
    /// The message.
    pub msg: String,
    /// The attribute, if the policy named one.
    pub attribute: Option<String>,
    /// The fix, if the policy gave one.
    pub fix: String,
}

impl PolicySet {
    /// Loads every `*.rego` file of `dir`, in name order.
    pub fn load(dir: &str) -> Result<Self, InputError> {
        let error = |detail: String| InputError::Policy {
            file: dir.to_owned(),
            detail,
        };
        let mut files: Vec<_> = std::fs::read_dir(Path::new(dir))
            .map_err(|e| error(format!("cannot read the policy directory: {e}")))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "rego"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(error("no *.rego files in the policy directory".to_owned()));
        }
        let mut engine = regorus::Engine::new();
        let mut packages = Vec::new();
        for path in files {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| InputError::Policy {
                file: name.clone(),
                detail: format!("cannot read the policy: {e}"),
            })?;
            let package =
                engine
                    .add_policy(name.clone(), text)
                    .map_err(|e| InputError::Policy {
                        file: name,
                        detail: format!("invalid Rego: {e}"),
                    })?;
            if !packages.contains(&package) {
                packages.push(package);
            }
        }
        Ok(Self {
            engine,
            packages,
            dir: dir.to_owned(),
        })
    }

    /// The findings of every package for one input.
    pub fn evaluate(&mut self, input: &Value) -> Result<Vec<CustomFinding>, InputError> {
        self.engine.set_input(regorus::Value::from(input.clone()));
        let mut findings = Vec::new();
        for package in self.packages.clone() {
            for (set, deny) in [("deny", true), ("warn", false)] {
                let query = format!("{package}.{set}");
                let results = self.engine.eval_query(query.clone(), false).map_err(|e| {
                    InputError::Policy {
                        file: self.dir.clone(),
                        detail: format!("evaluating {query}: {e}"),
                    }
                })?;
                let Some(value) = results
                    .result
                    .first()
                    .and_then(|r| r.expressions.first())
                    .map(|e| &e.value)
                else {
                    continue;
                };
                let value = serde_json::to_value(value).unwrap_or(Value::Null);
                let items = match value {
                    Value::Array(items) => items,
                    Value::Null => Vec::new(),
                    other => {
                        return Err(InputError::Policy {
                            file: self.dir.clone(),
                            detail: format!(
                                "{query} must be a set of {{msg, rule, attribute}} objects, \
                                 found {other}"
                            ),
                        });
                    }
                };
                let name = package.trim_start_matches("data.").to_owned();
                for item in items {
                    findings.push(finding(&name, deny, item));
                }
            }
        }
        Ok(findings)
    }
}

fn finding(package: &str, deny: bool, item: Value) -> CustomFinding {
    let text = |key: &str| item.get(key).and_then(Value::as_str).map(str::to_owned);
    CustomFinding {
        deny,
        rule: text("rule").unwrap_or_else(|| package.to_owned()),
        msg: text("msg").unwrap_or_else(|| match &item {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }),
        attribute: text("attribute"),
        fix: text("fix").unwrap_or_default(),
    }
}

/// A fact in the view: its value, `null` when absent or unknown; unknown ones are listed apart
/// under `name`.
fn value_of<T: Serialize>(fact: &Fact<T>, unknown: &mut Vec<String>, name: &str) -> Value {
    match fact {
        Fact::Known(value) => serde_json::to_value(value).unwrap_or(Value::Null),
        Fact::Unknown => {
            unknown.push(name.to_owned());
            Value::Null
        }
        Fact::Absent => Value::Null,
    }
}

fn put<T: Serialize>(
    out: &mut Map<String, Value>,
    unknown: &mut Vec<String>,
    name: &str,
    fact: &Fact<T>,
) {
    let value = value_of(fact, unknown, name);
    out.insert(name.to_owned(), value);
}

fn group_view(group: &ParameterGroupSubject, unknown: &mut Vec<String>, prefix: &str) -> Value {
    let mut out = Map::new();
    let engine = value_of(
        &group.resolved_engine(),
        unknown,
        &format!("{prefix}engine"),
    );
    out.insert("engine".to_owned(), engine);
    let family = value_of(&group.family, unknown, &format!("{prefix}family"));
    out.insert("family".to_owned(), family);
    out.insert("scope".to_owned(), json!(group.scope.name()));
    let parameters: Map<String, Value> = group
        .parameters
        .iter()
        .map(|(name, value)| {
            let path = format!("{prefix}parameters.{name}");
            (name.clone(), value_of(value, unknown, &path))
        })
        .collect();
    out.insert("parameters".to_owned(), Value::Object(parameters));
    out.insert(
        "parameters_complete".to_owned(),
        json!(group.parameters_complete),
    );
    Value::Object(out)
}

fn cluster_view(cluster: &ClusterSubject, unknown: &mut Vec<String>) -> Value {
    let mut out = Map::new();
    let u = unknown;
    put(&mut out, u, "engine", &cluster.engine);
    put(&mut out, u, "engine_version", &cluster.engine_version);
    put(&mut out, u, "storage_encrypted", &cluster.storage_encrypted);
    put(&mut out, u, "kms_key_id", &cluster.kms_key_id);
    put(
        &mut out,
        u,
        "publicly_accessible",
        &cluster.publicly_accessible,
    );
    put(
        &mut out,
        u,
        "deletion_protection",
        &cluster.deletion_protection,
    );
    put(
        &mut out,
        u,
        "iam_database_authentication",
        &cluster.iam_database_authentication,
    );
    put(
        &mut out,
        u,
        "backup_retention_days",
        &cluster.backup_retention_days,
    );
    put(&mut out, u, "log_exports", &cluster.log_exports);
    put(
        &mut out,
        u,
        "auto_minor_version_upgrade",
        &cluster.auto_minor_version_upgrade,
    );
    put(&mut out, u, "readers", &cluster.readers);
    put(
        &mut out,
        u,
        "availability_zones",
        &cluster.availability_zones,
    );
    put(
        &mut out,
        u,
        "monitoring_interval",
        &cluster.monitoring_interval,
    );
    put(
        &mut out,
        u,
        "performance_insights",
        &cluster.performance_insights,
    );
    put(
        &mut out,
        u,
        "performance_insights_kms_key_id",
        &cluster.performance_insights_kms_key_id,
    );
    put(
        &mut out,
        u,
        "copy_tags_to_snapshot",
        &cluster.copy_tags_to_snapshot,
    );
    put(&mut out, u, "master_username", &cluster.master_username);
    put(&mut out, u, "port", &cluster.port);
    put(
        &mut out,
        u,
        "manage_master_user_password",
        &cluster.manage_master_user_password,
    );
    let tags = match &cluster.tags {
        Fact::Known(tags) => Value::Object(
            tags.iter()
                .map(|(key, value)| (key.clone(), value_of(value, u, &format!("tags.{key}"))))
                .collect(),
        ),
        Fact::Unknown => {
            u.push("tags".to_owned());
            Value::Null
        }
        Fact::Absent => Value::Null,
    };
    out.insert("tags".to_owned(), tags);
    let group = cluster
        .cluster_parameters
        .as_ref()
        .map_or(Value::Null, |g| group_view(g, u, "cluster_parameters."));
    out.insert("cluster_parameters".to_owned(), group);
    Value::Object(out)
}

/// The `input` document for one subject.
pub fn input(target: &Target, tier: Tier) -> Value {
    let mut unknown = Vec::new();
    let (kind, subject) = match &target.subject {
        Subject::Cluster(cluster) => ("cluster", cluster_view(cluster, &mut unknown)),
        Subject::ParameterGroup(group) => ("parameter_group", group_view(group, &mut unknown, "")),
        Subject::Snapshot(snapshot) => ("snapshot", views::snapshot(snapshot, &mut unknown)),
        Subject::Proxy(proxy) => ("proxy", views::proxy(proxy, &mut unknown)),
        Subject::GlobalCluster(global) => (
            "global_cluster",
            views::global_cluster(global, &mut unknown),
        ),
        _ => ("other", Value::Null),
    };
    json!({
        "version": 1,
        "address": target.address,
        "type": target.kind,
        "module": target.module,
        "tier": tier,
        "kind": kind,
        "subject": subject,
        "unknown": unknown,
        "instances": target.instances,
    })
}
