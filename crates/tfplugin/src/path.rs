//! Attribute paths: where in a resource's value something is.
//!
//! Terraform underlines the configuration that an error diagnostic's path names, so every error
//! the framework or a resource reports should carry the most precise path it can: the attribute,
//! then map keys and list indexes below it.

use std::fmt;

/// One step of an [`AttributePath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathStep {
    /// An object attribute or a nested block by name.
    Attribute(String),
    /// A map element by key.
    Key(String),
    /// A list or tuple element by position.
    Index(i64),
}

/// A path from the root of a resource's object value to one value inside it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttributePath {
    steps: Vec<PathStep>,
}

impl AttributePath {
    /// The empty path: the whole value (diagnostics without a path are not underlined).
    pub fn root() -> Self {
        Self::default()
    }

    /// A path of one attribute.
    pub fn attr(name: impl Into<String>) -> Self {
        Self::root().then_attr(name)
    }

    /// This path extended by an attribute.
    #[must_use]
    pub fn then_attr(mut self, name: impl Into<String>) -> Self {
        self.steps.push(PathStep::Attribute(name.into()));
        self
    }

    /// This path extended by a map key.
    #[must_use]
    pub fn then_key(mut self, key: impl Into<String>) -> Self {
        self.steps.push(PathStep::Key(key.into()));
        self
    }

    /// This path extended by a list index.
    #[must_use]
    pub fn then_index(mut self, index: usize) -> Self {
        self.steps
            .push(PathStep::Index(i64::try_from(index).unwrap_or(i64::MAX)));
        self
    }

    /// The steps, outermost first.
    pub fn steps(&self) -> &[PathStep] {
        &self.steps
    }

    /// Builds a path from steps.
    pub fn from_steps(steps: Vec<PathStep>) -> Self {
        Self { steps }
    }

    /// Whether this is the root path.
    pub fn is_root(&self) -> bool {
        self.steps.is_empty()
    }
}

impl fmt::Display for AttributePath {
    /// Renders the path as Terraform writes it: `override[1].reason`, `tags["team"]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                PathStep::Attribute(name) if i == 0 => write!(f, "{name}")?,
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
    fn renders_like_terraform() {
        let path = AttributePath::attr("override")
            .then_index(1)
            .then_attr("reason");
        assert_eq!(path.to_string(), "override[1].reason");
        let path = AttributePath::attr("tags").then_key("team");
        assert_eq!(path.to_string(), "tags[\"team\"]");
        assert_eq!(AttributePath::root().to_string(), "");
    }
}
