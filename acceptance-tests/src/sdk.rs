//! What the harness's AWS views ([`crate::EmulatorRds`], [`crate::EmulatorIam`],
//! [`crate::EmulatorBackup`]) share: one way to reach an emulator with the SDK (a current-thread
//! runtime, the rustls/ring HTTPS client the provider uses too, the harness's region and dummy
//! credentials, short timeouts so a dead emulator fails a test instead of hanging it) and one
//! way to turn an SDK error into a [`HarnessError`] that names the call and AWS's error code.

use std::time::Duration;

use aws_sdk_rds::config::Credentials;
use aws_sdk_rds::config::timeout::TimeoutConfig;
use aws_sdk_rds::error::{DisplayErrorContext, ProvideErrorMetadata};

use crate::HarnessError;
use crate::terraform::{ACCESS_KEY_ID, SECRET_ACCESS_KEY};

/// An SDK client of service crate `$sdk` (e.g. `aws_sdk_iam`) for the emulator at `$endpoint`.
/// A macro because each service crate has its own `Config` builder type, with the same methods.
macro_rules! emulator_client {
    ($sdk:ident, $endpoint:expr) => {
        $sdk::Client::from_conf(
            $sdk::Config::builder()
                .behavior_version($sdk::config::BehaviorVersion::latest())
                .region($sdk::config::Region::new($crate::terraform::REGION))
                .endpoint_url($endpoint)
                .credentials_provider($crate::sdk::credentials())
                .http_client(
                    aws_smithy_http_client::Builder::new()
                        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
                        ))
                        .build_https(),
                )
                .timeout_config($crate::sdk::timeouts())
                .build(),
        )
    };
}
pub(crate) use emulator_client;

/// The runtime a view blocks on for its SDK calls.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, HarnessError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| HarnessError::io("starting a runtime for the AWS client", e))
}

/// The harness's dummy credentials (the emulator accepts any).
pub(crate) fn credentials() -> Credentials {
    Credentials::new(
        ACCESS_KEY_ID,
        SECRET_ACCESS_KEY,
        None,
        None,
        "dbrail-acceptance-tests",
    )
}

/// Connect within 5 s, finish a call within 60 s.
pub(crate) fn timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(5))
        .operation_timeout(Duration::from_secs(60))
        .build()
}

/// An SDK error as a harness error: the operation, AWS's error code and the error's context.
pub(crate) fn aws_error<E>(operation: String, error: &E) -> HarnessError
where
    E: std::error::Error + ProvideErrorMetadata,
{
    let code = error.code().unwrap_or("no error code");
    HarnessError::Aws {
        operation,
        detail: format!("[{code}] {}", DisplayErrorContext(error)),
    }
}
