//! The emulator per test (the acceptance-test harness's, so the same moto extensions apply),
//! on a free loopback port, stopped on drop. moto is required: without it these tests fail with
//! the install command rather than silently passing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use std::net::TcpListener;

use dbrail_acceptance_tests::Emulator;
use dbrail_aws::{Endpoints, Secret, Settings, StaticCredentials};

/// A running emulator (moto with dbrail's extensions, from the acceptance-test harness).
pub struct Moto {
    emulator: Emulator,
    /// `http://127.0.0.1:PORT`
    pub endpoint: String,
}

impl Moto {
    /// Starts the emulator; a missing moto fails with the install command.
    pub fn start() -> Self {
        let emulator = Emulator::start().unwrap_or_else(|e| panic!("{e}"));
        let endpoint = emulator.endpoint();
        Self { emulator, endpoint }
    }

    /// Settings pointing every service at this server, with moto's dummy credentials.
    pub fn settings(&self) -> Settings {
        settings_for(&self.endpoint)
    }
}

/// Settings with every endpoint at `endpoint` and static test credentials.
pub fn settings_for(endpoint: &str) -> Settings {
    let url = Some(endpoint.to_owned());
    Settings {
        region: Some("us-east-1".into()),
        profile: None,
        credentials: Some(StaticCredentials {
            access_key_id: "testing".into(),
            secret_access_key: Secret::new("testing"),
            session_token: None,
        }),
        assume_role: None,
        endpoints: Endpoints {
            rds: url.clone(),
            iam: url.clone(),
            sts: url.clone(),
            backup: url.clone(),
            secretsmanager: url.clone(),
            kms: url.clone(),
            ec2: url,
        },
        max_retries: Some(2),
    }
}

/// A loopback port nothing listens on (bound then released).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local addr").port()
}
