//! IAM policy documents as rules subjects.
//!
//! `rds-db:connect` on `Resource: "*"` lets the holder log in as any IAM-enabled user of every
//! cluster in the account; `rds:*` on `*` lets it change or delete any of them. The check itself
//! is the shared rule DB-IAM-WILDCARD (the provider runs it on `dbrail_access_role`); this module
//! only reads the documents of IAM resources into typed statements for it: the policy of
//! `aws_iam_policy` and the per-principal policy resources, the JSON of an
//! `aws_iam_policy_document`, and each `inline_policy` block of an `aws_iam_role`.

use dbrail_rules::access::{IamPolicySubject, PolicyCondition, PolicyStatement};
use dbrail_rules::{AttrPath, Fact, Subject};
use serde_json::Value;

use crate::error::InputError;
use crate::plan::Resource;
use crate::subjects::{Target, attrs};
use crate::vocabulary::Vocabulary;

/// The attribute holding the policy document of an IAM resource type, if it has one.
fn document_attribute(kind: &str) -> Option<&'static str> {
    match kind {
        "aws_iam_policy_document" => Some("json"),
        "aws_iam_policy"
        | "aws_iam_role_policy"
        | "aws_iam_user_policy"
        | "aws_iam_group_policy" => Some("policy"),
        _ => None,
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

fn principals(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Object(map)) => map
            .iter()
            .flat_map(|(kind, v)| {
                strings(Some(v))
                    .into_iter()
                    .map(move |p| format!("{kind}:{p}"))
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn conditions(value: Option<&Value>) -> Vec<PolicyCondition> {
    let Some(Value::Object(operators)) = value else {
        return Vec::new();
    };
    operators
        .iter()
        .flat_map(|(operator, keys)| {
            keys.as_object()
                .into_iter()
                .flatten()
                .map(move |(key, values)| PolicyCondition {
                    operator: operator.clone(),
                    key: key.clone(),
                    values: match values {
                        Value::Bool(b) => vec![b.to_string()],
                        other => strings(Some(other)),
                    },
                })
        })
        .collect()
}

/// The statements of a policy document (one statement or a list of them).
pub fn statements(document: &Value) -> Vec<PolicyStatement> {
    let items = match document.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single @ Value::Object(_)) => vec![single],
        _ => Vec::new(),
    };
    items
        .into_iter()
        .map(|s| PolicyStatement {
            allow: s.get("Effect").and_then(Value::as_str) == Some("Allow"),
            actions: strings(s.get("Action")),
            resources: strings(s.get("Resource")),
            principals: principals(s.get("Principal")),
            conditions: conditions(s.get("Condition")),
        })
        .collect()
}

/// The statements of a policy document held as a JSON string.
fn document(text: Fact<String>) -> Fact<Vec<PolicyStatement>> {
    match text {
        // A policy that is not JSON is AWS's problem to reject; it grants nothing here.
        Fact::Known(text) => Fact::Known(
            serde_json::from_str::<Value>(&text)
                .map(|doc| statements(&doc))
                .unwrap_or_default(),
        ),
        Fact::Unknown => Fact::Unknown,
        Fact::Absent => Fact::Absent,
    }
}

fn policy_target(resource: &Resource, path: AttrPath, text: Fact<String>) -> Target {
    let subject = IamPolicySubject::new(path, document(text));
    Target::new(resource, Subject::IamPolicy(subject), Vocabulary::Dbrail)
}

/// The policy documents of an IAM resource as subjects: one per document (an `aws_iam_role`
/// has one per `inline_policy` block, judged apart so that an inline policy unknown until apply
/// does not hide a known one's grant); none for other resource types.
pub fn targets(file: &str, resource: &Resource) -> Result<Vec<Target>, InputError> {
    let a = attrs(file, resource);
    if resource.kind == "aws_iam_role" {
        return match a.blocks("inline_policy")? {
            Fact::Known(blocks) => blocks
                .iter()
                .enumerate()
                .map(|(i, block)| {
                    let path = AttrPath::attribute("inline_policy").index(i).attr("policy");
                    Ok(policy_target(resource, path, block.string("policy")?))
                })
                .collect(),
            Fact::Unknown => Ok(vec![policy_target(
                resource,
                AttrPath::attribute("inline_policy"),
                Fact::Unknown,
            )]),
            Fact::Absent => Ok(Vec::new()),
        };
    }
    let Some(attribute) = document_attribute(&resource.kind) else {
        return Ok(Vec::new());
    };
    Ok(vec![policy_target(
        resource,
        AttrPath::attribute(attribute),
        a.string(attribute)?,
    )])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_statements_principals_and_conditions() {
        let doc = json!({"Statement": [{
            "Effect": "Allow", "Action": "sts:AssumeRole",
            "Principal": {"AWS": ["arn:aws:iam::1:role/a"], "Service": "ec2.amazonaws.com"},
            "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
        }, {"Effect": "Deny", "Action": ["rds:*"], "Resource": "*"}]});
        let got = statements(&doc);
        assert_eq!(got.len(), 2);
        assert!(got[0].allow && !got[1].allow);
        assert_eq!(
            got[0].principals,
            ["AWS:arn:aws:iam::1:role/a", "Service:ec2.amazonaws.com"]
        );
        assert!(got[0].requires_true("aws:MultiFactorAuthPresent"));
        assert_eq!(got[1].resources, ["*"]);
        let single =
            json!({"Statement": {"Effect": "Allow", "Action": "rds:*", "Resource": ["*"]}});
        assert_eq!(statements(&single)[0].actions, ["rds:*"]);
    }
}
