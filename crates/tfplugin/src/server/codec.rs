//! Wire conversions shared by the RPC adapters: dynamic values, diagnostics, attribute paths.

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::path::{AttributePath, PathStep};
use crate::proto::tfplugin6 as wire;
use crate::value::{Type, Value};

/// Decodes a `DynamicValue` (msgpack preferred, JSON accepted) against `ty`.
pub(crate) fn decode(
    value: Option<&wire::DynamicValue>,
    ty: &Type,
    what: &str,
) -> Result<Value, Diagnostics> {
    let Some(value) = value else {
        return Ok(Value::Null);
    };
    let decoded = if !value.msgpack.is_empty() {
        Value::from_msgpack(&value.msgpack, ty)
    } else if !value.json.is_empty() {
        Value::from_json(&value.json, ty)
    } else {
        return Ok(Value::Null);
    };
    decoded.map_err(|err| {
        Diagnostic::error(
            format!("Terraform sent a {what} dbrail could not read"),
            format!("{err}. This usually means the provider and the state or plan disagree about the schema; run `terraform init -upgrade` and try again."),
        )
        .into()
    })
}

/// Encodes a value as msgpack.
pub(crate) fn encode(value: &Value, ty: &Type) -> Result<wire::DynamicValue, Diagnostics> {
    value
        .to_msgpack(ty)
        .map(|msgpack| wire::DynamicValue {
            msgpack,
            json: Vec::new(),
        })
        .map_err(|err| {
            Diagnostic::error(
                "dbrail produced a value it could not encode",
                format!("{err}. This is a bug in dbrail; please report it."),
            )
            .into()
        })
}

/// Converts a path to its wire form.
pub(crate) fn path_to_wire(path: &AttributePath) -> wire::AttributePath {
    use wire::attribute_path::{Step, step::Selector};
    wire::AttributePath {
        steps: path
            .steps()
            .iter()
            .map(|step| Step {
                selector: Some(match step {
                    PathStep::Attribute(name) => Selector::AttributeName(name.clone()),
                    PathStep::Key(key) => Selector::ElementKeyString(key.clone()),
                    PathStep::Index(index) => Selector::ElementKeyInt(*index),
                }),
            })
            .collect(),
    }
}

/// Converts diagnostics to their wire form.
pub(crate) fn diagnostics_to_wire(diagnostics: Diagnostics) -> Vec<wire::Diagnostic> {
    diagnostics
        .into_iter()
        .map(|d: Diagnostic| wire::Diagnostic {
            severity: match d.severity {
                Severity::Error => wire::diagnostic::Severity::Error as i32,
                Severity::Warning => wire::diagnostic::Severity::Warning as i32,
            },
            summary: d.summary,
            detail: d.detail,
            attribute: d.attribute.as_ref().map(path_to_wire),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_keep_every_step_kind() {
        let path = AttributePath::attr("override")
            .then_index(2)
            .then_attr("tags")
            .then_key("team");
        let wire = path_to_wire(&path);
        assert_eq!(wire.steps.len(), 4);
        use wire::attribute_path::step::Selector;
        assert_eq!(wire.steps[1].selector, Some(Selector::ElementKeyInt(2)));
        assert_eq!(
            wire.steps[3].selector,
            Some(Selector::ElementKeyString("team".into()))
        );
    }

    #[test]
    fn diagnostics_carry_severity_and_path() {
        let mut diags = Diagnostics::new();
        diags.error_at(
            AttributePath::attr("family"),
            "Unknown family",
            "use one of …",
        );
        diags.push(Diagnostic::warning("drift", ""));
        let wire = diagnostics_to_wire(diags);
        assert_eq!(wire[0].severity, wire::diagnostic::Severity::Error as i32);
        assert!(wire[0].attribute.is_some());
        assert_eq!(wire[1].severity, wire::diagnostic::Severity::Warning as i32);
        assert!(wire[1].attribute.is_none());
    }

    #[test]
    fn empty_dynamic_value_is_null_and_garbage_is_a_diagnostic() {
        assert_eq!(decode(None, &Type::String, "config").unwrap(), Value::Null);
        let garbage = wire::DynamicValue {
            msgpack: vec![0xc1],
            json: vec![],
        };
        let err = decode(Some(&garbage), &Type::String, "config").unwrap_err();
        assert!(err.has_errors());
    }
}
