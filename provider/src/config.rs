//! The `provider "dbrail" { ... }` block: schema and conversion to AWS settings.
//!
//! Nothing here is needed to point dbrail at an emulator or VPC endpoint: the SDK's standard
//! variables (`AWS_REGION`, `AWS_PROFILE`, `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_RDS`, …) are
//! honoured, and explicit `endpoints` win over them. Static keys are deliberately not accepted
//! in configuration: credentials come from the standard chain so they never sit in `.tf` files.

use dbrail_aws::{AssumeRole, Endpoints, Settings};
use dbrail_tfplugin::diagnostics::{Diagnostic, Diagnostics};
use dbrail_tfplugin::path::AttributePath;
use dbrail_tfplugin::schema::{Attribute, Block, NestedBlock, Nesting, Schema, Validator};
use dbrail_tfplugin::value::Value;
use std::collections::BTreeMap;

/// The services `endpoints` accepts.
pub(crate) const ENDPOINT_SERVICES: [&str; 7] = [
    "rds",
    "iam",
    "sts",
    "backup",
    "secretsmanager",
    "kms",
    "ec2",
];

pub(crate) fn schema() -> Schema {
    let mut endpoints = Block::new(
        "Custom endpoint URLs per AWS service, for VPC endpoints or a local AWS API emulator. \
         When unset, the SDK's `AWS_ENDPOINT_URL_<SERVICE>` and `AWS_ENDPOINT_URL` variables apply.",
    );
    for service in ENDPOINT_SERVICES {
        endpoints = endpoints.attribute(Attribute::string(service).optional().description(
            format!("Endpoint URL for {service}, such as `https://{service}.example.internal`."),
        ));
    }
    Schema::new(
        Block::new(
            "Configures AWS access for dbrail. Credentials come from the standard AWS chain \
             (environment, shared profile, web identity); no secret belongs in configuration.",
        )
        .attribute(Attribute::string("region").optional().description(
            "AWS region, such as `eu-west-1`. Defaults to `AWS_REGION` or the profile's region.",
        ))
        .attribute(Attribute::string("profile").optional().description(
            "Named profile from the shared AWS config and credentials files. Defaults to `AWS_PROFILE`.",
        ))
        .attribute(
            Attribute::number("max_retries")
                .optional()
                .description("How many times each AWS call is retried on throttling or transient errors. Default 4.")
                .validate(Validator::int_between(0, 25)),
        )
        .attribute(Attribute::string_map("default_tags").optional().description(
            "Tags added to every object dbrail creates. A resource's own `tags` win on conflicts.",
        ))
        .block(
            NestedBlock::new(
                "assume_role",
                Nesting::Single,
                Block::new("A role to assume on top of the credentials the chain finds.")
                    .attribute(Attribute::string("role_arn").required().description("ARN of the role to assume."))
                    .attribute(Attribute::string("session_name").optional().description("Session name shown in CloudTrail. Default `dbrail`."))
                    .attribute(Attribute::string("external_id").optional().description("External id the role's trust policy requires.")),
            ),
        )
        .block(NestedBlock::new("endpoints", Nesting::Single, endpoints)),
    )
}

/// Provider configuration in Rust terms.
pub(crate) struct ProviderConfig {
    pub(crate) settings: Settings,
    pub(crate) default_tags: BTreeMap<String, String>,
}

fn string_at(config: &Value, path: &[&str]) -> Result<Option<String>, Diagnostics> {
    let mut value = config;
    for step in path {
        match value.attr(step) {
            Some(v) => value = v,
            None => return Ok(None),
        }
    }
    if value.is_unknown() {
        let mut at = AttributePath::root();
        for step in path {
            at = at.then_attr(*step);
        }
        return Err(Diagnostic::error(
            format!("{} is unknown until apply", path.join(".")),
            "dbrail needs its provider configuration before planning. Set it from a variable or a \
             value known at plan time, not from another resource's attribute.",
        )
        .at(at)
        .into());
    }
    Ok(value.as_str().map(str::to_owned))
}

/// Reads the provider block.
pub(crate) fn read(config: &Value) -> Result<ProviderConfig, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut get = |path: &[&str]| match string_at(config, path) {
        Ok(v) => v,
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    let region = get(&["region"]);
    let profile = get(&["profile"]);
    let assume_role = get(&["assume_role", "role_arn"]).map(|role_arn| AssumeRole {
        role_arn,
        session_name: get(&["assume_role", "session_name"]),
        external_id: get(&["assume_role", "external_id"]),
    });
    let endpoints = Endpoints {
        rds: get(&["endpoints", "rds"]),
        iam: get(&["endpoints", "iam"]),
        sts: get(&["endpoints", "sts"]),
        backup: get(&["endpoints", "backup"]),
        secretsmanager: get(&["endpoints", "secretsmanager"]),
        kms: get(&["endpoints", "kms"]),
        ec2: get(&["endpoints", "ec2"]),
    };
    let max_retries = config
        .attr("max_retries")
        .and_then(Value::as_number)
        .and_then(|n| n.as_u64())
        .and_then(|n| u32::try_from(n).ok());
    let mut default_tags = BTreeMap::new();
    if let Some(tags) = config.attr("default_tags").and_then(Value::as_map) {
        for (key, value) in tags {
            match value.as_str() {
                Some(v) => {
                    default_tags.insert(key.clone(), v.to_owned());
                }
                None if value.is_unknown() => diags.error_at(
                    AttributePath::attr("default_tags").then_key(key.clone()),
                    "default tag value is unknown until apply",
                    "Provider default tags must be known at plan time.",
                ),
                None => {}
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(ProviderConfig {
        settings: Settings {
            region,
            profile,
            assume_role,
            endpoints,
            max_retries,
            ..Settings::default()
        },
        default_tags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(pairs: Vec<(&str, Value)>) -> Value {
        Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    #[test]
    fn reads_settings_from_the_block() {
        let config = obj(vec![
            ("region", Value::String("eu-west-1".into())),
            ("profile", Value::Null),
            ("max_retries", Value::Number(7i64.into())),
            (
                "default_tags",
                Value::Map([("team".to_owned(), Value::String("db".into()))].into()),
            ),
            (
                "assume_role",
                obj(vec![
                    ("role_arn", Value::String("arn:aws:iam::1:role/x".into())),
                    ("session_name", Value::Null),
                    ("external_id", Value::Null),
                ]),
            ),
            (
                "endpoints",
                obj(vec![("rds", Value::String("http://127.0.0.1:5000".into()))]),
            ),
        ]);
        let read = read(&config).unwrap();
        assert_eq!(read.settings.region.as_deref(), Some("eu-west-1"));
        assert_eq!(read.settings.max_retries, Some(7));
        assert_eq!(
            read.settings.endpoints.rds.as_deref(),
            Some("http://127.0.0.1:5000")
        );
        assert_eq!(
            read.settings.assume_role.unwrap().role_arn,
            "arn:aws:iam::1:role/x"
        );
        assert_eq!(read.default_tags["team"], "db");
    }

    #[test]
    fn unknown_region_is_an_error_on_the_attribute() {
        let config = obj(vec![("region", Value::unknown())]);
        let diags = read(&config).err().unwrap();
        let d = diags.iter().next().unwrap();
        assert_eq!(d.attribute, Some(AttributePath::attr("region")));
    }

    #[test]
    fn schema_offers_every_endpoint_service() {
        let schema = schema();
        let endpoints = schema.block.find_block("endpoints").unwrap();
        for service in ENDPOINT_SERVICES {
            assert!(
                endpoints.block.find_attribute(service).is_some(),
                "{service}"
            );
        }
    }
}
