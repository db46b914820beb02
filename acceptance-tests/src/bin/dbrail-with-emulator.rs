//! `dbrail-with-emulator -- COMMAND [ARGS...]`: runs one command against a fresh AWS API
//! emulator, then stops the emulator.
//!
//! Why: the pipeline's `policy` job plans the examples. Without an AWS account (a merge request
//! from a fork, gitlab-ci-local on a laptop, `make test`) those plans run against the same
//! emulator the acceptance tests use, started by the same harness code (port picked by the
//! kernel, dbrail's emulator extensions loaded, always stopped afterwards), rather than by a
//! shell script that would have to re-learn all of that.
//!
//! The command inherits this process's environment plus what points AWS clients at the
//! emulator (`AWS_ENDPOINT_URL`, `AWS_REGION`, dummy credentials, no instance metadata) and the
//! emulator-made inputs that examples declare as variables: `TF_VAR_subnet_ids` (its default
//! subnets, one per availability zone, up to three) and `TF_VAR_kms_key_id` (a key it creates).
//! Terraform ignores `TF_VAR_` values for variables a configuration does not declare. Any
//! `AWS_PROFILE` or session token is removed, so the command cannot reach a real account.
//!
//! The exit code is the command's own.

use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use dbrail_acceptance_tests::{ACCESS_KEY_ID, Emulator, REGION, SECRET_ACCESS_KEY};

/// Variables that could point the command at a real AWS account; removed.
const REMOVED: &[&str] = &[
    "AWS_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
];

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dbrail-with-emulator: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode> {
    let mut args = std::env::args_os().skip(1).peekable();
    if args.peek().is_some_and(|a| a == "--") {
        args.next();
    }
    let Some(program) = args.next() else {
        bail!("usage: dbrail-with-emulator -- COMMAND [ARGS...]");
    };
    let emulator = Emulator::start().context("starting the AWS API emulator")?;
    let subnets: Vec<String> = emulator
        .default_subnets()
        .context("listing the emulator's default subnets")?
        .into_iter()
        .take(3)
        .map(|(id, _)| serde_json::Value::String(id).to_string())
        .collect();
    let kms_key = emulator
        .create_kms_key()
        .context("creating a KMS key in the emulator")?;
    eprintln!("dbrail-with-emulator: emulator at {}", emulator.endpoint());

    let mut cmd = Command::new(&program);
    cmd.args(args);
    for name in REMOVED {
        cmd.env_remove(name);
    }
    cmd.env("AWS_ENDPOINT_URL", emulator.endpoint())
        .env("AWS_REGION", REGION)
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("TF_VAR_subnet_ids", format!("[{}]", subnets.join(",")))
        .env("TF_VAR_kms_key_id", kms_key);
    let status = cmd
        .status()
        .with_context(|| format!("running {}", program.to_string_lossy()))?;
    drop(emulator);
    Ok(match status.code() {
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    })
}
