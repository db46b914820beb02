//! What can go wrong while generating documentation.

use std::path::PathBuf;

/// A generation failure, naming the file or command involved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocgenError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// `terraform providers schema -json` failed or timed out.
    #[error("`terraform providers schema -json` failed: {detail}")]
    Terraform {
        /// Exit status and output.
        detail: String,
    },
    /// The schema document could not be understood.
    #[error("the provider schema JSON is not valid: {0}")]
    Schema(#[from] serde_json::Error),
    /// The schema holds no dbrail provider.
    #[error("the schema document holds no provider `{0}`")]
    NoProvider(String),
    /// A module's `variables.tf` or `outputs.tf` is not valid HCL.
    #[error("{path}: {detail}")]
    Hcl {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        detail: String,
    },
    /// A module README lacks the markers the tables go between.
    #[error("{path}: add the markers `{begin}` and `{end}` where the generated tables belong")]
    Markers {
        /// The README.
        path: PathBuf,
        /// The opening marker.
        begin: &'static str,
        /// The closing marker.
        end: &'static str,
    },
}

impl DocgenError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}
