//! No secret reaches state, plans or logs: a cluster is created (its master password generated
//! and held by Secrets Manager in the emulator), and then everything Terraform and the provider
//! wrote is searched for that password and for the credentials the provider ran with.
//!
//! Searched: the state file, `terraform show -json` of a create and of an update plan, the text
//! of every command (plan, apply, show, output), and the `TF_LOG=trace` log, which carries the
//! provider's own trace output as well as Terraform's. The credentials are made up per run (the
//! emulator accepts any), so a match can only be a leak, never a coincidence; the password is
//! read from the emulator's Secrets Manager and must be non-trivial, so the search cannot pass
//! for want of something to search for.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};

use dbrail_acceptance_tests::{Emulator, Workspace, config_header, step};

/// `length` characters from `alphabet`, different in every run.
fn random_text(alphabet: &[u8], length: usize) -> String {
    let state = std::collections::hash_map::RandomState::new();
    (0..length)
        .map(|i| {
            let mut hasher = state.build_hasher();
            hasher.write_usize(i);
            let index = usize::try_from(hasher.finish() % alphabet.len() as u64).unwrap();
            char::from(alphabet[index])
        })
        .collect()
}

const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A value that must never be written anywhere, and what it is (for the failure message).
struct Needle {
    what: &'static str,
    value: String,
}

/// Every occurrence of a needle in the files: `file: what`.
fn scan(files: &[PathBuf], needles: &[Needle]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let text = String::from_utf8_lossy(&bytes);
        for needle in needles {
            if text.contains(&needle.value) {
                found.push(format!("{}: {}", file.display(), needle.what));
            }
        }
    }
    found
}

/// Every file under `dir`, recursively (provider binaries and plugin caches aside).
fn files_under(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == ".terraform") {
            continue;
        }
        if path.is_dir() {
            files_under(&path, into);
        } else {
            into.push(path);
        }
    }
}

fn config(subnets: &[String], kms_key: &str, team: &str) -> String {
    let header = config_header();
    let subnets = subnets
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        r#"{header}resource "dbrail_parameter_baseline" "pg" {{
  name   = "secrets-pg16"
  family = "aurora-postgresql16"
}}

resource "dbrail_cluster" "db" {{
  name                = "secrets"
  engine              = "aurora-postgresql"
  engine_version      = "16"
  tier                = "production"
  instance_class      = "db.r6g.large"
  readers             = 2
  subnet_ids          = [{subnets}]
  kms_key_id          = "{kms_key}"
  monitoring_role_arn = "arn:aws:iam::123456789012:role/rds-monitoring"
  parameter_baseline  = dbrail_parameter_baseline.pg
  tags = {{
    team = "{team}"
  }}
}}

output "secret_arn" {{
  value = dbrail_cluster.db.master_user_secret_arn
}}
"#
    )
}

#[test]
fn no_secret_or_credential_reaches_state_plans_or_logs() {
    let emulator = Emulator::start().expect("emulator");
    let subnets: Vec<String> = emulator
        .default_subnets()
        .expect("subnets")
        .into_iter()
        .map(|(id, _)| id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .take(3)
        .collect();
    let kms_key = emulator.create_kms_key().expect("kms key");

    let access_key = format!("AKIA{}", random_text(UPPER_DIGITS, 16));
    let secret_key = random_text(BASE64, 40);
    let session_token = random_text(BASE64, 96);
    let mut ws = Workspace::new(
        &[("main.tf", &config(&subnets, &kms_key, "payments"))],
        &emulator,
    )
    .expect("workspace");
    let trace_log = ws.logs_dir().join("trace.log");
    ws.set_env("AWS_ACCESS_KEY_ID", access_key.clone());
    ws.set_env("AWS_SECRET_ACCESS_KEY", secret_key.clone());
    ws.set_env("AWS_SESSION_TOKEN", session_token.clone());
    ws.set_env("TF_LOG", "trace");
    ws.set_env("TF_LOG_PATH", trace_log.to_string_lossy().into_owned());

    step("create the cluster from a saved plan");
    ws.init().unwrap();
    ws.run_ok(&["plan", "-input=false", "-no-color", "-out=create.tfplan"])
        .unwrap();
    let create_plan = ws
        .run_ok(&["show", "-json", "-no-color", "create.tfplan"])
        .unwrap();
    ws.write_file("create-plan.json", &create_plan.stdout)
        .unwrap();
    ws.run_ok(&["apply", "-input=false", "-no-color", "create.tfplan"])
        .unwrap();

    step("read the master password from the emulator's Secrets Manager");
    let outputs = ws.output_json().unwrap();
    let secret_arn = outputs["secret_arn"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("no master_user_secret_arn: {outputs:#}"))
        .to_owned();
    assert!(
        secret_arn.starts_with("arn:aws:secretsmanager:"),
        "{secret_arn}"
    );
    let secret_string = emulator.secret_string(&secret_arn).unwrap();
    let secret: serde_json::Value = serde_json::from_str(&secret_string)
        .unwrap_or_else(|e| panic!("the secret is not JSON ({e}): {secret_string}"));
    let password = secret["password"].as_str().unwrap_or_default().to_owned();
    assert!(
        password.chars().count() >= 8 && password.chars().collect::<BTreeSet<_>>().len() >= 4,
        "the master password must be something worth searching for: {secret_string}"
    );

    step("plan an update (saved and shown as JSON), show state and outputs");
    ws.write_file("main.tf", &config(&subnets, &kms_key, "payments-db"))
        .unwrap();
    ws.run_ok(&["plan", "-input=false", "-no-color", "-out=update.tfplan"])
        .unwrap();
    let update_plan = ws
        .run_ok(&["show", "-json", "-no-color", "update.tfplan"])
        .unwrap();
    assert!(
        update_plan.stdout.contains("payments-db"),
        "the update plan shows the change"
    );
    ws.write_file("update-plan.json", &update_plan.stdout)
        .unwrap();
    ws.run_ok(&["show", "-no-color"]).unwrap();
    ws.run_ok(&["output", "-no-color"]).unwrap();

    step("search everything written for the password and the credentials");
    let mut files = Vec::new();
    files_under(ws.dir(), &mut files);
    files_under(ws.logs_dir(), &mut files);
    let state = ws.dir().join("terraform.tfstate");
    assert!(files.contains(&state), "no state file among {files:?}");
    let log = std::fs::read_to_string(&trace_log).expect("the TF_LOG=trace log");
    assert!(
        log.contains("terraform-provider-dbrail") && log.contains("ApplyResourceChange"),
        "the trace log must include the provider's calls ({} bytes)",
        log.len()
    );
    let needles = [
        Needle {
            what: "the master password",
            value: password,
        },
        Needle {
            what: "the master secret's SecretString",
            value: secret_string,
        },
        Needle {
            what: "AWS_ACCESS_KEY_ID",
            value: access_key,
        },
        Needle {
            what: "AWS_SECRET_ACCESS_KEY",
            value: secret_key,
        },
        Needle {
            what: "AWS_SESSION_TOKEN",
            value: session_token,
        },
    ];
    let leaks = scan(&files, &needles);
    assert!(
        leaks.is_empty(),
        "secrets written to disk (searched {} files):\n{}",
        files.len(),
        leaks.join("\n")
    );
}

#[test]
fn the_scan_finds_a_planted_secret() {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.log");
    let leaky = dir.path().join("leaky.log");
    std::fs::write(&clean, "nothing to see").unwrap();
    std::fs::write(&leaky, "header\nAuthorization: AKIAEXAMPLE1234\n").unwrap();
    let needles = [Needle {
        what: "AWS_ACCESS_KEY_ID",
        value: "AKIAEXAMPLE1234".into(),
    }];
    let found = scan(&[clean, leaky.clone()], &needles);
    assert_eq!(found, [format!("{}: AWS_ACCESS_KEY_ID", leaky.display())]);
    let a = random_text(BASE64, 40);
    assert_eq!(a.len(), 40);
    assert_ne!(a, random_text(BASE64, 40), "credentials differ per run");
}
