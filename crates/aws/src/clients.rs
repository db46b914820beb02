//! From provider [`Settings`] to verified AWS [`Clients`].
//!
//! Precedence follows the AWS CLI so existing setups behave the same:
//! - **Region:** `region` → `AWS_REGION` / `AWS_DEFAULT_REGION` → shared config for the profile.
//!   Instance metadata is deliberately *not* consulted: a provider that silently picks up the
//!   region of the CI runner it happens to run on is a footgun, and probing IMDS off-EC2 costs
//!   seconds at every plan.
//! - **Credentials:** static `access_key`/`secret_key` → the SDK's default chain (environment,
//!   shared profile incl. `profile`/`AWS_PROFILE`, web identity, SSO, container, instance
//!   metadata), then `assume_role` on top via aws-config's `AssumeRoleProvider`.
//! - **Endpoints:** `endpoints.<service>` → `AWS_ENDPOINT_URL_<SERVICE>` → `AWS_ENDPOINT_URL` →
//!   shared config `endpoint_url` → AWS. The SDK reads the environment natively; explicit
//!   overrides are set on each service config (and on the SDK config handed to the assume-role
//!   provider, marked programmatic so it beats `AWS_ENDPOINT_URL_STS`). Credential sources
//!   inside the default chain (web identity, SSO) use the SDK's own endpoint resolution
//!   (`AWS_ENDPOINT_URL_STS` etc.), not `endpoints.*`.
//!
//! Then `GetCallerIdentity` runs under [`IDENTITY_TIMEOUT`] so misconfiguration is reported now,
//! on the provider block, and never hangs `terraform plan`.

use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::environment::region::EnvironmentVariableRegionProvider;
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::region::ProfileFileRegionProvider;
use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::timeout::TimeoutConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_types::SdkConfig;
use aws_types::origin::Origin;
use aws_types::region::Region;
use aws_types::service_config::ServiceConfigKey;
use tokio_util::sync::CancellationToken;

use crate::classify::error_chain;
use crate::config_error::ConfigError;
use crate::deadline::Deadline;
use crate::http_client::https_client;
use crate::identity::{Identity, ProbeContext, identity_from, probe_error};
use crate::settings::Settings;
use crate::validate::{validate, validate_region};

/// Upper bound for verifying credentials at configure time (base credentials, assume-role and
/// `GetCallerIdentity` together).
pub const IDENTITY_TIMEOUT: Duration = Duration::from_secs(20);
/// TCP/TLS connect timeout for every AWS call.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Bound on one HTTP attempt, so a stalled connection is retried instead of eating the
/// operation's whole deadline.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);
/// Attempts for the identity probe: enough to ride out a blip, few enough to fail fast.
const PROBE_MAX_ATTEMPTS: u32 = 3;
/// Session name for `assume_role` when none is given; shows up in CloudTrail.
const DEFAULT_SESSION_NAME: &str = "dbrail";
/// Provider name recorded on static credentials (visible in SDK debug logs, never the keys).
const STATIC_PROVIDER_NAME: &str = "dbrail-provider-block";

/// Verified AWS clients for one provider configuration. Cheap to clone (handles are
/// reference-counted).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Clients {
    /// Amazon RDS.
    pub rds: aws_sdk_rds::Client,
    /// AWS IAM.
    pub iam: aws_sdk_iam::Client,
    /// AWS Backup.
    pub backup: aws_sdk_backup::Client,
    /// Region in use, e.g. `eu-west-1`.
    pub region: String,
    /// Account id of the caller, e.g. `123456789012`.
    pub account_id: String,
    /// Partition of the caller, e.g. `aws`, `aws-us-gov`, `aws-cn`.
    pub partition: String,
    /// ARN of the verified caller (the assumed-role session when `assume_role` is set).
    pub caller_arn: String,
}

impl Clients {
    /// Assembles clients from parts, for tests that script SDK responses.
    pub fn new(
        rds: aws_sdk_rds::Client,
        iam: aws_sdk_iam::Client,
        backup: aws_sdk_backup::Client,
        region: impl Into<String>,
        account_id: impl Into<String>,
        partition: impl Into<String>,
    ) -> Self {
        Self {
            rds,
            iam,
            backup,
            region: region.into(),
            account_id: account_id.into(),
            partition: partition.into(),
            caller_arn: String::new(),
        }
    }

    /// Sets the caller ARN (empty after [`Clients::new`]).
    pub fn with_caller_arn(mut self, caller_arn: impl Into<String>) -> Self {
        self.caller_arn = caller_arn.into();
        self
    }
}

/// Builds and verifies AWS clients from provider settings.
///
/// Never hangs: the network part is bounded by [`IDENTITY_TIMEOUT`] and `cancel` aborts it.
pub async fn connect(
    settings: &Settings,
    cancel: &CancellationToken,
) -> Result<Clients, ConfigError> {
    validate(settings)?;
    tokio::select! {
        biased;
        () = cancel.cancelled() => Err(ConfigError::Cancelled),
        result = connect_unchecked(settings) => result,
    }
}

async fn connect_unchecked(settings: &Settings) -> Result<Clients, ConfigError> {
    let region = resolve_region(settings).await?;
    let http = https_client();
    let base = load_base_config(settings, &region, &http).await;
    let deadline = Deadline::from_timeout(IDENTITY_TIMEOUT);
    let sts_endpoint = endpoint_in_use(&base, settings.endpoints.sts.as_deref(), "STS");
    let mut ctx = ProbeContext {
        credentials_attribute: credentials_attribute(settings),
        assume_role_arn: None,
        sts_attribute: settings.endpoints.sts.as_ref().map(|_| "endpoints.sts"),
        sts_endpoint,
    };

    let sdk = match &settings.assume_role {
        None => base,
        Some(role) => {
            // Verify the base identity first so a failure is attributed to the right block.
            verify_base_credentials(&base, settings, deadline, &ctx).await?;
            ctx.assume_role_arn = Some(role.role_arn.clone());
            let mut builder = AssumeRoleProvider::builder(role.role_arn.trim())
                .session_name(role.session_name.as_deref().unwrap_or(DEFAULT_SESSION_NAME))
                .configure(&with_endpoint(&base, settings.endpoints.sts.as_deref()));
            if let Some(external_id) = &role.external_id {
                builder = builder.external_id(external_id);
            }
            let provider = builder.build().await;
            base.into_builder()
                .credentials_provider(SharedCredentialsProvider::new(provider))
                .build()
        }
    };

    let identity = probe_identity(&sdk, settings, deadline, &ctx).await?;
    tracing::info!(
        region = %region,
        account_id = %identity.account_id,
        partition = %identity.partition,
        "AWS identity verified"
    );

    let mut rds = aws_sdk_rds::config::Builder::from(&sdk).http_client(http.clone());
    if let Some(url) = &settings.endpoints.rds {
        rds = rds.endpoint_url(url);
    }
    let mut iam = aws_sdk_iam::config::Builder::from(&sdk).http_client(http.clone());
    if let Some(url) = &settings.endpoints.iam {
        iam = iam.endpoint_url(url);
    }
    let mut backup = aws_sdk_backup::config::Builder::from(&sdk).http_client(http);
    if let Some(url) = &settings.endpoints.backup {
        backup = backup.endpoint_url(url);
    }
    Ok(Clients {
        rds: aws_sdk_rds::Client::from_conf(rds.build()),
        iam: aws_sdk_iam::Client::from_conf(iam.build()),
        backup: aws_sdk_backup::Client::from_conf(backup.build()),
        region,
        account_id: identity.account_id,
        partition: identity.partition,
        caller_arn: identity.caller_arn,
    })
}

/// `region`, else environment, else the shared config for the selected profile.
async fn resolve_region(settings: &Settings) -> Result<String, ConfigError> {
    if let Some(region) = &settings.region {
        return Ok(region.clone());
    }
    let mut profile = ProfileFileRegionProvider::builder();
    if let Some(name) = &settings.profile {
        profile = profile.profile_name(name);
    }
    let found = RegionProviderChain::first_try(EnvironmentVariableRegionProvider::new())
        .or_else(profile.build())
        .region()
        .await;
    pick_region(found.as_ref().map(Region::as_ref))
}

/// The region found outside the provider block, validated.
fn pick_region(found: Option<&str>) -> Result<String, ConfigError> {
    let region = found
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .ok_or(ConfigError::MissingRegion)?;
    validate_region(region)?;
    Ok(region.to_owned())
}

async fn load_base_config(settings: &Settings, region: &str, http: &SharedHttpClient) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http.clone())
        .region(Region::new(region.to_owned()))
        .retry_config(RetryConfig::standard().with_max_attempts(settings.max_attempts()))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .build(),
        );
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile.trim());
    }
    if let Some(creds) = &settings.credentials {
        loader = loader.credentials_provider(Credentials::new(
            creds.access_key_id.trim(),
            creds.secret_access_key.expose(),
            creds.session_token.as_ref().map(|t| t.expose().to_owned()),
            None,
            STATIC_PROVIDER_NAME,
        ));
    }
    loader.load().await
}

/// Which provider attribute supplied the base identity.
fn credentials_attribute(settings: &Settings) -> Option<&'static str> {
    if settings.credentials.is_some() {
        Some("access_key")
    } else if settings.profile.is_some() {
        Some("profile")
    } else {
        None
    }
}

/// The SDK config with `endpoint` as a programmatic override (beats `AWS_ENDPOINT_URL_*`).
fn with_endpoint(sdk: &SdkConfig, endpoint: Option<&str>) -> SdkConfig {
    match endpoint {
        None => sdk.clone(),
        Some(url) => {
            let mut builder = sdk.to_builder();
            builder.set_endpoint_url(Some(url.to_owned()));
            builder.insert_origin("endpoint_url", Origin::shared_config());
            builder.build()
        }
    }
}

/// The endpoint URL a service will use when it is not AWS's default, for error messages.
fn endpoint_in_use(sdk: &SdkConfig, explicit: Option<&str>, service_id: &str) -> Option<String> {
    if let Some(url) = explicit {
        return Some(url.to_owned());
    }
    let from_service_config = ServiceConfigKey::builder()
        .service_id(service_id)
        .env("AWS_ENDPOINT_URL")
        .profile("endpoint_url")
        .build()
        .ok()
        .and_then(|key| sdk.service_config().and_then(|c| c.load_config(key)));
    from_service_config.or_else(|| sdk.endpoint_url().map(str::to_owned))
}

async fn verify_base_credentials(
    sdk: &SdkConfig,
    settings: &Settings,
    deadline: Deadline,
    ctx: &ProbeContext,
) -> Result<(), ConfigError> {
    if settings.credentials.is_some() {
        return Ok(());
    }
    let Some(provider) = sdk.credentials_provider() else {
        return Err(ConfigError::Credentials {
            attribute: ctx.credentials_attribute,
            detail: "no credential provider is configured".into(),
        });
    };
    match tokio::time::timeout_at(deadline.instant(), provider.provide_credentials()).await {
        Err(_elapsed) => Err(ConfigError::Timeout {
            attribute: ctx.credentials_attribute,
            after: IDENTITY_TIMEOUT,
        }),
        Ok(Err(err)) => Err(ConfigError::Credentials {
            attribute: ctx.credentials_attribute,
            detail: error_chain(&err),
        }),
        Ok(Ok(_credentials)) => Ok(()),
    }
}

async fn probe_identity(
    sdk: &SdkConfig,
    settings: &Settings,
    deadline: Deadline,
    ctx: &ProbeContext,
) -> Result<Identity, ConfigError> {
    let mut conf = aws_sdk_sts::config::Builder::from(sdk)
        .retry_config(RetryConfig::standard().with_max_attempts(PROBE_MAX_ATTEMPTS))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT.min(IDENTITY_TIMEOUT / 2))
                .operation_timeout(IDENTITY_TIMEOUT)
                .build(),
        );
    if let Some(url) = &settings.endpoints.sts {
        conf = conf.endpoint_url(url);
    }
    let sts = aws_sdk_sts::Client::from_conf(conf.build());
    let out = tokio::time::timeout_at(deadline.instant(), sts.get_caller_identity().send())
        .await
        .map_err(|_elapsed| ConfigError::Timeout {
            attribute: ctx.sts_attribute,
            after: IDENTITY_TIMEOUT,
        })?
        .map_err(|err| probe_error(err, ctx))?;
    identity_from(out.account(), out.arn())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::settings::{Endpoints, Secret, StaticCredentials};

    #[test]
    fn missing_region_names_the_attribute_and_the_fix() {
        let e = pick_region(None).unwrap_err();
        assert_eq!(e, ConfigError::MissingRegion);
        assert_eq!(e.attribute(), Some("region"));
        assert!(e.hint().contains("AWS_REGION"));
        assert_eq!(
            pick_region(Some("  ")).unwrap_err(),
            ConfigError::MissingRegion
        );
        assert_eq!(pick_region(Some("eu-west-1")).unwrap(), "eu-west-1");
        assert_eq!(
            pick_region(Some("Mars 1")).unwrap_err().attribute(),
            Some("region")
        );
    }

    #[test]
    fn credentials_attribute_prefers_static_then_profile() {
        let mut s = Settings::default();
        assert_eq!(credentials_attribute(&s), None);
        s.profile = Some("ci".into());
        assert_eq!(credentials_attribute(&s), Some("profile"));
        s.credentials = Some(StaticCredentials {
            access_key_id: "a".into(),
            secret_access_key: Secret::new("b"),
            session_token: None,
        });
        assert_eq!(credentials_attribute(&s), Some("access_key"));
    }

    #[tokio::test]
    async fn invalid_endpoint_fails_before_any_network_call() {
        let settings = Settings {
            region: Some("us-east-1".into()),
            endpoints: Endpoints {
                rds: Some("localhost:5000".into()),
                ..Endpoints::default()
            },
            ..Settings::default()
        };
        let e = connect(&settings, &CancellationToken::new())
            .await
            .unwrap_err();
        assert_eq!(e.attribute(), Some("endpoints.rds"));
    }

    #[tokio::test]
    async fn cancelled_before_start_returns_cancelled() {
        let cancel = CancellationToken::new();
        cancel.cancel();
        let settings = Settings {
            region: Some("us-east-1".into()),
            credentials: Some(StaticCredentials {
                access_key_id: "testing".into(),
                secret_access_key: Secret::new("testing"),
                session_token: None,
            }),
            endpoints: Endpoints {
                sts: Some("http://127.0.0.1:9".into()),
                ..Endpoints::default()
            },
            ..Settings::default()
        };
        assert_eq!(
            connect(&settings, &cancel).await.unwrap_err(),
            ConfigError::Cancelled
        );
    }

    #[test]
    fn explicit_endpoint_is_marked_programmatic() {
        let sdk = SdkConfig::builder().build();
        let conf = with_endpoint(&sdk, Some("http://127.0.0.1:1"));
        assert_eq!(conf.endpoint_url(), Some("http://127.0.0.1:1"));
        assert!(conf.get_origin("endpoint_url").is_client_config());
        assert_eq!(
            endpoint_in_use(&sdk, Some("http://x:1"), "STS").as_deref(),
            Some("http://x:1")
        );
    }
}
