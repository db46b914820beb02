//! Errors about unreadable input.
//!
//! Every error the user can cause by handing over the wrong file ends the command with exit
//! code 2 and must say where the problem is: the file, the byte offset (syntax) or the JSON path
//! (structure), and what was expected. One enum keeps those messages consistent.

use thiserror::Error;

/// Why an input file (plan, state or waivers) could not be used.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum InputError {
    /// The file could not be read.
    #[error("{file}: cannot read the file: {source}")]
    Io {
        /// The file.
        file: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not valid JSON (or YAML).
    #[error("{file}: invalid {format} at byte {offset} (line {line}, column {column}): {detail}")]
    Syntax {
        /// The file.
        file: String,
        /// `JSON` or `YAML`.
        format: &'static str,
        /// Zero-based byte offset of the error.
        offset: usize,
        /// One-based line.
        line: usize,
        /// One-based column.
        column: usize,
        /// What the parser expected.
        detail: String,
    },
    /// The document parses but a value has the wrong shape.
    #[error("{file}: at {path}: {detail}")]
    Structure {
        /// The file.
        file: String,
        /// The JSON path of the offending value, e.g. `planned_values.root_module.resources[2]`.
        path: String,
        /// What was found and what was expected.
        detail: String,
    },
    /// A custom Rego policy could not be loaded or evaluated.
    #[error("{file}: {detail}")]
    Policy {
        /// The policy file or directory.
        file: String,
        /// What went wrong.
        detail: String,
    },
    /// The document is JSON but not a `terraform show -json` plan or state.
    #[error(
        "{file}: not a `terraform show -json` document: expected a top-level object with \
         `format_version` and `planned_values` (a plan) or `values` (a state){detail}"
    )]
    NotAPlan {
        /// The file.
        file: String,
        /// Extra detail, starting with `; ` when present.
        detail: String,
    },
}

impl InputError {
    /// Whether the error is a syntax error.
    pub fn is_syntax(&self) -> bool {
        matches!(self, InputError::Syntax { .. })
    }

    /// Whether the error is about the document's structure.
    pub fn is_structure(&self) -> bool {
        matches!(self, InputError::Structure { .. })
    }

    /// Whether the document is not a plan or state.
    pub fn is_not_a_plan(&self) -> bool {
        matches!(self, InputError::NotAPlan { .. })
    }

    /// A structural error at `path`.
    pub(crate) fn structure(
        file: &str,
        path: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        InputError::Structure {
            file: file.to_owned(),
            path: path.into(),
            detail: detail.into(),
        }
    }
}

/// The zero-based byte offset of a one-based line and column (serde reports these).
pub(crate) fn byte_offset(input: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (index, text) in input.split(|b| *b == b'\n').enumerate() {
        if index + 1 == line {
            return (offset + column.saturating_sub(1)).min(input.len());
        }
        offset += text.len() + 1;
    }
    input.len()
}

/// The one-based line and column of a zero-based byte offset.
pub(crate) fn line_column(input: &[u8], offset: usize) -> (usize, usize) {
    let before = &input[..offset.min(input.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |at| at + 1);
    (line, before.len() - start + 1)
}

/// A parser's message without the location it appends (` at line L column C`) and the path it
/// prefixes (`.[0].rule: `), both of which the error reports in its own fields.
pub(crate) fn bare_message(text: &str, path: &str) -> String {
    let text = match text.split_once(": ") {
        // YAML messages start with the path of the value (`.[0]`), which may be the parent of
        // the tracked path (an unknown field is reported at its map).
        Some((head, rest))
            if head.trim_start_matches('.') == path.trim_start_matches('.')
                || (head.starts_with('.') && !head.contains(' ')) =>
        {
            rest
        }
        _ => text,
    };
    match text.rfind(" at line ") {
        Some(at) if text[at..].contains(" column ") => text[..at].to_owned(),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_of_offsets() {
        let input = b"ab\ncd\n";
        assert_eq!(line_column(input, 0), (1, 1));
        assert_eq!(line_column(input, 4), (2, 2));
        assert_eq!(line_column(input, 99), (3, 1));
    }

    #[test]
    fn bare_messages_lose_path_and_location() {
        assert_eq!(
            bare_message(
                ".[0].rule: invalid type: map at line 2 column 3",
                ".[0].rule"
            ),
            "invalid type: map"
        );
        assert_eq!(
            bare_message("trailing comma at line 1 column 15", "."),
            "trailing comma"
        );
        assert_eq!(bare_message("at line one", "."), "at line one");
        assert_eq!(
            bare_message(
                ".[0]: unknown field `colour` at line 5 column 3",
                "[0].colour"
            ),
            "unknown field `colour`"
        );
    }

    #[test]
    fn offsets_count_bytes_of_earlier_lines() {
        let input = b"{\n  \"a\": 1,\n  x\n}";
        assert_eq!(byte_offset(input, 1, 1), 0);
        assert_eq!(byte_offset(input, 3, 3), 14);
        assert_eq!(input[14], b'x');
        assert_eq!(byte_offset(input, 99, 1), input.len());
    }
}
