//! The path walked so far while decoding or encoding.
//!
//! Codecs push a step when they descend and pop it when they return, and only materialise an
//! [`AttributePath`] when an error is reported, so the happy path never clones paths.

use crate::path::{AttributePath, PathStep};

use super::error::ValueError;

/// Values nest at most this deep (containers and dynamic wrappers each count one level).
///
/// Terraform schemas are far shallower; the limit exists so hostile input cannot exhaust the
/// stack of the recursive codecs.
pub const MAX_DEPTH: usize = 64;

/// A stack of path steps from the root to the value being processed.
#[derive(Debug, Default)]
pub(crate) struct Trail {
    steps: Vec<PathStep>,
}

impl Trail {
    /// The current path.
    pub(crate) fn path(&self) -> AttributePath {
        AttributePath::from_steps(self.steps.clone())
    }

    /// Runs `f` one step further down.
    pub(crate) fn step<T>(
        &mut self,
        step: PathStep,
        f: impl FnOnce(&mut Self) -> Result<T, ValueError>,
    ) -> Result<T, ValueError> {
        self.steps.push(step);
        let result = f(self);
        self.steps.pop();
        result
    }

    /// Runs `f` at the attribute `name`.
    pub(crate) fn attr<T>(
        &mut self,
        name: &str,
        f: impl FnOnce(&mut Self) -> Result<T, ValueError>,
    ) -> Result<T, ValueError> {
        self.step(PathStep::Attribute(name.to_owned()), f)
    }

    /// Runs `f` at the map key `key`.
    pub(crate) fn key<T>(
        &mut self,
        key: &str,
        f: impl FnOnce(&mut Self) -> Result<T, ValueError>,
    ) -> Result<T, ValueError> {
        self.step(PathStep::Key(key.to_owned()), f)
    }

    /// Runs `f` at the list, set or tuple position `index`.
    pub(crate) fn index<T>(
        &mut self,
        index: usize,
        f: impl FnOnce(&mut Self) -> Result<T, ValueError>,
    ) -> Result<T, ValueError> {
        self.step(PathStep::Index(i64::try_from(index).unwrap_or(i64::MAX)), f)
    }

    /// Fails with [`ValueError::TooDeep`] once `depth` exceeds [`MAX_DEPTH`].
    pub(crate) fn check_depth(&self, depth: usize) -> Result<(), ValueError> {
        if depth > MAX_DEPTH {
            Err(ValueError::TooDeep {
                path: self.path(),
                limit: MAX_DEPTH,
            })
        } else {
            Ok(())
        }
    }

    /// A type mismatch here.
    pub(crate) fn mismatch(
        &self,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> ValueError {
        ValueError::TypeMismatch {
            path: self.path(),
            expected: expected.into(),
            found: found.into(),
        }
    }
}
