//! Pieces every resource shares: AWS identifier rules and which tags are the user's.

use dbrail_tfplugin::schema::Validator;
use std::collections::BTreeMap;

/// RDS identifiers (clusters, parameter groups): lower-case letters, digits and hyphens,
/// starting with a letter, no trailing or double hyphen. AWS lower-cases names itself, so
/// upper case would show as a diff on every plan; it is refused up front instead.
pub(crate) fn identifier_validator(what: &'static str) -> Validator {
    Validator::new(
        "Lower-case letters, digits and hyphens; starts with a letter; no trailing or double hyphen.",
        move |value| {
            let name = value.as_str().unwrap_or_default();
            let ok = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !name.ends_with('-')
                && !name.contains("--");
            if ok {
                Ok(())
            } else {
                Err(format!("{name:?} is not a valid {what}"))
            }
        },
    )
}

/// User tags: AWS's limits (key 1–128 characters, value ≤ 256, no `aws:` prefix) and dbrail's
/// reserved `dbrail:` prefix, which carries the provider's own records (tier, waivers, override
/// reasons). A user tag there would be hidden on read and come back as a spurious diff, so it is
/// refused before any plan.
pub(crate) fn tags_validator() -> Validator {
    Validator::new(
        "Keys 1–128 characters, values at most 256; keys must not start with `aws:` or `dbrail:` (reserved).",
        |value| {
            let Some(map) = value.as_map() else {
                return Ok(());
            };
            for (key, v) in map {
                let lower = key.to_ascii_lowercase();
                if lower.starts_with("dbrail:") {
                    return Err(format!(
                        "tag key {key:?} uses the reserved prefix `dbrail:`, where dbrail keeps its own records; choose another key"
                    ));
                }
                if lower.starts_with("aws:") {
                    return Err(format!(
                        "tag key {key:?} uses the prefix `aws:`, which AWS reserves"
                    ));
                }
                let len = key.chars().count();
                if !(1..=128).contains(&len) {
                    return Err(format!(
                        "tag key {key:?} is {len} characters long; AWS allows 1 to 128"
                    ));
                }
                if let Some(text) = v.as_str() {
                    let vlen = text.chars().count();
                    if vlen > 256 {
                        return Err(format!(
                            "the value of tag {key:?} is {vlen} characters long; AWS allows at most 256"
                        ));
                    }
                }
            }
            Ok(())
        },
    )
}

/// True for an AWS account id: twelve digits.
fn is_account(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// Splits `arn:<partition>:<service>:<region>:<account>:<resource>`; `None` unless it has that
/// shape with an `aws*` partition.
fn arn_parts(text: &str) -> Option<(&str, &str, &str, &str)> {
    let mut parts = text.splitn(6, ':');
    let (Some("arn"), Some(partition), Some(service), Some(region), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    partition
        .starts_with("aws")
        .then_some((service, region, account, resource))
}

/// A KMS key reference as RDS accepts it: key ARN, alias ARN, key id or alias name. A typo here
/// would otherwise surface only at apply, after minutes of waiting, as an AWS error.
pub(crate) fn kms_key_validator() -> Validator {
    Validator::new(
        "A KMS key ARN (`arn:aws:kms:<region>:<account>:key/<id>`), alias ARN, key id or `alias/<name>`.",
        |value| {
            let key = value.as_str().unwrap_or_default();
            let id_chars =
                |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            let ok = match arn_parts(key) {
                Some(("kms", region, account, resource)) => {
                    !region.is_empty()
                        && is_account(account)
                        && (resource.strip_prefix("key/").is_some_and(id_chars)
                            || resource
                                .strip_prefix("alias/")
                                .is_some_and(|a| !a.is_empty()))
                }
                Some(_) => false,
                None if key.starts_with("arn:") => false,
                None => key
                    .strip_prefix("alias/")
                    .map_or_else(|| id_chars(key), |a| !a.is_empty()),
            };
            if ok {
                Ok(())
            } else {
                Err(format!("{key:?} is not a KMS key reference"))
            }
        },
    )
}

/// An IAM role ARN: `arn:aws:iam::<account>:role/<path/name>`.
pub(crate) fn role_arn_validator() -> Validator {
    Validator::new(
        "An IAM role ARN, `arn:aws:iam::<account>:role/<name>`.",
        |value| {
            let arn = value.as_str().unwrap_or_default();
            let ok = matches!(
                arn_parts(arn),
                Some(("iam", "", account, resource))
                    if is_account(account)
                        && resource.strip_prefix("role/").is_some_and(|n| !n.is_empty())
            );
            if ok {
                Ok(())
            } else {
                Err(format!("{arn:?} is not an IAM role ARN"))
            }
        },
    )
}

/// An RDS instance class: `db.<family>.<size>`, such as `db.r6g.large`, or Aurora Serverless
/// v2's `db.serverless`.
pub(crate) fn instance_class_validator() -> Validator {
    Validator::new(
        "An instance class such as `db.r6g.large` or `db.serverless`.",
        |value| {
            let class = value.as_str().unwrap_or_default();
            let part_ok = |p: &str| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            };
            let parts: Vec<&str> = class.split('.').collect();
            let ok = class == "db.serverless"
                || (parts.len() == 3 && parts[0] == "db" && parts[1..].iter().all(|p| part_ok(p)));
            if ok {
                Ok(())
            } else {
                Err(format!("{class:?} is not an instance class"))
            }
        },
    )
}

/// The user's tags among all tags on an AWS object: not dbrail's own (`dbrail:*`), and not
/// provider defaults unless the resource set the same key itself.
pub(crate) fn user_tags(
    all: &BTreeMap<String, String>,
    defaults: &BTreeMap<String, String>,
    own: Option<&BTreeMap<String, String>>,
) -> BTreeMap<String, String> {
    all.iter()
        .filter(|(k, _)| !k.starts_with("dbrail:"))
        .filter(|(k, v)| own.is_some_and(|o| o.contains_key(*k)) || defaults.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use dbrail_tfplugin::value::Value;

    #[test]
    fn identifiers_follow_rds_rules() {
        let v = identifier_validator("cluster identifier");
        for ok in ["orders", "orders-pg16", "a1"] {
            assert!(v.check(&Value::String(ok.into())).is_ok(), "{ok}");
        }
        for bad in ["Orders", "1orders", "orders-", "orders--pg", "or_ders", ""] {
            let err = v.check(&Value::String(bad.into()));
            assert!(err.is_err(), "{bad}");
        }
    }

    fn accepts(v: &Validator, text: &str) -> bool {
        v.check(&Value::String(text.into())).is_ok()
    }

    #[test]
    fn kms_key_references_in_every_form_rds_accepts() {
        let v = kms_key_validator();
        for ok in [
            "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-1234abcd",
            "arn:aws:kms:eu-west-1:123456789012:alias/orders",
            "1234abcd-12ab-34cd-56ef-1234567890ab",
            "alias/orders",
            "alias/aws/rds",
        ] {
            assert!(accepts(&v, ok), "{ok}");
        }
        for bad in [
            "arn:aws:kms:key",
            "arn:aws:kms:us-east-1:1234:key/abc",
            "arn:aws:iam::123456789012:role/x",
            "arn:aws:kms:us-east-1:123456789012:key/",
            "alias/",
            "not a key",
            "",
        ] {
            assert!(!accepts(&v, bad), "{bad}");
        }
    }

    #[test]
    fn role_arns_name_an_iam_role() {
        let v = role_arn_validator();
        assert!(accepts(&v, "arn:aws:iam::123456789012:role/rds-monitoring"));
        assert!(accepts(
            &v,
            "arn:aws:iam::123456789012:role/service/rds-monitoring"
        ));
        for bad in [
            "arn:aws:iam::123456789012:user/ops",
            "arn:aws:iam:us-east-1:123456789012:role/x",
            "arn:aws:iam::12345:role/x",
            "arn:aws:iam::123456789012:role/",
            "rds-monitoring",
            "",
        ] {
            assert!(!accepts(&v, bad), "{bad}");
        }
    }

    #[test]
    fn instance_classes_have_three_parts() {
        let v = instance_class_validator();
        for ok in [
            "db.r6g.large",
            "db.serverless",
            "db.t4g.medium",
            "db.x2g.16xlarge",
        ] {
            assert!(accepts(&v, ok), "{ok}");
        }
        for bad in [
            "",
            "r6g.large",
            "db.r6g",
            "db..large",
            "db.R6G.large",
            "db.r6g.large.x",
        ] {
            assert!(!accepts(&v, bad), "{bad}");
        }
    }

    #[test]
    fn tags_refuse_reserved_prefixes_and_aws_limits() {
        let v = tags_validator();
        let map = |k: &str, val: &str| {
            Value::Map(std::collections::BTreeMap::from([(
                k.to_owned(),
                Value::String(val.into()),
            )]))
        };
        assert!(v.check(&map("team", "payments")).is_ok());
        let err = v.check(&map("dbrail:tier", "x")).unwrap_err();
        assert!(err.contains("reserved prefix `dbrail:`"), "{err}");
        assert!(v.check(&map("AWS:foo", "x")).is_err());
        assert!(v.check(&map(&"k".repeat(129), "x")).is_err());
        assert!(v.check(&map("k", &"v".repeat(257))).is_err());
    }

    #[test]
    fn user_tags_hide_dbrail_tags_and_untouched_defaults() {
        let all = BTreeMap::from([
            ("dbrail:override:x".to_owned(), "r".to_owned()),
            ("team".to_owned(), "payments".to_owned()),
            ("env".to_owned(), "prod".to_owned()),
            ("cost".to_owned(), "own".to_owned()),
        ]);
        let defaults = BTreeMap::from([
            ("env".to_owned(), "prod".to_owned()),
            ("cost".to_owned(), "default".to_owned()),
        ]);
        let tags = user_tags(&all, &defaults, None);
        assert_eq!(tags.keys().collect::<Vec<_>>(), ["cost", "team"]);
        let own = BTreeMap::from([("env".to_owned(), "prod".to_owned())]);
        assert!(user_tags(&all, &defaults, Some(&own)).contains_key("env"));
    }
}
