//! Plan rules shared by every resource, applied before the resource's own plan modification.
//!
//! These mirror what Terraform users expect from any well-behaved provider: defaults fill null
//! optional attributes, computed values that may change are shown as `(known after apply)` only
//! when something actually changes (so a second plan is empty), and attributes declared
//! `requires_replace` force replacement when they change.

use crate::path::AttributePath;
use crate::schema::{Attribute, Block};
use crate::value::Value;

/// Fills defaults, marks computed attributes unknown where they may change, and returns the
/// schema-declared replacement paths.
pub(crate) fn plan_defaults(
    block: &Block,
    prior: Option<&Value>,
    config: &Value,
    planned: &mut Value,
) -> Vec<AttributePath> {
    let Value::Object(fields) = planned else {
        return Vec::new();
    };
    for attribute in &block.attributes {
        let configured = config.attr(&attribute.name).is_some_and(|v| !v.is_null());
        if configured {
            continue;
        }
        if let Some(default) = &attribute.default {
            fields.insert(attribute.name.clone(), default.clone());
        }
    }
    let changed = match prior {
        None => true,
        Some(prior) => differs_outside_computed(block, prior, planned_view(fields)),
    };
    if changed {
        for attribute in &block.attributes {
            mark_unknown_if_computed(attribute, config, prior, fields);
        }
    }
    let mut replace = Vec::new();
    if let Some(prior) = prior {
        for attribute in block.attributes.iter().filter(|a| a.requires_replace) {
            let configured = config.attr(&attribute.name).is_some_and(|v| !v.is_null());
            if attribute.computed && attribute.default.is_none() && !configured {
                // The provider computes it; only a configured change forces replacement. (A
                // default is configuration too: going back to it is a change.)
                continue;
            }
            let before = prior.attr(&attribute.name).unwrap_or(&Value::Null);
            let after = fields.get(&attribute.name).unwrap_or(&Value::Null);
            if before != after {
                replace.push(AttributePath::attr(attribute.name.clone()));
            }
        }
        for nested in &block.blocks {
            if nested.block.attributes.iter().any(|a| a.requires_replace) {
                let before = prior.attr(&nested.type_name).unwrap_or(&Value::Null);
                let after = fields.get(&nested.type_name).unwrap_or(&Value::Null);
                if before != after {
                    replace.push(AttributePath::attr(nested.type_name.clone()));
                }
            }
        }
    }
    replace
}

fn planned_view(fields: &std::collections::BTreeMap<String, Value>) -> Value {
    Value::Object(fields.clone())
}

/// Whether anything the configuration drives differs between prior state and the proposal.
fn differs_outside_computed(block: &Block, prior: &Value, planned: Value) -> bool {
    block
        .attributes
        .iter()
        .filter(|a| a.optional || a.required)
        .map(|a| a.name.as_str())
        .chain(block.blocks.iter().map(|b| b.type_name.as_str()))
        .any(|name| prior.attr(name) != planned.attr(name))
}

fn mark_unknown_if_computed(
    attribute: &Attribute,
    config: &Value,
    prior: Option<&Value>,
    fields: &mut std::collections::BTreeMap<String, Value>,
) {
    if !attribute.computed || attribute.default.is_some() {
        return;
    }
    let configured = config.attr(&attribute.name).is_some_and(|v| !v.is_null());
    if configured {
        return;
    }
    // Identifiers and replacement-forcing values do not change because something else did.
    let keep_prior = (attribute.stable || attribute.requires_replace)
        && prior
            .and_then(|p| p.attr(&attribute.name))
            .is_some_and(|v| !v.is_null());
    if !keep_prior {
        fields.insert(attribute.name.clone(), Value::unknown());
    }
}

/// Replaces write-only attributes with null so they never reach plan or state.
pub(crate) fn null_write_only(block: &Block, value: &mut Value) {
    if let Value::Object(fields) = value {
        for attribute in block.attributes.iter().filter(|a| a.write_only) {
            fields.insert(attribute.name.clone(), Value::Null);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Attribute;
    use std::collections::BTreeMap;

    fn schema() -> Block {
        Block::new("")
            .attribute(Attribute::string("name").required().requires_replace())
            .attribute(Attribute::string("note").optional())
            .attribute(Attribute::string("arn").computed().stable())
            .attribute(Attribute::string("version").computed())
            .attribute(Attribute::bool("guard").default_value(Value::Bool(true)))
    }

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }

    #[test]
    fn create_marks_computed_unknown_and_fills_defaults() {
        let config = obj(&[
            ("name", Value::String("a".into())),
            ("note", Value::Null),
            ("arn", Value::Null),
            ("version", Value::Null),
            ("guard", Value::Null),
        ]);
        let mut planned = config.clone();
        let replace = plan_defaults(&schema(), None, &config, &mut planned);
        assert!(replace.is_empty());
        assert!(planned.attr("arn").unwrap().is_unknown());
        assert!(planned.attr("version").unwrap().is_unknown());
        assert_eq!(planned.attr("guard"), Some(&Value::Bool(true)));
    }

    #[test]
    fn unchanged_update_keeps_prior_so_second_plan_is_empty() {
        let prior = obj(&[
            ("name", Value::String("a".into())),
            ("note", Value::Null),
            ("arn", Value::String("arn:x".into())),
            ("version", Value::String("16.4".into())),
            ("guard", Value::Bool(true)),
        ]);
        let config = obj(&[
            ("name", Value::String("a".into())),
            ("note", Value::Null),
            ("arn", Value::Null),
            ("version", Value::Null),
            ("guard", Value::Null),
        ]);
        let mut planned = prior.clone();
        let replace = plan_defaults(&schema(), Some(&prior), &config, &mut planned);
        assert!(replace.is_empty());
        assert_eq!(planned, prior);
    }

    #[test]
    fn computed_replacement_attributes_keep_their_value_when_others_change() {
        let schema = Block::new("")
            .attribute(Attribute::string("note").optional())
            .attribute(
                Attribute::string("group")
                    .optional()
                    .computed()
                    .requires_replace(),
            );
        let prior = obj(&[
            ("note", Value::String("a".into())),
            ("group", Value::String("g-1".into())),
        ]);
        let config = obj(&[("note", Value::String("b".into())), ("group", Value::Null)]);
        let mut planned = obj(&[
            ("note", Value::String("b".into())),
            ("group", Value::String("g-1".into())),
        ]);
        let replace = plan_defaults(&schema, Some(&prior), &config, &mut planned);
        assert!(replace.is_empty(), "{replace:?}");
        assert_eq!(planned.attr("group"), Some(&Value::String("g-1".into())));
    }

    #[test]
    fn changed_update_keeps_stable_values_and_detects_replacement() {
        let prior = obj(&[
            ("name", Value::String("a".into())),
            ("note", Value::Null),
            ("arn", Value::String("arn:x".into())),
            ("version", Value::String("16.4".into())),
            ("guard", Value::Bool(true)),
        ]);
        let config = obj(&[
            ("name", Value::String("b".into())),
            ("note", Value::Null),
            ("arn", Value::Null),
            ("version", Value::Null),
            ("guard", Value::Null),
        ]);
        let mut planned = obj(&[
            ("name", Value::String("b".into())),
            ("note", Value::Null),
            ("arn", Value::String("arn:x".into())),
            ("version", Value::String("16.4".into())),
            ("guard", Value::Bool(true)),
        ]);
        let replace = plan_defaults(&schema(), Some(&prior), &config, &mut planned);
        assert_eq!(replace, vec![AttributePath::attr("name")]);
        assert_eq!(planned.attr("arn"), Some(&Value::String("arn:x".into())));
        assert!(planned.attr("version").unwrap().is_unknown());
    }
}
