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
