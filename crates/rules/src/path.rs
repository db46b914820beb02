//! Attribute paths.
//!
//! A finding must say *where* the problem is so the provider can attach its diagnostic to the
//! attribute and the CI command can point at the field inside a resource. This is the crate's own
//! small path type; callers convert it to theirs (the provider to the protocol's attribute path,
//! the CI command to a JSON pointer or a display string).

use std::fmt;

use serde::Serialize;

/// One step in an attribute path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathStep {
    /// An attribute or block name.
    Attribute(String),
    /// A key in a map.
    Key(String),
    /// A position in a list.
    Index(usize),
}

/// A path from a resource's root to one of its attributes, e.g. `parameters["rds.force_ssl"]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct AttrPath {
    steps: Vec<PathStep>,
}

impl AttrPath {
    /// The empty path: the resource as a whole.
    pub fn root() -> Self {
        Self::default()
    }

    /// A path of one attribute name.
    pub fn attribute(name: impl Into<String>) -> Self {
        Self::root().attr(name)
    }

    /// Extends the path with an attribute name.
    #[must_use]
    pub fn attr(mut self, name: impl Into<String>) -> Self {
        self.steps.push(PathStep::Attribute(name.into()));
        self
    }

    /// Extends the path with a map key.
    #[must_use]
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.steps.push(PathStep::Key(key.into()));
        self
    }

    /// Extends the path with a list index.
    #[must_use]
    pub fn index(mut self, index: usize) -> Self {
        self.steps.push(PathStep::Index(index));
        self
    }

    /// The steps from the root.
    pub fn steps(&self) -> &[PathStep] {
        &self.steps
    }

    /// Whether this is the root path.
    pub fn is_root(&self) -> bool {
        self.steps.is_empty()
    }
}

impl fmt::Display for AttrPath {
    /// Terraform-like notation: `override[2].reason`, `parameters["rds.force_ssl"]`; the root is
    /// shown as an empty string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (position, step) in self.steps.iter().enumerate() {
            match step {
                PathStep::Attribute(name) if position == 0 => f.write_str(name)?,
                PathStep::Attribute(name) => write!(f, ".{name}")?,
                PathStep::Key(key) => write!(f, "[{key:?}]")?,
                PathStep::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_displays_paths() {
        let path = AttrPath::attribute("parameters").key("rds.force_ssl");
        assert_eq!(path.to_string(), "parameters[\"rds.force_ssl\"]");
        assert_eq!(
            path.steps(),
            [
                PathStep::Attribute("parameters".into()),
                PathStep::Key("rds.force_ssl".into())
            ]
        );

        let path = AttrPath::attribute("override").index(2).attr("reason");
        assert_eq!(path.to_string(), "override[2].reason");
    }

    #[test]
    fn root_is_empty() {
        assert!(AttrPath::root().is_root());
        assert_eq!(AttrPath::root().to_string(), "");
    }
}
