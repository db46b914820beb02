//! Policy JSON: rendering the rules crate's statements, and one normal form for comparing.
//!
//! IAM hands documents back reformatted (URL-decoded here by the AWS layer, but with its own
//! key order, single values unwrapped from arrays and so on). Both what dbrail renders and what
//! IAM returns go through [`normalise`], so the second plan after an apply is empty and only a
//! real edit shows as a diff on `policy_json`.

use dbrail_rules::access::PolicyStatement;
use serde_json::{Map, Value, json};

/// IAM's current policy language version.
const VERSION: &str = "2012-10-17";

/// The statements as a policy document, normalised.
pub(crate) fn render(statements: &[PolicyStatement]) -> String {
    let statements: Vec<Value> = statements.iter().map(statement).collect();
    normalise_value(json!({ "Version": VERSION, "Statement": statements }))
}

fn statement(s: &PolicyStatement) -> Value {
    let mut out = Map::new();
    out.insert(
        "Effect".into(),
        Value::String(if s.allow { "Allow" } else { "Deny" }.into()),
    );
    out.insert("Action".into(), json!(s.actions));
    if !s.resources.is_empty() {
        out.insert("Resource".into(), json!(s.resources));
    }
    if !s.principals.is_empty() {
        let mut principals: Map<String, Value> = Map::new();
        for p in &s.principals {
            let (kind, value) = p.split_once(':').unwrap_or(("AWS", p));
            if let Value::Array(items) = principals
                .entry(kind.to_owned())
                .or_insert_with(|| json!([]))
            {
                items.push(Value::String(value.to_owned()));
            }
        }
        out.insert("Principal".into(), Value::Object(principals));
    }
    if !s.conditions.is_empty() {
        let mut operators: Map<String, Value> = Map::new();
        for c in &s.conditions {
            if let Value::Object(keys) = operators
                .entry(c.operator.clone())
                .or_insert_with(|| Value::Object(Map::new()))
            {
                keys.insert(c.key.clone(), json!(c.values));
            }
        }
        out.insert("Condition".into(), Value::Object(operators));
    }
    Value::Object(out)
}

/// A document in normal form, or the text unchanged when it is not JSON.
pub(crate) fn normalise(text: &str) -> String {
    serde_json::from_str::<Value>(text).map_or_else(|_| text.to_owned(), normalise_value)
}

/// Keys sorted, one-element arrays unwrapped, longer arrays sorted, compact.
fn normalise_value(value: Value) -> String {
    canonical(value).to_string()
}

fn canonical(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> =
                map.into_iter().map(|(k, v)| (k, canonical(v))).collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            let mut out = Map::new();
            for (k, v) in entries {
                out.insert(k, v);
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            let mut items: Vec<Value> = items.into_iter().map(canonical).collect();
            if items.len() == 1 {
                return items.remove(0);
            }
            items.sort_by_key(|v| v.to_string());
            Value::Array(items)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dbrail_rules::access::PolicyCondition;

    #[test]
    fn rendering_and_iams_reformatting_normalise_alike() {
        let statements = vec![PolicyStatement::allow(
            &["rds-db:connect"],
            &["arn:b", "arn:a"],
        )];
        let ours = render(&statements);
        let theirs = r#"{"Statement":[{"Resource":["arn:a","arn:b"],"Action":["rds-db:connect"],"Effect":"Allow"}],"Version":"2012-10-17"}"#;
        assert_eq!(normalise(theirs), ours);
        assert_eq!(normalise(&ours), ours);
        let edited = theirs.replace("rds-db:connect", "rds-db:*");
        assert_ne!(normalise(&edited), ours);
    }

    #[test]
    fn principals_and_conditions_render_as_iam_expects() {
        let mut s = PolicyStatement::allow(&["sts:AssumeRole"], &[]);
        s.principals = vec!["AWS:arn:aws:iam::1:role/a".into()];
        s.conditions = vec![PolicyCondition {
            operator: "Bool".into(),
            key: "aws:MultiFactorAuthPresent".into(),
            values: vec!["true".into()],
        }];
        let doc: Value = serde_json::from_str(&render(&[s])).unwrap_or_default();
        assert_eq!(
            doc["Statement"]["Principal"]["AWS"],
            "arn:aws:iam::1:role/a"
        );
        assert_eq!(
            doc["Statement"]["Condition"]["Bool"]["aws:MultiFactorAuthPresent"],
            "true"
        );
        assert!(doc["Statement"].get("Resource").is_none());
    }
}
