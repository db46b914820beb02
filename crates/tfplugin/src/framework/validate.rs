//! Runs schema-declared attribute validators over a configuration, block by block, so each
//! error carries the exact path (`override[2].value`) Terraform underlines.

use crate::diagnostics::Diagnostics;
use crate::path::AttributePath;
use crate::schema::{Attribute, AttributeKind, Block, Nesting};
use crate::value::Value;

/// Checks every validator of `block` (and its nested blocks) against `config`.
pub(crate) fn run_validators(block: &Block, config: &Value) -> Diagnostics {
    let mut diags = Diagnostics::new();
    walk(block, config, &AttributePath::root(), &mut diags);
    diags
}

fn walk(block: &Block, value: &Value, at: &AttributePath, diags: &mut Diagnostics) {
    for attribute in &block.attributes {
        let Some(v) = value.attr(&attribute.name) else {
            continue;
        };
        let path = at.clone().then_attr(attribute.name.clone());
        check_attribute(attribute, v, &path, diags);
    }
    for nested in &block.blocks {
        let Some(v) = value.attr(&nested.type_name) else {
            continue;
        };
        let path = at.clone().then_attr(nested.type_name.clone());
        match nested.nesting {
            Nesting::Single | Nesting::Group => walk(&nested.block, v, &path, diags),
            Nesting::List | Nesting::Set => {
                for (i, item) in v.as_list().unwrap_or_default().iter().enumerate() {
                    let item_path = if nested.nesting == Nesting::List {
                        path.clone().then_index(i)
                    } else {
                        path.clone()
                    };
                    walk(&nested.block, item, &item_path, diags);
                }
            }
            Nesting::Map => {
                if let Some(map) = v.as_map() {
                    for (k, item) in map {
                        walk(
                            &nested.block,
                            item,
                            &path.clone().then_key(k.clone()),
                            diags,
                        );
                    }
                }
            }
        }
    }
}

/// Runs one attribute's validators and, for nested attributes (`attr = { ... }`), those of
/// every attribute inside each object, so a bad value deep in a map of objects is caught too.
fn check_attribute(
    attribute: &Attribute,
    v: &Value,
    path: &AttributePath,
    diags: &mut Diagnostics,
) {
    for validator in &attribute.validators {
        if let Err(problem) = validator.check(v) {
            diags.error_at(
                path.clone(),
                format!("Invalid value for {}", attribute.name),
                format!("{} {}", capitalise(&problem), validator.description()),
            );
        }
    }
    let AttributeKind::Nested(nested) = &attribute.kind else {
        return;
    };
    let mut check_object = |object: &Value, at: AttributePath| {
        for inner in &nested.attributes {
            if let Some(value) = object.attr(&inner.name) {
                check_attribute(
                    inner,
                    value,
                    &at.clone().then_attr(inner.name.clone()),
                    diags,
                );
            }
        }
    };
    match nested.nesting {
        Nesting::Single | Nesting::Group => check_object(v, path.clone()),
        Nesting::List => {
            for (i, item) in v.as_list().unwrap_or_default().iter().enumerate() {
                check_object(item, path.clone().then_index(i));
            }
        }
        Nesting::Set => {
            for item in v.as_list().unwrap_or_default() {
                check_object(item, path.clone());
            }
        }
        Nesting::Map => {
            for (key, item) in v.as_map().into_iter().flatten() {
                check_object(item, path.clone().then_key(key.clone()));
            }
        }
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => {
            let mut s = first.to_uppercase().collect::<String>();
            s.push_str(chars.as_str());
            if !s.ends_with('.') {
                s.push('.');
            }
            s
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Validator;

    fn schema() -> Block {
        Block::new("test").attribute(
            Attribute::nested(
                "overrides",
                Nesting::Map,
                vec![
                    Attribute::string("value").required(),
                    Attribute::string("scope")
                        .optional()
                        .validate(Validator::one_of(&["cluster", "instance"])),
                ],
            )
            .optional(),
        )
    }

    fn config(scope: &str) -> Value {
        let entry = Value::Object(
            [
                ("value".to_owned(), Value::String("1".into())),
                ("scope".to_owned(), Value::String(scope.into())),
            ]
            .into_iter()
            .collect(),
        );
        Value::Object(
            [(
                "overrides".to_owned(),
                Value::Map([("log_statement".to_owned(), entry)].into_iter().collect()),
            )]
            .into_iter()
            .collect(),
        )
    }

    #[test]
    fn validators_inside_nested_attributes_run_with_their_path() {
        let diags = run_validators(&schema(), &config("global"));
        let d = diags.iter().next().expect("one diagnostic");
        assert_eq!(
            d.attribute.as_ref().map(ToString::to_string).as_deref(),
            Some("overrides[\"log_statement\"].scope")
        );
        assert!(
            d.detail.contains("\"global\" is not one of"),
            "{}",
            d.detail
        );
        assert!(!run_validators(&schema(), &config("cluster")).has_errors());
    }
}
