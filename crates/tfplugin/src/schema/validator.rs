//! Attribute validators: checks that run on configured values before any plan.
//!
//! A validator describes itself in words, and that description goes into the generated docs,
//! so what the docs promise and what the provider enforces cannot drift apart.

use crate::value::Value;
use std::fmt;
use std::sync::Arc;

type Check = dyn Fn(&Value) -> Result<(), String> + Send + Sync;

/// A named check on a known, non-null attribute value.
#[derive(Clone)]
pub struct Validator {
    description: String,
    check: Arc<Check>,
}

impl fmt::Debug for Validator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Validator")
            .field("description", &self.description)
            .finish_non_exhaustive()
    }
}

impl Validator {
    /// A custom validator. `check` returns the problem, in words, when the value is wrong.
    pub fn new(
        description: impl Into<String>,
        check: impl Fn(&Value) -> Result<(), String> + Send + Sync + 'static,
    ) -> Self {
        Self {
            description: description.into(),
            check: Arc::new(check),
        }
    }

    /// What the validator requires, for docs.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Runs the check. Null and unknown values pass: they are checked once they are known.
    pub fn check(&self, value: &Value) -> Result<(), String> {
        if value.is_null() || !value.is_wholly_known() {
            return Ok(());
        }
        (self.check)(value)
    }

    /// The string must be one of `choices`.
    pub fn one_of(choices: &'static [&'static str]) -> Self {
        let list = choices
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ");
        Self::new(
            format!("Must be one of {list}."),
            move |value| match value.as_str() {
                Some(s) if choices.contains(&s) => Ok(()),
                Some(s) => Err(format!("{s:?} is not one of {}", choices.join(", "))),
                None => Err("expected a string".to_owned()),
            },
        )
    }

    /// The string length (in characters) must lie in `min..=max`.
    pub fn length_between(min: usize, max: usize) -> Self {
        Self::new(
            format!("Must be {min} to {max} characters long."),
            move |value| {
                let len = value.as_str().map_or(0, |s| s.chars().count());
                if (min..=max).contains(&len) {
                    Ok(())
                } else {
                    Err(format!("is {len} characters long"))
                }
            },
        )
    }

    /// The number must be a whole number in `min..=max`.
    pub fn int_between(min: i64, max: i64) -> Self {
        Self::new(
            format!("Must be a whole number from {min} to {max}."),
            move |value| match value.as_number().and_then(|n| n.as_i64()) {
                Some(n) if (min..=max).contains(&n) => Ok(()),
                Some(n) => Err(format!("{n} is outside {min}..{max}")),
                None => Err(value.as_number().map_or_else(
                    || "expected a number".to_owned(),
                    |n| format!("{n} is not a whole number"),
                )),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_of_accepts_choices_and_names_them_on_failure() {
        let v = Validator::one_of(&["production", "staging"]);
        assert!(v.check(&Value::String("staging".into())).is_ok());
        let err = v.check(&Value::String("prod".into())).unwrap_err();
        assert!(err.contains("production, staging"), "{err}");
        assert!(v.check(&Value::Null).is_ok());
        assert!(v.check(&Value::unknown()).is_ok());
    }

    #[test]
    fn length_and_range() {
        assert!(
            Validator::length_between(1, 3)
                .check(&Value::String("abcd".into()))
                .is_err()
        );
        assert!(
            Validator::length_between(1, 3)
                .check(&Value::String("ab".into()))
                .is_ok()
        );
        assert!(
            Validator::int_between(1, 35)
                .check(&Value::Number(40i64.into()))
                .is_err()
        );
        assert!(
            Validator::int_between(1, 35)
                .check(&Value::Number(7i64.into()))
                .is_ok()
        );
    }

    #[test]
    fn problems_do_not_repeat_the_description() {
        // The diagnostic shows the problem followed by the description: saying the rule twice
        // reads as a stutter.
        let v = Validator::length_between(1, 3);
        let err = v.check(&Value::String("abcd".into())).unwrap_err();
        assert_eq!(err, "is 4 characters long");
        let v = Validator::int_between(0, 15);
        let half = "1.5".parse().map(Value::Number).expect("number");
        let err = v.check(&half).unwrap_err();
        assert!(
            err.contains("1.5") && err.contains("not a whole number"),
            "{err}"
        );
        assert!(!err.contains("0 to 15"), "{err}");
    }
}
