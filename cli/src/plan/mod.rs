//! Reading `terraform show -json` output.
//!
//! The document is parsed once into structures holding only what the rules need: every
//! resource's address and type, the raw text of its values (split into attributes only for the
//! database-related types, and each attribute parsed only when a rule reads it), the
//! `after_unknown` mask of planned changes, and the configuration's `references` (the only way to
//! tell which parameter group or cluster a resource will use when a name is unknown until apply).
//! Everything else in a plan, which can be megabytes, is skipped without being built; what is
//! kept borrows from the input rather than copying it.
//!
//! Both shapes are accepted: a plan (`planned_values`, `resource_changes`, `configuration`) and a
//! state (`values`), where nothing is unknown.

mod config;
mod document;
mod errors;
mod fast;

use std::borrow::Cow;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

pub use self::config::References;
use self::config::{ConfigModule, ConfigResource, config_module, references, without_keys};
use self::document::{Document, Mask, Module, ResourceValues};
use self::errors::{describe, json_path, syntax};
use crate::error::InputError;
use crate::fields::Fields;

/// Declares the inspected types once, as a list and as a test compiled to a `match`.
macro_rules! inspected_types {
    ($($kind:literal),* $(,)?) => {
        /// The resource types the policy command inspects; others are skipped unparsed.
        pub const INSPECTED_TYPES: &[&str] = &[$($kind),*];

        /// The name of type `kind` as [`INSPECTED_TYPES`] spells it, when the policy command
        /// inspects resources of that type. Every resource of a plan is tested, some twice; a
        /// `match` tells most types apart by their length alone, where searching the list
        /// compares each name in turn.
        pub fn inspected_kind(kind: &str) -> Option<&'static str> {
            match kind {
                $($kind => Some($kind),)*
                _ => None,
            }
        }
    };
}

inspected_types![
    "dbrail_cluster",
    "dbrail_parameter_baseline",
    "dbrail_access_role",
    "aws_rds_cluster",
    "aws_rds_cluster_instance",
    "aws_rds_cluster_parameter_group",
    "aws_db_parameter_group",
    "aws_db_instance",
    "aws_iam_policy",
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    "aws_iam_policy_document",
    "dbrail_backup_policy",
    "aws_backup_plan",
    "aws_backup_vault",
    "aws_backup_vault_lock_configuration",
    "aws_backup_selection",
    "aws_rds_global_cluster",
    "aws_db_proxy",
    "aws_db_cluster_snapshot",
    "aws_db_snapshot",
];

/// Whether the policy command inspects resources of type `kind`.
pub fn is_inspected(kind: &str) -> bool {
    inspected_kind(kind).is_some()
}

/// One inspected resource, its values split into attributes.
#[derive(Debug, Clone)]
pub struct Resource<'a> {
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
    /// The JSON path of the resource's values in the document, for error messages.
    pub values_path: String,
    /// The planned (or, in a state, current) values.
    pub values: Fields<'a>,
    /// The `after_unknown` mask: `true` where a value is unknown until apply.
    pub unknown: Fields<'a>,
    /// For each attribute, the addresses its configuration expression references; shared by
    /// every instance of one configuration block.
    pub references: Arc<References>,
}

/// A plan or state, reduced to the resources the rules inspect; it borrows from the input.
#[derive(Debug, Clone, Default)]
pub struct Plan<'a> {
    /// Whether the document is a plan (with unknowns) rather than a state.
    pub is_plan: bool,
    /// The inspected resources, in document order.
    pub resources: Vec<Resource<'a>>,
}

impl<'a> Plan<'a> {
    /// Parses `terraform show -json` output. `file` names the input in error messages.
    pub fn parse(file: &str, input: &'a [u8]) -> Result<Plan<'a>, InputError> {
        // serde would read a struct from an array too; a plan is always an object.
        if input.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
            return Err(InputError::NotAPlan {
                file: file.to_owned(),
                detail: "; the top-level value is an array".to_owned(),
            });
        }
        // The fast reader takes documents of the usual shape; serde reads anything else, and
        // decides whether it is acceptable. Tracking the path of every value costs serde a
        // third of its time and is only needed to explain an error, so a document that fails
        // is read a third time with tracking. Checking the whole input for UTF-8 once is
        // cheaper than a parser checking every string and every kept raw value on its own.
        let parsed = match std::str::from_utf8(input) {
            Ok(text) => match fast::read(text) {
                Some(document) => Ok(document),
                None => serde_json::from_str::<Document>(text),
            },
            Err(_) => serde_json::from_slice(input),
        };
        let document = match parsed {
            Ok(document) => document,
            Err(_) => Self::explain(file, input)?,
        };
        Self::reduce(file, document)
    }

    /// Reads a document that failed to parse again, tracking paths, for a precise error.
    fn explain(file: &str, input: &'a [u8]) -> Result<Document<'a>, InputError> {
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
    fn reduce(file: &str, document: Document<'a>) -> Result<Plan<'a>, InputError> {
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
        let unknown: HashMap<Cow<'a, str>, Taken<'a>> = document
            .resource_changes
            .into_iter()
            .filter(|c| c.kind.as_deref().is_none_or(is_inspected))
            .filter_map(|c| {
                c.change
                    .after_unknown
                    .map(|u| (c.address, Taken::Waiting(u)))
            })
            .collect();
        let config = document.configuration.unwrap_or_default();
        let root = if is_plan {
            "planned_values.root_module"
        } else {
            "values.root_module"
        };
        let mut reader = Reader {
            file,
            unknown,
            config: &config.root_module,
            blocks: HashMap::default(),
            references: HashMap::default(),
            out: Vec::new(),
        };
        reader.collect(values.root_module, root)?;
        Ok(Plan {
            is_plan,
            resources: reader.out,
        })
    }

    /// The resources of one type.
    pub fn of_type<'p>(&'p self, kind: &'p str) -> impl Iterator<Item = &'p Resource<'a>> + 'p {
        self.resources.iter().filter(move |r| r.kind == kind)
    }
}

/// A resource's `after_unknown` mask, moved to the first resource with its address. Terraform
/// writes each address once; a document that repeats one gives the repeat a copy.
enum Taken<'a> {
    Waiting(Mask<'a>),
    /// Moved to this resource of the output.
    By(usize),
}

/// Walks the module tree, keeping the inspected resources.
struct Reader<'a, 'c> {
    file: &'c str,
    unknown: HashMap<Cow<'a, str>, Taken<'a>>,
    config: &'c ConfigModule<'a>,
    /// Each configuration module's resource blocks by address, built when first needed, so
    /// finding a block is a lookup however many blocks a module has. Keyed by the module's
    /// address without instance keys: every instance of a module shares its configuration.
    blocks: HashMap<String, HashMap<&'c str, &'c ConfigResource<'a>>>,
    /// The references of each block, read once: by module without instance keys, then by
    /// block address.
    references: HashMap<String, HashMap<String, Arc<References>>>,
    out: Vec<Resource<'a>>,
}

impl<'a, 'c> Reader<'a, 'c> {
    fn collect(&mut self, module: Module<'a>, path: &str) -> Result<(), InputError> {
        let file = self.file;
        let module_address = module.address.unwrap_or_default();
        let module_config = without_keys(&module_address);
        for (index, raw) in module.resources.into_iter().enumerate() {
            let Some(kind) = raw.inspected else {
                continue;
            };
            let values_path = format!("{path}.resources[{index}].values");
            let values = match raw.values {
                ResourceValues::Fields(fields) => fields,
                ResourceValues::Absent => Fields::default(),
                ResourceValues::Raw(values) => {
                    Fields::split(values).map_err(|found| not_values(file, &values_path, found))?
                }
                ResourceValues::Not(found) => return Err(not_values(file, &values_path, found)),
            };
            let taken = self
                .unknown
                .get_mut(raw.address.as_ref())
                .map(|entry| std::mem::replace(entry, Taken::By(self.out.len())));
            let mask = match taken {
                None => Fields::default(),
                Some(Taken::By(first)) => {
                    if let Some(entry) = self.unknown.get_mut(raw.address.as_ref()) {
                        *entry = Taken::By(first);
                    }
                    self.out
                        .get(first)
                        .map(|r| r.unknown.clone())
                        .unwrap_or_default()
                }
                Some(Taken::Waiting(Mask::Fields(fields))) => fields,
                Some(Taken::Waiting(Mask::Raw(mask))) => Fields::split(mask).map_err(|found| {
                    InputError::structure(
                        file,
                        format!(
                            "resource_changes[address={}].change.after_unknown",
                            raw.address
                        ),
                        format!("expected an object of flags, found {found}"),
                    )
                })?,
            };
            let data = raw.data;
            let name = match raw.name {
                Some(name) => name.into_owned(),
                None => local_name(&raw.address, &module_address),
            };
            let local = if data {
                format!("data.{kind}.{name}")
            } else {
                format!("{kind}.{name}")
            };
            let references = self.references(&module_config, &local)?;
            self.out.push(Resource {
                address: raw.address.into_owned(),
                module: module_address.clone(),
                local,
                kind: kind.to_owned(),
                data,
                values_path,
                values,
                unknown: mask,
                references,
            });
        }
        for (index, child) in module.child_modules.into_iter().enumerate() {
            self.collect(child, &format!("{path}.child_modules[{index}]"))?;
        }
        Ok(())
    }

    /// The references of configuration block `local` of the module instance at `module`.
    /// `module` is the module's address without instance keys.
    fn references(&mut self, module: &str, local: &str) -> Result<Arc<References>, InputError> {
        if let Some(found) = self.references.get(module).and_then(|m| m.get(local)) {
            return Ok(Arc::clone(found));
        }
        let found = Arc::new(match self.block(module, local) {
            Some(block) => references(self.file, block)?,
            None => References::new(),
        });
        self.references
            .entry(module.to_owned())
            .or_default()
            .insert(local.to_owned(), Arc::clone(&found));
        Ok(found)
    }

    /// The configuration block `local` of the configuration module at `module` (an address
    /// without instance keys).
    fn block(&mut self, module: &str, local: &str) -> Option<&'c ConfigResource<'a>> {
        let config = self.config;
        self.blocks
            .entry(module.to_owned())
            .or_insert_with(|| {
                config_module(config, module)
                    .map(|m| {
                        m.resources
                            .iter()
                            .map(|r| (r.address.as_ref(), r))
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .get(local)
            .copied()
    }
}

fn not_values(file: &str, path: &str, found: &str) -> InputError {
    InputError::structure(
        file,
        path,
        format!("expected an object of attribute values, found {found}"),
    )
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

#[cfg(test)]
mod tests {
    use super::{INSPECTED_TYPES, Plan, inspected_kind, is_inspected};

    #[test]
    fn the_inspected_test_and_list_agree() {
        for kind in INSPECTED_TYPES {
            // A copy, so the test is of the text and not of where it lies.
            let copy = String::from(*kind);
            assert_eq!(inspected_kind(&copy), Some(*kind));
            assert!(!is_inspected(&kind[1..]), "{kind} without its first letter");
            assert!(!is_inspected(&format!("{kind}s")), "{kind} plus a letter");
        }
        for other in [
            "",
            "aws_instance",
            "aws_rds_cluster_endpoint",
            "AWS_RDS_CLUSTER",
        ] {
            assert!(!is_inspected(other), "{other}");
        }
    }

    #[test]
    fn a_repeated_address_gets_the_same_mask() {
        let text = r#"{"planned_values": {"root_module": {"resources": [
            {"address": "aws_db_instance.a", "type": "aws_db_instance", "values": {"port": 1}},
            {"address": "aws_db_instance.a", "type": "aws_db_instance", "values": {"port": 2}},
            {"address": "aws_db_instance.b", "type": "aws_db_instance", "values": {"port": 3}}
        ]}}, "resource_changes": [{"address": "aws_db_instance.a", "type": "aws_db_instance",
            "change": {"after_unknown": {"arn": true}}}]}"#;
        let plan = Plan::parse("p", text.as_bytes()).expect("a plan");
        let unknown: Vec<bool> = plan
            .resources
            .iter()
            .map(|r| r.unknown.get("arn").is_some())
            .collect();
        assert_eq!(unknown, [true, true, false]);
    }
}
