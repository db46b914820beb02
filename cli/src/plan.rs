//! Reading `terraform show -json` output.
//!
//! The document is parsed once into structures holding only what the rules need: every
//! resource's address and type, the raw text of its values (parsed further only for the few
//! database-related types), the `after_unknown` mask of planned changes, and the configuration's
//! `references` (the only way to tell which parameter group or cluster a resource will use when a
//! name is unknown until apply). Everything else in a plan, which can be megabytes, is skipped
//! without being built.
//!
//! Both shapes are accepted: a plan (`planned_values`, `resource_changes`, `configuration`) and a
//! state (`values`), where nothing is unknown.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::{InputError, byte_offset, line_column};

#[derive(Deserialize)]
struct Document<'a> {
    #[serde(default)]
    format_version: Option<String>,
    #[serde(default)]
    #[serde(borrow)]
    planned_values: Option<Values<'a>>,
    #[serde(default, borrow)]
    values: Option<Values<'a>>,
    #[serde(default, borrow)]
    resource_changes: Vec<ResourceChange<'a>>,
    #[serde(default)]
    configuration: Option<Configuration>,
}

#[derive(Deserialize, Default)]
struct Values<'a> {
    #[serde(default, borrow)]
    root_module: Module<'a>,
}

#[derive(Deserialize, Default)]
struct Module<'a> {
    #[serde(default)]
    address: Option<String>,
    #[serde(default, borrow)]
    resources: Vec<RawResource<'a>>,
    #[serde(default, borrow)]
    child_modules: Vec<Module<'a>>,
}

#[derive(Deserialize)]
struct RawResource<'a> {
    address: String,
    #[serde(default)]
    mode: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, borrow)]
    values: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct ResourceChange<'a> {
    address: String,
    #[serde(default, borrow)]
    change: Change<'a>,
}

#[derive(Deserialize, Default)]
struct Change<'a> {
    #[serde(default, borrow)]
    after_unknown: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
struct Configuration {
    #[serde(default)]
    root_module: ConfigModule,
}

#[derive(Deserialize, Default)]
struct ConfigModule {
    #[serde(default)]
    resources: Vec<ConfigResource>,
    #[serde(default)]
    module_calls: BTreeMap<String, ModuleCall>,
}

#[derive(Deserialize, Default)]
struct ModuleCall {
    #[serde(default)]
    module: ConfigModule,
}

#[derive(Deserialize)]
struct ConfigResource {
    address: String,
    /// Read once per resource block, however many instances the module has.
    #[serde(default)]
    expressions: BTreeMap<String, Expression>,
}

/// An attribute's expression: only its references matter. Blocks (arrays of objects) and
/// anything else unexpected carry none.
#[derive(Deserialize)]
#[serde(untagged)]
enum Expression {
    Attribute {
        #[serde(default)]
        references: Vec<String>,
    },
    Other(serde::de::IgnoredAny),
}

/// The resource types the policy command inspects; others are skipped unparsed.
pub const INSPECTED_TYPES: &[&str] = &[
    "dbrail_cluster",
    "dbrail_parameter_baseline",
    "dbrail_access_role",
    "aws_rds_cluster",
    "aws_rds_cluster_instance",
    "aws_rds_cluster_parameter_group",
    "aws_db_parameter_group",
    "aws_db_instance",
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    "aws_iam_policy_document",
    "dbrail_backup_policy",
    "aws_backup_plan",
    "aws_backup_vault",
    "aws_backup_vault_lock_configuration",
];

/// One inspected resource, with its values parsed.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The full address, e.g. `module.db.aws_rds_cluster.main[0]`.
    pub address: String,
    /// The address of the module instance holding it (empty for the root module).
    pub module: String,
    /// The address without module and index, e.g. `aws_rds_cluster.main`.
    pub local: String,
    /// The resource type.
    pub kind: String,
    /// Whether it is a data source.
    pub data: bool,
    /// The JSON path of the resource in the document, for error messages.
    pub json_path: String,
    /// The planned (or, in a state, current) values.
    pub values: Value,
    /// The `after_unknown` mask: `true` where a value is unknown until apply.
    pub unknown: Value,
    /// For each attribute, the addresses its configuration expression references.
    pub references: BTreeMap<String, Vec<String>>,
}

/// A plan or state, reduced to the resources the rules inspect.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Whether the document is a plan (with unknowns) rather than a state.
    pub is_plan: bool,
    /// The inspected resources, in document order.
    pub resources: Vec<Resource>,
}

impl Plan {
    /// Parses `terraform show -json` output. `file` names the input in error messages.
    pub fn parse(file: &str, input: &[u8]) -> Result<Plan, InputError> {
        // serde would read a struct from an array too; a plan is always an object.
        if input.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
            return Err(InputError::NotAPlan {
                file: file.to_owned(),
                detail: "; the top-level value is an array".to_owned(),
            });
        }
        // Tracking the path of every value costs a third of the parse; it is only needed to
        // explain an error, so a document that fails is read a second time with tracking.
        let document: Document = match serde_json::from_slice(input) {
            Ok(document) => document,
            Err(_) => Self::explain(file, input)?,
        };
        Self::reduce(file, document)
    }

    /// Reads a document that failed to parse again, tracking paths, for a precise error.
    fn explain<'a>(file: &str, input: &'a [u8]) -> Result<Document<'a>, InputError> {
        let deserializer = &mut serde_json::Deserializer::from_slice(input);
        serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                syntax(file, input, &inner)
            } else if path.is_empty() || path == "." {
                InputError::NotAPlan {
                    file: file.to_owned(),
                    detail: "; the top-level value is not an object".to_owned(),
                }
            } else {
                InputError::structure(file, json_path(&path), describe(&inner))
            }
        })
    }

    /// The inspected resources of a parsed document.
    fn reduce(file: &str, document: Document<'_>) -> Result<Plan, InputError> {
        let is_plan = document.planned_values.is_some();
        let Some(values) = document.planned_values.or(document.values) else {
            let detail = if document.format_version.is_some() {
                "; it has neither"
            } else {
                ""
            };
            return Err(InputError::NotAPlan {
                file: file.to_owned(),
                detail: detail.to_owned(),
            });
        };
        let unknown: BTreeMap<String, &RawValue> = document
            .resource_changes
            .into_iter()
            .filter_map(|c| c.change.after_unknown.map(|u| (c.address, u)))
            .collect();
        let config = document.configuration.unwrap_or_default();
        let root = if is_plan {
            "planned_values.root_module"
        } else {
            "values.root_module"
        };
        let mut resources = Vec::new();
        collect(
            file,
            &values.root_module,
            root,
            &unknown,
            &config.root_module,
            &mut resources,
        )?;
        Ok(Plan { is_plan, resources })
    }

    /// The resources of one type.
    pub fn of_type<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
        self.resources.iter().filter(move |r| r.kind == kind)
    }
}

fn collect(
    file: &str,
    module: &Module,
    path: &str,
    unknown: &BTreeMap<String, &RawValue>,
    config: &ConfigModule,
    out: &mut Vec<Resource>,
) -> Result<(), InputError> {
    let module_address = module.address.clone().unwrap_or_default();
    for (index, raw) in module.resources.iter().enumerate() {
        if !INSPECTED_TYPES.contains(&raw.kind.as_str()) {
            continue;
        }
        let json_path = format!("{path}.resources[{index}]");
        let values = parse_raw(file, raw.values, &format!("{json_path}.values"))?;
        if !values.is_object() && !values.is_null() {
            return Err(InputError::structure(
                file,
                format!("{json_path}.values"),
                "expected an object of attribute values",
            ));
        }
        let mask = parse_raw(
            file,
            unknown.get(&raw.address).copied(),
            &format!(
                "resource_changes[address={}].change.after_unknown",
                raw.address
            ),
        )?;
        let data = raw.mode.as_deref() == Some("data");
        let name = raw
            .name
            .clone()
            .unwrap_or_else(|| local_name(&raw.address, &module_address));
        let local = if data {
            format!("data.{}.{name}", raw.kind)
        } else {
            format!("{}.{name}", raw.kind)
        };
        let references = config_module(config, &module_address)
            .and_then(|m| m.resources.iter().find(|r| r.address == local))
            .map(references)
            .unwrap_or_default();
        out.push(Resource {
            address: raw.address.clone(),
            module: module_address.clone(),
            local,
            kind: raw.kind.clone(),
            data,
            json_path,
            values,
            unknown: mask,
            references,
        });
    }
    for (index, child) in module.child_modules.iter().enumerate() {
        collect(
            file,
            child,
            &format!("{path}.child_modules[{index}]"),
            unknown,
            config,
            out,
        )?;
    }
    Ok(())
}

fn parse_raw(file: &str, raw: Option<&RawValue>, path: &str) -> Result<Value, InputError> {
    match raw {
        None => Ok(Value::Null),
        Some(raw) => serde_json::from_str(raw.get())
            .map_err(|e| InputError::structure(file, path, describe(&e))),
    }
}

/// The name part of an address when the document leaves `name` out.
fn local_name(address: &str, module: &str) -> String {
    let rest = address
        .strip_prefix(module)
        .map_or(address, |r| r.trim_start_matches('.'));
    let rest = strip_index(rest);
    rest.rsplit('.').next().unwrap_or(rest).to_owned()
}

/// `name[0]` or `name["key"]` without the index.
pub fn strip_index(address: &str) -> &str {
    match address.find('[') {
        Some(at) if address.ends_with(']') => &address[..at],
        _ => address,
    }
}

/// The configuration of the module instance at `address` (`module.a[0].module.b`).
fn config_module<'a>(root: &'a ConfigModule, address: &str) -> Option<&'a ConfigModule> {
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

fn references(resource: &ConfigResource) -> BTreeMap<String, Vec<String>> {
    resource
        .expressions
        .iter()
        .filter_map(|(name, expression)| match expression {
            Expression::Attribute { references } if !references.is_empty() => {
                Some((name.clone(), references.clone()))
            }
            _ => None,
        })
        .collect()
}

fn syntax(file: &str, input: &[u8], error: &serde_json::Error) -> InputError {
    // serde reports a bad byte in a string at the string's end; point at the byte itself.
    if let Err(utf8) = std::str::from_utf8(input) {
        let at = utf8.valid_up_to();
        if at <= byte_offset(input, error.line(), error.column()) {
            let (line, column) = line_column(input, at);
            return InputError::Syntax {
                file: file.to_owned(),
                format: "JSON",
                offset: at,
                line,
                column,
                detail: "invalid UTF-8; expected a UTF-8 JSON document".to_owned(),
            };
        }
    }
    let (line, column) = (error.line(), error.column());
    let detail = if error.is_eof() {
        format!("{}; the document is truncated", describe(error))
    } else {
        describe(error)
    };
    InputError::Syntax {
        file: file.to_owned(),
        format: "JSON",
        // At end of input serde points at the last byte read; the problem is what follows it.
        offset: if error.is_eof() {
            input.len()
        } else {
            byte_offset(input, line, column)
        },
        line,
        column,
        detail,
    }
}

/// serde_json's message without its trailing " at line L column C".
fn describe(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// serde_path_to_error's path (`a.b[0].c`, `.` for the root) as the messages write it.
fn json_path(path: &str) -> String {
    if path.is_empty() || path == "." {
        "$ (the top-level object)".to_owned()
    } else {
        path.to_owned()
    }
}
