//! IAM policies granting database access to every database.
//!
//! `rds-db:connect` on `Resource: "*"` lets the holder log in as any IAM-enabled user of every
//! cluster in the account; `rds:*` on `*` lets it change or delete any of them. The rules crate
//! has no IAM subject yet, so this check lives with the command that reads IAM resources; it is
//! listed in the catalogue output beside the shared rules and reported the same way.

use dbrail_rules::{Control, Fact, Severity, Tier};
use serde_json::Value;

use crate::error::InputError;
use crate::plan::Resource;
use crate::subjects::attrs;

/// A check that belongs to the policy command rather than the shared catalogue.
#[derive(Debug)]
pub struct OwnRule {
    /// Stable id.
    pub id: &'static str,
    /// One line.
    pub title: &'static str,
    /// Markdown description.
    pub description: &'static str,
    /// Why it matters.
    pub rationale: &'static str,
    /// External controls.
    pub controls: &'static [Control],
    /// How to fix a failure.
    pub fix: &'static str,
}

/// The IAM wildcard rule.
pub const IAM_WILDCARD: OwnRule = OwnRule {
    id: "DB-IAM-WILDCARD",
    title: "Database access not granted on every database",
    description: "\
Checks IAM policy documents (`aws_iam_policy`, `aws_iam_role_policy`, `aws_iam_user_policy`, \
`aws_iam_group_policy` and the `json` of `data.aws_iam_policy_document`) for an `Allow` statement \
granting `rds-db:connect`, `rds-db:*` or `rds:*` (or any `rds`/`rds-db` action with a wildcard) \
on `Resource: \"*\"`, or `rds-db:connect` on a `dbuser:*` resource. A policy unknown until apply \
leaves the check undecided.

**Strictness:** an error in production; a warning in staging and development.",
    rationale: "A wildcard grant turns one leaked role into access to every database in the \
account; least privilege names the cluster resource id and the database user.",
    controls: &[Control::pci_dss("7.2.1"), Control::soc2("CC6.3")],
    fix: "Name the resources: `arn:aws:rds-db:REGION:ACCOUNT:dbuser:CLUSTER_RESOURCE_ID/DB_USER` \
for rds-db:connect, the cluster ARN for rds: actions.",
};

/// Every rule of this module.
pub const OWN_RULES: &[OwnRule] = &[IAM_WILDCARD];

/// Whether `id` names one of this module's rules.
pub fn is_own_rule(id: &str) -> bool {
    OWN_RULES
        .iter()
        .any(|r| r.id.eq_ignore_ascii_case(id.trim()))
}

/// The result of the IAM check on one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IamOutcome {
    /// No wildcard grant.
    Pass,
    /// The policy is unknown until apply.
    Undecided {
        /// The policy attribute.
        attribute: &'static str,
    },
    /// A wildcard grant.
    Fail {
        /// The policy attribute.
        attribute: &'static str,
        /// What was found.
        message: String,
        /// Severity in the tier.
        severity: Severity,
    },
}

fn strings(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn database_action(action: &str) -> bool {
    let action = action.to_ascii_lowercase();
    action == "rds-db:connect"
        || ((action.starts_with("rds:") || action.starts_with("rds-db:")) && action.contains('*'))
}

fn wildcard_resource(resource: &str, action: &str) -> bool {
    resource == "*"
        || (action.eq_ignore_ascii_case("rds-db:connect") && resource.contains(":dbuser:*"))
}

/// The wildcard grants in one policy document, as messages.
pub fn wildcard_grants(policy: &Value) -> Vec<String> {
    let statements = match policy.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single @ Value::Object(_)) => vec![single],
        _ => Vec::new(),
    };
    let mut grants = Vec::new();
    for statement in statements {
        if statement.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        for action in strings(statement.get("Action")) {
            if !database_action(action) {
                continue;
            }
            for resource in strings(statement.get("Resource")) {
                if wildcard_resource(resource, action) {
                    grants.push(format!("allows {action} on {resource}"));
                }
            }
        }
    }
    grants
}

/// Evaluates the IAM check on one resource, or `None` if it holds no policy document.
pub fn evaluate(
    file: &str,
    resource: &Resource,
    tier: Tier,
) -> Result<Option<IamOutcome>, InputError> {
    let attribute = match resource.kind.as_str() {
        "aws_iam_policy_document" => "json",
        "aws_iam_policy"
        | "aws_iam_role_policy"
        | "aws_iam_user_policy"
        | "aws_iam_group_policy" => "policy",
        _ => return Ok(None),
    };
    let policy = match attrs(file, resource).string(attribute)? {
        Fact::Known(text) => text,
        Fact::Unknown => return Ok(Some(IamOutcome::Undecided { attribute })),
        Fact::Absent => return Ok(Some(IamOutcome::Pass)),
    };
    // A policy that is not JSON is AWS's problem to reject; it grants nothing here.
    let Ok(document) = serde_json::from_str::<Value>(&policy) else {
        return Ok(Some(IamOutcome::Pass));
    };
    let grants = wildcard_grants(&document);
    Ok(Some(if grants.is_empty() {
        IamOutcome::Pass
    } else {
        IamOutcome::Fail {
            attribute,
            message: format!("the policy {}", grants.join("; ")),
            severity: if tier.is_production() {
                Severity::Error
            } else {
                Severity::Warning
            },
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_wildcard_database_grants() {
        let bad = json!({"Statement": [{"Effect": "Allow", "Action": ["rds-db:connect"], "Resource": "*"}]});
        assert_eq!(wildcard_grants(&bad).len(), 1);
        let bad = json!({"Statement": {"Effect": "Allow", "Action": "rds:*", "Resource": ["*"]}});
        assert_eq!(wildcard_grants(&bad).len(), 1);
        let bad = json!({"Statement": [{"Effect": "Allow", "Action": "rds-db:connect",
            "Resource": "arn:aws:rds-db:eu-west-1:1:dbuser:*/*"}]});
        assert_eq!(wildcard_grants(&bad).len(), 1);
        let good = json!({"Statement": [{"Effect": "Allow", "Action": "rds-db:connect",
            "Resource": "arn:aws:rds-db:eu-west-1:1:dbuser:cluster-ABC/app"}]});
        assert!(wildcard_grants(&good).is_empty());
        let deny = json!({"Statement": [{"Effect": "Deny", "Action": "rds:*", "Resource": "*"}]});
        assert!(wildcard_grants(&deny).is_empty());
        let other = json!({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]});
        assert!(wildcard_grants(&other).is_empty());
    }
}
