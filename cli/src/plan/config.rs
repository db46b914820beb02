//! The configuration section of a plan: which resources each attribute's expression
//! references.
//!
//! A link between resources (a cluster's parameter group, an instance's cluster) is often a
//! name unknown until apply; the expression's `references` still name the resource. Expressions
//! are kept as raw text and read once per configuration block, however many instances of the
//! block (`count`, `for_each`, module instances) the plan has.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::errors::describe;
use super::strip_index;
use crate::error::InputError;

#[derive(Deserialize, Default)]
pub(super) struct Configuration<'a> {
    #[serde(default, borrow)]
    pub(super) root_module: ConfigModule<'a>,
}

#[derive(Deserialize, Default)]
pub(super) struct ConfigModule<'a> {
    #[serde(default, borrow)]
    pub(super) resources: Vec<ConfigResource<'a>>,
    #[serde(default, borrow)]
    pub(super) module_calls: BTreeMap<Cow<'a, str>, ModuleCall<'a>>,
}

#[derive(Deserialize, Default)]
pub(super) struct ModuleCall<'a> {
    #[serde(default, borrow)]
    pub(super) module: ConfigModule<'a>,
}

#[derive(Deserialize)]
pub(super) struct ConfigResource<'a> {
    #[serde(borrow)]
    pub(super) address: Cow<'a, str>,
    /// Parsed only for inspected resources, once per resource block however many instances
    /// the module has.
    #[serde(default, borrow)]
    pub(super) expressions: Option<&'a RawValue>,
}

/// An attribute's expression: only its references matter. Blocks (arrays of objects) and
/// anything else unexpected carry none.
#[derive(Deserialize)]
pub(super) struct Expression {
    #[serde(default)]
    pub(super) references: Vec<String>,
}

/// For each attribute, the addresses its configuration expression references.
pub type References = BTreeMap<String, Vec<String>>;

/// A module address without its instance keys: `module.a["x"].module.b[0]` →
/// `module.a.module.b`. A key is a number or a quoted string, which may hold `.`, `[` or `]`.
pub(super) fn without_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut chars = address.chars();
    while let Some(c) = chars.next() {
        if c != '[' {
            out.push(c);
            continue;
        }
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match c {
                '\\' if quoted => {
                    chars.next();
                }
                '"' => quoted = !quoted,
                ']' if !quoted => break,
                _ => {}
            }
        }
    }
    out
}

/// The configuration of the module at `address` (`module.a.module.b`, without instance keys).
pub(super) fn config_module<'c, 'a>(
    root: &'c ConfigModule<'a>,
    address: &str,
) -> Option<&'c ConfigModule<'a>> {
    let mut module = root;
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find(".module.").unwrap_or(after.len());
        let call = strip_index(&after[..end]);
        module = &module.module_calls.get(call)?.module;
        rest = after[end..].trim_start_matches('.');
    }
    Some(module)
}

pub(super) fn references(
    file: &str,
    resource: &ConfigResource<'_>,
) -> Result<BTreeMap<String, Vec<String>>, InputError> {
    let Some(raw) = resource.expressions else {
        return Ok(BTreeMap::new());
    };
    let expressions: BTreeMap<String, &RawValue> =
        serde_json::from_str(raw.get()).map_err(|e| {
            InputError::structure(
                file,
                format!("configuration resource {}: expressions", resource.address),
                describe(&e),
            )
        })?;
    // An attribute's expression is an object; a nested block is an array of them and is not
    // followed (the rules join resources through top-level attributes only).
    Ok(expressions
        .into_iter()
        .filter(|(_, raw)| raw.get().starts_with('{'))
        .filter_map(|(name, raw)| {
            let expression: Expression = serde_json::from_str(raw.get()).ok()?;
            (!expression.references.is_empty()).then_some((name, expression.references))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_addresses_lose_their_instance_keys_only() {
        assert_eq!(without_keys(""), "");
        assert_eq!(without_keys("module.db"), "module.db");
        assert_eq!(
            without_keys(r#"module.a["x"].module.b[0]"#),
            "module.a.module.b"
        );
        // Keys may hold dots, brackets and escaped quotes.
        assert_eq!(
            without_keys(r#"module.a["x.module.y]"].module.b["q\"]"]"#),
            "module.a.module.b"
        );
    }

    #[test]
    fn references_are_read_from_attribute_expressions_only() {
        let text = r#"{"address": "aws_rds_cluster.main", "expressions": {
            "db_cluster_parameter_group_name": {"references": ["aws_rds_cluster_parameter_group.pg.name", "aws_rds_cluster_parameter_group.pg"]},
            "engine": {"constant_value": "aurora-postgresql"},
            "serverlessv2_scaling_configuration": [{"max_capacity": {"references": ["var.max"]}}],
            "odd": {"references": 7}
        }}"#;
        let resource: ConfigResource<'_> = serde_json::from_str(text).expect("resource");
        let found = references("plan.json", &resource).expect("references");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found["db_cluster_parameter_group_name"],
            [
                "aws_rds_cluster_parameter_group.pg.name",
                "aws_rds_cluster_parameter_group.pg"
            ]
        );
        let bad: ConfigResource<'_> =
            serde_json::from_str(r#"{"address": "a.b", "expressions": [1]}"#).expect("resource");
        let error = references("plan.json", &bad).expect_err("not an object");
        assert!(error.to_string().contains("a.b"), "{error}");
    }
}
