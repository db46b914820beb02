//! Error messages for a document that does not parse: where (byte offset, line and column, or
//! JSON path) and what was expected.

use crate::error::{InputError, byte_offset, line_column};

pub(super) fn syntax(file: &str, input: &[u8], error: &serde_json::Error) -> InputError {
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
pub(super) fn describe(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// serde_path_to_error's path (`a.b[0].c`, `.` for the root) as the messages write it.
pub(super) fn json_path(path: &str) -> String {
    if path.is_empty() || path == "." {
        "$ (the top-level object)".to_owned()
    } else {
        path.to_owned()
    }
}
