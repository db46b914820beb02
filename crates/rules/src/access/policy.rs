//! IAM policy documents as the rules see them.

use crate::{AttrPath, Fact};

/// One condition of a statement, e.g. `Bool` / `aws:MultiFactorAuthPresent` / `["true"]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyCondition {
    /// The condition operator, e.g. `Bool`, `StringEquals`.
    pub operator: String,
    /// The condition key, e.g. `aws:MultiFactorAuthPresent`.
    pub key: String,
    /// The values compared against.
    pub values: Vec<String>,
}

/// One statement of a policy document, with its lists flattened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyStatement {
    /// `Effect: Allow` (false for `Deny`).
    pub allow: bool,
    /// `Action` values as written.
    pub actions: Vec<String>,
    /// `Resource` values as written (empty in trust policies).
    pub resources: Vec<String>,
    /// `Principal` entries as `TYPE:VALUE` (`AWS:arn:…`, `Service:…`, `Federated:…`), or `*`.
    pub principals: Vec<String>,
    /// `Condition` entries.
    pub conditions: Vec<PolicyCondition>,
}

impl PolicyStatement {
    /// An `Allow` statement of `actions` on `resources`.
    pub fn allow(actions: &[&str], resources: &[&str]) -> Self {
        Self {
            allow: true,
            actions: actions.iter().map(|a| (*a).to_owned()).collect(),
            resources: resources.iter().map(|r| (*r).to_owned()).collect(),
            ..Self::default()
        }
    }

    /// Whether the statement requires `key` to be true (`Bool` or `BoolIfExists` is not enough:
    /// only `Bool` fails closed when the key is missing).
    pub fn requires_true(&self, key: &str) -> bool {
        self.conditions.iter().any(|c| {
            c.operator == "Bool"
                && c.key.eq_ignore_ascii_case(key)
                && !c.values.is_empty()
                && c.values.iter().all(|v| v.eq_ignore_ascii_case("true"))
        })
    }
}

/// A policy document held by an IAM resource (`aws_iam_policy`, `aws_iam_role_policy`, the
/// `json` of `aws_iam_policy_document`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IamPolicySubject {
    /// The attribute holding the document, where findings point.
    pub attribute: AttrPath,
    /// The statements; unknown until apply, or absent when no document is set.
    pub statements: Fact<Vec<PolicyStatement>>,
}

impl IamPolicySubject {
    /// A document at `attribute`.
    pub fn new(attribute: AttrPath, statements: Fact<Vec<PolicyStatement>>) -> Self {
        Self {
            attribute,
            statements,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mfa_must_be_a_strict_bool_condition() {
        let mut s = PolicyStatement::allow(&["sts:AssumeRole"], &[]);
        assert!(!s.requires_true("aws:MultiFactorAuthPresent"));
        s.conditions.push(PolicyCondition {
            operator: "BoolIfExists".into(),
            key: "aws:MultiFactorAuthPresent".into(),
            values: vec!["true".into()],
        });
        assert!(!s.requires_true("aws:MultiFactorAuthPresent"));
        s.conditions.push(PolicyCondition {
            operator: "Bool".into(),
            key: "aws:MultiFactorAuthPresent".into(),
            values: vec!["true".into()],
        });
        assert!(s.requires_true("aws:multifactorauthpresent"));
    }
}
