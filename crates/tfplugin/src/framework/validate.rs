//! Runs schema-declared attribute validators over a configuration, block by block, so each
//! error carries the exact path (`override[2].value`) Terraform underlines.

use crate::diagnostics::Diagnostics;
use crate::path::AttributePath;
use crate::schema::{Block, Nesting};
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
        for validator in &attribute.validators {
            if let Err(problem) = validator.check(v) {
                diags.error_at(
                    path.clone(),
                    format!("Invalid value for {}", attribute.name),
                    format!("{} {}", capitalise(&problem), validator.description()),
                );
            }
        }
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
