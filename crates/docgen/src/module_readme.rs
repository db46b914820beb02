//! The input and output tables of each module's `README.md`, generated from its `variables.tf`
//! and `outputs.tf` and written between `<!-- BEGIN_TF_DOCS -->` and `<!-- END_TF_DOCS -->`
//! (the markers `terraform-docs` uses, so the READMEs read as module users expect).
//!
//! The files are parsed with `hcl-rs`, a real HCL parser: type constraints span lines
//! (`map(object({ ... }))`), descriptions may be heredocs, and defaults may be any expression;
//! line-based scanning would silently produce wrong tables on the first such variable. The prose
//! around the markers is hand-written and kept as it is.

use crate::error::DocgenError;
use crate::markdown::{cell, code};
use crate::{GENERATED_NOTE, Generated};
use hcl::{Body, Expression, ObjectKey};
use std::fmt::Write as _;
use std::path::Path;

/// Where the generated tables start.
pub const BEGIN: &str = "<!-- BEGIN_TF_DOCS -->";
/// Where they end.
pub const END: &str = "<!-- END_TF_DOCS -->";

/// One `variable` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Its type constraint as written (`any` when absent).
    pub ty: String,
    /// Its default as written; `None` makes the input required.
    pub default: Option<String>,
    /// Whether it is sensitive.
    pub sensitive: bool,
}

/// One `output` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputValue {
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Whether it is sensitive.
    pub sensitive: bool,
}

/// The README of every `modules/<name>/` that has one, with its tables regenerated.
pub fn render(root: &Path) -> Result<Vec<Generated>, DocgenError> {
    let dir = root.join("modules");
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(DocgenError::io(dir, e)),
    };
    let mut modules = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| DocgenError::io(&dir, e))?.path();
        if path.join("README.md").is_file() {
            modules.push(path);
        }
    }
    modules.sort();
    let mut out = Vec::new();
    for module in modules {
        let readme = module.join("README.md");
        let text = std::fs::read_to_string(&readme).map_err(|e| DocgenError::io(&readme, e))?;
        let inputs = inputs(&module.join("variables.tf"))?;
        let outputs = outputs(&module.join("outputs.tf"))?;
        let content = splice(&readme, &text, &tables(&inputs, &outputs))?;
        let relative = readme.strip_prefix(root).unwrap_or(&readme).to_path_buf();
        out.push(Generated {
            path: relative,
            content,
        });
    }
    Ok(out)
}

/// The variables declared in `path` (none when the file does not exist), in file order.
pub fn inputs(path: &Path) -> Result<Vec<Input>, DocgenError> {
    let Some(body) = parse(path)? else {
        return Ok(Vec::new());
    };
    Ok(body
        .blocks()
        .filter(|b| b.identifier() == "variable")
        .filter_map(|block| {
            let name = block.labels().first()?.as_str().to_owned();
            let attr = |key: &str| {
                block
                    .body()
                    .attributes()
                    .find(|a| a.key() == key)
                    .map(|a| a.expr().clone())
            };
            Some(Input {
                name,
                description: attr("description").map(|e| text(&e)).unwrap_or_default(),
                ty: attr("type")
                    .map(|e| expression(&e))
                    .unwrap_or_else(|| "any".to_owned()),
                default: attr("default").map(|e| expression(&e)),
                sensitive: matches!(attr("sensitive"), Some(Expression::Bool(true))),
            })
        })
        .collect())
}

/// The outputs declared in `path` (none when the file does not exist), in file order.
pub fn outputs(path: &Path) -> Result<Vec<OutputValue>, DocgenError> {
    let Some(body) = parse(path)? else {
        return Ok(Vec::new());
    };
    Ok(body
        .blocks()
        .filter(|b| b.identifier() == "output")
        .filter_map(|block| {
            let name = block.labels().first()?.as_str().to_owned();
            let attr = |key: &str| {
                block
                    .body()
                    .attributes()
                    .find(|a| a.key() == key)
                    .map(|a| a.expr().clone())
            };
            Some(OutputValue {
                name,
                description: attr("description").map(|e| text(&e)).unwrap_or_default(),
                sensitive: matches!(attr("sensitive"), Some(Expression::Bool(true))),
            })
        })
        .collect())
}

fn parse(path: &Path) -> Result<Option<Body>, DocgenError> {
    let source = match std::fs::read_to_string(path) {
        Ok(source) => source,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(DocgenError::io(path, e)),
    };
    hcl::parse(&source).map(Some).map_err(|e| DocgenError::Hcl {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })
}

/// A string literal's value, or the expression as written.
fn text(expr: &Expression) -> String {
    match expr {
        Expression::String(s) => s.clone(),
        // A heredoc: its lines without their indentation (cells join them anyway).
        Expression::TemplateExpr(template) => match template.as_ref() {
            hcl::TemplateExpr::QuotedString(s) => s.as_str(),
            hcl::TemplateExpr::Heredoc(heredoc) => heredoc.template.as_str(),
        }
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned(),
        other => expression(other),
    }
}

/// An expression on one line, as HCL. Calls, objects and arrays (what type constraints are made
/// of) are written here, item by item: the formatter's own one-line output drops the comma
/// after an empty array or object inside an object (`optional(list(string), []) b = ...`).
fn expression(expr: &Expression) -> String {
    match expr {
        Expression::FuncCall(call) => {
            let args: Vec<String> = call.args.iter().map(expression).collect();
            let ellipsis = if call.expand_final { "..." } else { "" };
            format!("{}({}{ellipsis})", call.name, args.join(", "))
        }
        Expression::Array(items) => {
            let items: Vec<String> = items.iter().map(expression).collect();
            format!("[{}]", items.join(", "))
        }
        Expression::Object(object) if object.is_empty() => "{}".to_owned(),
        Expression::Object(object) => {
            let members: Vec<String> = object
                .iter()
                .map(|(key, value)| {
                    let key = match key {
                        ObjectKey::Identifier(name) => name.to_string(),
                        ObjectKey::Expression(key) => expression(key),
                        other => hcl::format::to_string(other).unwrap_or_default(),
                    };
                    format!("{key} = {}", expression(value))
                })
                .collect();
            format!("{{ {} }}", members.join(", "))
        }
        other => {
            let formatted = hcl::format::to_string(other).unwrap_or_else(|_| format!("{other:?}"));
            formatted.split_whitespace().collect::<Vec<_>>().join(" ")
        }
    }
}

/// The Markdown between the markers.
pub fn tables(inputs: &[Input], outputs: &[OutputValue]) -> String {
    let mut out = format!("{GENERATED_NOTE}\n\n## Inputs\n\n");
    if inputs.is_empty() {
        out.push_str("No inputs.\n");
    } else {
        out.push_str("| Name | Description | Type | Default | Required |\n|------|-------------|------|---------|:--------:|\n");
        let mut sorted: Vec<&Input> = inputs.iter().collect();
        // Required inputs first: what a caller must decide comes before what they may.
        sorted.sort_by_key(|i| (i.default.is_some(), i.name.clone()));
        for input in sorted {
            let _ = writeln!(
                out,
                "| {} | {}{} | {} | {} | {} |",
                code(&input.name),
                cell(&input.description),
                if input.sensitive { " (sensitive)" } else { "" },
                cell(&code(&input.ty)),
                input
                    .default
                    .as_deref()
                    .map(|d| cell(&code(d)))
                    .unwrap_or_else(|| "n/a".to_owned()),
                if input.default.is_none() { "yes" } else { "no" },
            );
        }
    }
    out.push_str("\n## Outputs\n\n");
    if outputs.is_empty() {
        out.push_str("No outputs.\n");
    } else {
        out.push_str("| Name | Description |\n|------|-------------|\n");
        let mut sorted: Vec<&OutputValue> = outputs.iter().collect();
        sorted.sort_by_key(|o| o.name.clone());
        for output in sorted {
            let _ = writeln!(
                out,
                "| {} | {}{} |",
                code(&output.name),
                cell(&output.description),
                if output.sensitive { " (sensitive)" } else { "" },
            );
        }
    }
    out
}

/// `readme` with the text between the markers replaced by `tables`.
pub fn splice(path: &Path, readme: &str, tables: &str) -> Result<String, DocgenError> {
    let missing = || DocgenError::Markers {
        path: path.to_path_buf(),
        begin: BEGIN,
        end: END,
    };
    let start = readme.find(BEGIN).ok_or_else(missing)? + BEGIN.len();
    let end = readme[start..].find(END).ok_or_else(missing)? + start;
    Ok(format!(
        "{}\n{}{}",
        &readme[..start],
        tables,
        &readme[end..]
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test")]
    use super::*;
    use std::path::PathBuf;

    const VARIABLES: &str = r#"
# A comment
variable "name" {
  description = "Cluster name | short."
  type        = string
  validation {
    condition     = length(var.name) < 60
    error_message = "Too long."
  }
}

variable "roles" {
  description = <<-EOT
    Access roles,
    one per service.
  EOT
  type = map(object({
    db_user = string
    tier    = optional(string, "standard")
    schemas = optional(list(string), [])
    grants  = optional(map(list(string)), {})
  }))
  default = {}
}

variable "secret" {
  type      = string
  default   = null
  sensitive = true
}
"#;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn variables_are_read_with_multi_line_types_and_heredocs() {
        let dir = tempfile::tempdir().unwrap();
        let inputs = inputs(&write(dir.path(), "variables.tf", VARIABLES)).unwrap();
        assert_eq!(inputs.len(), 3);
        assert_eq!(inputs[0].ty, "string");
        assert_eq!(inputs[0].default, None);
        assert!(
            inputs[1]
                .description
                .contains("Access roles,\none per service."),
            "{:?}",
            inputs[1]
        );
        assert!(inputs[1].ty.starts_with("map(object({"), "{}", inputs[1].ty);
        assert_eq!(
            inputs[1].ty,
            "map(object({ db_user = string, tier = optional(string, \"standard\"), \
             schemas = optional(list(string), []), grants = optional(map(list(string)), {}) }))"
        );
        assert_eq!(inputs[1].default.as_deref(), Some("{}"));
        assert_eq!(inputs[2].default.as_deref(), Some("null"));
        assert!(inputs[2].sensitive);
        let table = tables(&inputs, &[]);
        // Required first, pipes escaped, one row per input, and "No outputs." stated.
        let rows: Vec<&str> = table.lines().filter(|l| l.starts_with("| `")).collect();
        assert_eq!(rows.len(), 3);
        assert!(
            rows[0].starts_with("| `name` | Cluster name \\| short. | `string` | n/a | yes |"),
            "{}",
            rows[0]
        );
        assert!(rows[2].contains("(sensitive)"));
        assert!(table.contains("No outputs."));
    }

    #[test]
    fn bad_hcl_and_missing_markers_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let bad = write(dir.path(), "variables.tf", "variable \"x\" {\n  type = \n");
        let err = inputs(&bad).unwrap_err().to_string();
        assert!(err.contains("variables.tf"), "{err}");
        let err = splice(Path::new("README.md"), "no markers", "t")
            .unwrap_err()
            .to_string();
        assert!(err.contains(BEGIN) && err.contains("README.md"), "{err}");
        let spliced = splice(
            Path::new("R"),
            &format!("a\n{BEGIN}\nold\n{END}\nb"),
            "new\n",
        )
        .unwrap();
        assert_eq!(spliced, format!("a\n{BEGIN}\nnew\n{END}\nb"));
        assert!(inputs(&dir.path().join("absent.tf")).unwrap().is_empty());
    }
}
