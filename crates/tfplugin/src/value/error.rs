//! The one error type of the value codec.
//!
//! Every failure, whether bytes from Terraform that do not match the schema or a provider value
//! that does not fit its type, is reported with the [`AttributePath`] where it happened, so the
//! framework can turn it into a diagnostic that points at the user's configuration instead of a
//! bare "failed to decode".

use std::fmt;

use crate::path::AttributePath;

/// Why a value could not be decoded, encoded or checked against its type.
///
/// Each variant carries the path of the offending value; `Display` renders it the way Terraform
/// writes paths, e.g. `at override[1].name: expected string, found msgpack integer`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// The input (or a provider value) has a different shape than the type asks for.
    #[error("{}expected {expected}, found {found}", At(.path))]
    TypeMismatch {
        /// Where.
        path: AttributePath,
        /// What the type asked for, e.g. `string`.
        expected: String,
        /// What was there instead, e.g. `msgpack integer`.
        found: String,
    },
    /// The bytes are not well-formed msgpack or JSON (truncated, trailing bytes, bad UTF-8, ...).
    #[error("{}malformed {format}: {message}", At(.path))]
    Malformed {
        /// Where.
        path: AttributePath,
        /// `msgpack` or `JSON`.
        format: &'static str,
        /// What is wrong.
        message: String,
    },
    /// An object lacks an attribute its type declares.
    #[error("{}missing attribute {name:?}", At(.path))]
    MissingAttribute {
        /// The object's path.
        path: AttributePath,
        /// The missing attribute.
        name: String,
    },
    /// An object has an attribute its type does not declare.
    #[error("{}unexpected attribute {name:?}", At(.path))]
    UnexpectedAttribute {
        /// The object's path.
        path: AttributePath,
        /// The unexpected attribute.
        name: String,
    },
    /// A map or object repeats a key.
    #[error("{}duplicate key {key:?}", At(.path))]
    DuplicateKey {
        /// The map's or object's path.
        path: AttributePath,
        /// The repeated key.
        key: String,
    },
    /// A tuple has the wrong number of elements.
    #[error("{}expected a tuple of {expected} elements, found {found}", At(.path))]
    TupleLength {
        /// Where.
        path: AttributePath,
        /// Elements the type declares.
        expected: usize,
        /// Elements present.
        found: usize,
    },
    /// The value (or type) nests deeper than the codec accepts.
    #[error("{}nested deeper than {limit} levels", At(.path))]
    TooDeep {
        /// Where the limit was hit.
        path: AttributePath,
        /// The limit.
        limit: usize,
    },
    /// A number that is not a finite decimal within the supported range.
    #[error("{}invalid number {text:?}: {reason}", At(.path))]
    InvalidNumber {
        /// Where.
        path: AttributePath,
        /// The offending text (or float) as found.
        text: String,
        /// Why it was rejected.
        reason: String,
    },
    /// JSON cannot represent unknown values.
    #[error("{}unknown values cannot be encoded as JSON", At(.path))]
    UnknownInJson {
        /// Where the unknown value is.
        path: AttributePath,
    },
    /// A type description (cty type JSON) that cannot be understood.
    #[error("{}invalid type description: {message}", At(.path))]
    InvalidType {
        /// The value whose type it describes (the root for [`crate::value::Type::from_json`]).
        path: AttributePath,
        /// What is wrong.
        message: String,
    },
    /// Refinements of an unknown value that are malformed or do not apply to its type.
    #[error("{}invalid unknown-value refinement: {message}", At(.path))]
    InvalidRefinement {
        /// Where the unknown value is.
        path: AttributePath,
        /// What is wrong.
        message: String,
    },
    /// Something too large for the wire format (a string or collection beyond 2^32 - 1).
    #[error("{}too large to encode: {what}", At(.path))]
    TooLarge {
        /// Where.
        path: AttributePath,
        /// What overflowed.
        what: String,
    },
    /// A typed model (serde) did not match the value.
    #[error("{}{message}", At(.path))]
    Serde {
        /// Where, as far as known.
        path: AttributePath,
        /// serde's message.
        message: String,
    },
}

impl ValueError {
    /// The path of the value the error is about (the root path for whole-value errors).
    pub fn path(&self) -> &AttributePath {
        match self {
            Self::TypeMismatch { path, .. }
            | Self::Malformed { path, .. }
            | Self::MissingAttribute { path, .. }
            | Self::UnexpectedAttribute { path, .. }
            | Self::DuplicateKey { path, .. }
            | Self::TupleLength { path, .. }
            | Self::TooDeep { path, .. }
            | Self::InvalidNumber { path, .. }
            | Self::UnknownInJson { path }
            | Self::InvalidType { path, .. }
            | Self::InvalidRefinement { path, .. }
            | Self::TooLarge { path, .. }
            | Self::Serde { path, .. } => path,
        }
    }
}

/// Renders `at <path>: ` before a message, or nothing for the root path.
struct At<'a>(&'a AttributePath);

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_root() {
            Ok(())
        } else {
            write!(f, "at {}: ", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_the_path() {
        let err = ValueError::TypeMismatch {
            path: AttributePath::attr("override")
                .then_index(1)
                .then_attr("name"),
            expected: "string".into(),
            found: "msgpack integer".into(),
        };
        assert_eq!(
            err.to_string(),
            "at override[1].name: expected string, found msgpack integer"
        );
        assert_eq!(err.path().steps().len(), 3);
    }

    #[test]
    fn root_errors_have_no_prefix() {
        let err = ValueError::UnknownInJson {
            path: AttributePath::root(),
        };
        assert_eq!(err.to_string(), "unknown values cannot be encoded as JSON");
    }
}
