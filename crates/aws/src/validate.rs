//! Offline checks of [`Settings`], before any network call.
//!
//! A typo in an endpoint URL or an empty role ARN is reported on the exact attribute instead of
//! surfacing later as a confusing DNS or STS error.

use crate::config_error::ConfigError;
use crate::settings::Settings;

/// Checks everything that can be checked without AWS.
pub(crate) fn validate(settings: &Settings) -> Result<(), ConfigError> {
    if let Some(region) = &settings.region {
        validate_region(region)?;
    }
    if settings
        .profile
        .as_deref()
        .is_some_and(|p| p.trim().is_empty())
    {
        return Err(invalid("profile", "must not be empty"));
    }
    for (attribute, url) in settings.endpoints.entries() {
        if let Some(url) = url {
            validate_endpoint(attribute, url)?;
        }
    }
    if let Some(creds) = &settings.credentials {
        if creds.access_key_id.trim().is_empty() {
            return Err(invalid("access_key", "must not be empty"));
        }
        if creds.secret_access_key.expose().is_empty() {
            return Err(invalid("secret_key", "must not be empty"));
        }
    }
    if let Some(role) = &settings.assume_role {
        let arn = role.role_arn.trim();
        if arn.is_empty() {
            return Err(invalid("assume_role.role_arn", "must not be empty"));
        }
        if !arn.starts_with("arn:") || arn.split(':').count() < 6 {
            return Err(invalid(
                "assume_role.role_arn",
                "must be a role ARN like arn:aws:iam::123456789012:role/name",
            ));
        }
        if let Some(name) = &role.session_name {
            let valid_chars = name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
            if !(2..=64).contains(&name.len()) || !valid_chars {
                return Err(invalid(
                    "assume_role.session_name",
                    "must be 2-64 characters of letters, digits and _+=,.@-",
                ));
            }
        }
        if role.external_id.as_deref().is_some_and(str::is_empty) {
            return Err(invalid("assume_role.external_id", "must not be empty"));
        }
    }
    Ok(())
}

/// A region name: lowercase letters, digits and dashes, like `eu-west-1`.
pub(crate) fn validate_region(region: &str) -> Result<(), ConfigError> {
    let ok = !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !region.starts_with('-')
        && !region.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "region",
            &format!("{region:?} is not a region name like eu-west-1"),
        ))
    }
}

/// An endpoint override: an absolute http(s) URL with a host and no query or fragment.
pub(crate) fn validate_endpoint(attribute: &'static str, url: &str) -> Result<(), ConfigError> {
    let fail = |reason: &str| ConfigError::InvalidEndpoint {
        attribute,
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    if url.trim() != url {
        return Err(fail("must not have leading or trailing whitespace"));
    }
    let uri: http::Uri = url
        .parse()
        .map_err(|e: http::uri::InvalidUri| fail(&e.to_string()))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        Some(other) => return Err(fail(&format!("scheme must be http or https, not {other}"))),
        None => return Err(fail("missing scheme: start with https:// or http://")),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(fail("missing host"));
    }
    if uri.query().is_some() || url.contains('#') {
        return Err(fail("must not contain a query string or fragment"));
    }
    Ok(())
}

fn invalid(attribute: &'static str, reason: &str) -> ConfigError {
    ConfigError::InvalidSetting {
        attribute,
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::settings::{AssumeRole, Secret, StaticCredentials};

    #[test]
    fn endpoints_must_be_absolute_http_urls() {
        for ok in [
            "http://127.0.0.1:5000",
            "https://rds.eu-west-1.amazonaws.com",
            "https://vpce-123.rds.eu-west-1.vpce.amazonaws.com/",
            "http://localhost:4566/path",
        ] {
            assert_eq!(validate_endpoint("endpoints.rds", ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "localhost:5000",
            "127.0.0.1",
            "ftp://example.com",
            "http://",
            "http://exa mple.com",
            " http://example.com",
            "http://example.com?x=1",
        ] {
            let e = validate_endpoint("endpoints.rds", bad).unwrap_err();
            assert_eq!(e.attribute(), Some("endpoints.rds"), "{bad}");
        }
    }

    #[test]
    fn validate_names_the_first_bad_attribute() {
        let mut s = Settings::default();
        assert_eq!(validate(&s), Ok(()));
        s.endpoints.kms = Some("kms.local".into());
        assert_eq!(validate(&s).unwrap_err().attribute(), Some("endpoints.kms"));
        s.endpoints.kms = None;
        s.region = Some("EU West 1".into());
        assert_eq!(validate(&s).unwrap_err().attribute(), Some("region"));
        s.region = Some("eu-west-1".into());
        s.assume_role = Some(AssumeRole {
            role_arn: "my-role".into(),
            ..AssumeRole::default()
        });
        assert_eq!(
            validate(&s).unwrap_err().attribute(),
            Some("assume_role.role_arn")
        );
        s.assume_role = Some(AssumeRole {
            role_arn: "arn:aws:iam::123456789012:role/deployer".into(),
            session_name: Some("has space".into()),
            external_id: None,
        });
        assert_eq!(
            validate(&s).unwrap_err().attribute(),
            Some("assume_role.session_name")
        );
        s.assume_role = None;
        s.credentials = Some(StaticCredentials {
            access_key_id: "AKID".into(),
            secret_access_key: Secret::new(""),
            session_token: None,
        });
        let e = validate(&s).unwrap_err();
        assert_eq!(e.attribute(), Some("secret_key"));
        s.credentials = None;
        s.profile = Some(" ".into());
        assert_eq!(validate(&s).unwrap_err().attribute(), Some("profile"));
    }
}
