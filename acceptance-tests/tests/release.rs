//! The release, installed the way a user installs it.
//!
//! `.ci/release.py` (what `make release` runs) packages a provider binary; this test packages
//! the binary the other acceptance tests use (a debug build, so nothing is compiled twice: the
//! script takes the binary as input, and the packaging is the same for a release build), then
//! unpacks the packed filesystem mirror and lets a plain `terraform init` install `dbrail/dbrail`
//! from it. Terraform itself checks the hashes: a lock file holding only the `zh:` checksum
//! published in `SHA256SUMS` installs, the same lock file with one digit changed does not, and
//! the lock file terraform completes carries the `h1:` hash the mirror index publishes. An
//! example is then planned against the emulator with the installed provider.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use dbrail_acceptance_tests::{
    Emulator, PROVIDER_PACKAGE, PROVIDER_SOURCE, PROVIDER_VERSION, Workspace, assert_contains,
    cli_config_text, os_arch, provider_binary, step, workspace_root,
};

/// Runs a command to completion and returns its stdout; panics with everything on failure.
fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("could not start {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({:?})\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The SHA-256 of a file, as hex, computed by Python's hashlib (independently of the script).
fn sha256(path: &Path) -> String {
    run(Command::new("python3").args([
        "-c",
        "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())",
        &path.to_string_lossy(),
    ]))
    .trim()
    .to_owned()
}

/// A lock file pinning dbrail to the given hashes.
fn lock_file(hashes: &[&str]) -> String {
    let hashes: String = hashes.iter().map(|h| format!("    \"{h}\",\n")).collect();
    format!(
        "provider \"{PROVIDER_SOURCE}\" {{\n  version     = \"{PROVIDER_VERSION}\"\n  \
         constraints = \"{PROVIDER_VERSION}\"\n  hashes = [\n{hashes}  ]\n}}\n"
    )
}

#[test]
fn packed_mirror_installs_with_verified_hashes_and_plans_an_example() {
    let platform = os_arch().unwrap();
    let dist = tempfile::tempdir().unwrap();
    let prefix = format!("{PROVIDER_PACKAGE}_{PROVIDER_VERSION}");

    step("package the provider with the release script");
    let binary = provider_binary().unwrap();
    run(Command::new("python3")
        .arg(workspace_root().join(".ci/release.py"))
        .arg(PROVIDER_VERSION)
        .arg("--binary")
        .arg(format!("{platform}={}", binary.display()))
        .arg("--out")
        .arg(dist.path())
        .env_remove("GPG_KEY_ID"));

    let zip = dist.path().join(format!("{prefix}_{platform}.zip"));
    let manifest = dist.path().join(format!("{prefix}_manifest.json"));
    let sums = dist.path().join(format!("{prefix}_SHA256SUMS"));
    let mirror_tar = dist.path().join(format!("{prefix}_mirror.tar.gz"));

    step("the archive holds exactly the binary, named as terraform expects");
    let listing = run(Command::new("python3").args([
        "-c",
        "import sys,zipfile; [print(i.filename, oct(i.external_attr >> 16)) for i in zipfile.ZipFile(sys.argv[1]).infolist()]",
        &zip.to_string_lossy(),
    ]));
    assert_eq!(
        listing.trim(),
        format!("{PROVIDER_PACKAGE}_v{PROVIDER_VERSION} 0o100755"),
        "zip contents"
    );

    step("the manifest declares protocol 6 and the checksums cover zip and manifest");
    let manifest_json: serde_json::Value = serde_json::from_str(&read(&manifest)).unwrap();
    assert_eq!(
        manifest_json["metadata"]["protocol_versions"],
        serde_json::json!(["6.0"])
    );
    let zip_sha = sha256(&zip);
    let expected_sums = {
        let mut lines = [
            format!("{zip_sha}  {prefix}_{platform}.zip"),
            format!("{}  {prefix}_manifest.json", sha256(&manifest)),
        ];
        lines.sort_by(|a, b| a[66..].cmp(&b[66..]));
        format!("{}\n", lines.join("\n"))
    };
    assert_eq!(read(&sums), expected_sums);
    assert!(
        !dist
            .path()
            .join(format!("{prefix}_SHA256SUMS.sig"))
            .exists(),
        "no signature without a signing key"
    );

    step("unpack the packed mirror: HOSTNAME/NAMESPACE/TYPE/<zip>");
    let mirror = tempfile::tempdir().unwrap();
    run(Command::new("tar")
        .arg("-xzf")
        .arg(&mirror_tar)
        .arg("-C")
        .arg(mirror.path()));
    let provider_dir: PathBuf = mirror.path().join(PROVIDER_SOURCE);
    assert_eq!(
        sha256(&provider_dir.join(format!("{prefix}_{platform}.zip"))),
        zip_sha
    );
    let version_index: serde_json::Value = serde_json::from_str(&read(
        &provider_dir.join(format!("{PROVIDER_VERSION}.json")),
    ))
    .unwrap();
    let hashes = version_index["archives"][&platform]["hashes"]
        .as_array()
        .unwrap_or_else(|| panic!("no hashes for {platform} in {version_index}"));
    let h1 = hashes
        .iter()
        .filter_map(|h| h.as_str())
        .find(|h| h.starts_with("h1:"))
        .unwrap()
        .to_owned();
    assert!(
        hashes.contains(&serde_json::json!(format!("zh:{zip_sha}"))),
        "{version_index}"
    );
    let index: serde_json::Value =
        serde_json::from_str(&read(&provider_dir.join("index.json"))).unwrap();
    assert_eq!(
        index,
        serde_json::json!({ "versions": { PROVIDER_VERSION: {} } })
    );
    let cli_config = mirror.path().join("terraform.rc");
    std::fs::write(&cli_config, cli_config_text(mirror.path())).unwrap();

    let emulator = Emulator::start().unwrap();
    let example = workspace_root().join("examples/parameter-baseline");

    step("a lock file whose zh: checksum was altered is refused by terraform init");
    let mut tampered = Workspace::from_fixture_dir(&example, &emulator).unwrap();
    tampered.set_env("TF_CLI_CONFIG_FILE", cli_config.to_string_lossy());
    let wrong = format!(
        "zh:{}{}",
        if zip_sha.starts_with('0') { '1' } else { '0' },
        &zip_sha[1..]
    );
    tampered
        .write_file(".terraform.lock.hcl", &lock_file(&[&wrong]))
        .unwrap();
    let refused = tampered
        .run(&["init", "-input=false", "-no-color"])
        .unwrap();
    assert_eq!(refused.code, Some(1), "{}", refused.combined());
    assert_contains(&refused.combined(), "doesn't match any of the checksums");

    step("terraform init installs from the mirror, verified against the published zh: checksum");
    let mut ws = Workspace::from_fixture_dir(&example, &emulator).unwrap();
    ws.set_env("TF_CLI_CONFIG_FILE", cli_config.to_string_lossy());
    let published = format!("zh:{zip_sha}");
    ws.write_file(".terraform.lock.hcl", &lock_file(&[&published]))
        .unwrap();
    let init = ws.init().unwrap();
    assert_contains(
        &init.stdout,
        &format!("Installed dbrail/dbrail v{PROVIDER_VERSION}"),
    );
    let installed = ws
        .dir()
        .join(".terraform/providers")
        .join(PROVIDER_SOURCE)
        .join(PROVIDER_VERSION)
        .join(&platform)
        .join(format!("{PROVIDER_PACKAGE}_v{PROVIDER_VERSION}"));
    assert!(installed.is_file(), "{} is missing", installed.display());
    assert!(
        !installed.is_symlink(),
        "installed from the zip, not linked"
    );

    step("the lock file is complete for this platform: the mirror's h1: and the zh: checksum");
    let lock = ws.read_file(".terraform.lock.hcl").unwrap();
    assert_contains(&lock, &format!("\"{h1}\""));
    assert_contains(&lock, &format!("\"{published}\""));

    step("plan the example against the emulator with the installed provider");
    let plan = ws.plan_detailed().unwrap().expect_changes().unwrap();
    assert_contains(
        &plan.stdout,
        "dbrail_parameter_baseline.orders will be created",
    );
}

/// Runs the release script over a small stand-in binary (the packaging does not look inside it)
/// with `modules` as the modules directory and the given extra environment.
fn package_stand_in(out: &Path, modules: &Path, env: &[(&str, &Path)]) {
    let binary = out.with_extension("bin");
    std::fs::write(&binary, b"#!/bin/sh\necho stand-in\n").unwrap();
    let mut cmd = Command::new("python3");
    cmd.arg(workspace_root().join(".ci/release.py"))
        .arg("1.2.3")
        .arg("--binary")
        .arg(format!("linux_amd64={}", binary.display()))
        .arg("--modules")
        .arg(modules)
        .arg("--out")
        .arg(out)
        .env_remove("GPG_KEY_ID")
        .env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    run(&mut cmd);
}

fn gpg(home: &Path, args: &[&str]) -> String {
    run(Command::new("gpg")
        .env("GNUPGHOME", home)
        .args(["--batch", "--quiet"])
        .args(args))
}

#[test]
fn packaging_is_reproducible_signed_with_a_key_and_archives_modules() {
    let tmp = tempfile::tempdir().unwrap();
    let modules = tmp.path().join("modules");
    let module = modules.join("access");
    std::fs::create_dir_all(module.join(".terraform/providers")).unwrap();
    std::fs::create_dir_all(module.join("examples/basic")).unwrap();
    std::fs::write(module.join("main.tf"), "# module\n").unwrap();
    std::fs::write(module.join("examples/basic/main.tf"), "# example\n").unwrap();
    std::fs::write(module.join(".terraform/providers/junk"), "junk").unwrap();
    std::fs::write(module.join("terraform.tfstate"), "{}").unwrap();
    std::fs::create_dir_all(modules.join("empty")).unwrap();

    step("two runs over the same inputs give byte-identical files; no key, no signature");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    package_stand_in(&a, &modules, &[]);
    package_stand_in(&b, &modules, &[]);
    let mut names: Vec<String> = std::fs::read_dir(&a)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "dbrail-module-access_1.2.3.tgz",
            "terraform-provider-dbrail_1.2.3_SHA256SUMS",
            "terraform-provider-dbrail_1.2.3_linux_amd64.zip",
            "terraform-provider-dbrail_1.2.3_manifest.json",
            "terraform-provider-dbrail_1.2.3_mirror.tar.gz",
        ]
    );
    for name in &names {
        assert_eq!(
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
            "{name} differs between two runs"
        );
    }

    step("a module archive holds the module's files at its root, without local state");
    let listing = run(Command::new("tar")
        .arg("-tzf")
        .arg(a.join("dbrail-module-access_1.2.3.tgz")));
    let mut files: Vec<&str> = listing.lines().filter(|l| !l.ends_with('/')).collect();
    files.sort_unstable();
    assert_eq!(files, ["examples/basic/main.tf", "main.tf"], "{listing}");

    step("with GPG_KEY_ID, SHA256SUMS carries a detached signature the published key verifies");
    let keyring = tmp.path().join("gnupg");
    std::fs::create_dir_all(&keyring).unwrap();
    gpg(
        &keyring,
        &[
            "--passphrase",
            "",
            "--quick-gen-key",
            "dbrail release test <release@dbrail.invalid>",
            "ed25519",
            "sign",
            "1d",
        ],
    );
    let key_id = gpg(&keyring, &["--list-keys", "--with-colons"])
        .lines()
        .find_map(|l| {
            l.strip_prefix("fpr:")
                .map(|r| r.trim_matches(':').to_owned())
        })
        .unwrap();
    let signed = tmp.path().join("signed");
    let key_path = PathBuf::from(&key_id);
    package_stand_in(
        &signed,
        &modules,
        &[("GNUPGHOME", &keyring), ("GPG_KEY_ID", &key_path)],
    );
    let sums = signed.join("terraform-provider-dbrail_1.2.3_SHA256SUMS");
    let sig = signed.join("terraform-provider-dbrail_1.2.3_SHA256SUMS.sig");
    let public = signed.join("terraform-provider-dbrail_1.2.3_signing-key.asc");
    assert!(read(&public).starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
    // A keyring holding only the published public key, as a registry's user has.
    let verifier = tmp.path().join("verifier");
    std::fs::create_dir_all(&verifier).unwrap();
    gpg(&verifier, &["--import", &public.to_string_lossy()]);
    gpg(
        &verifier,
        &["--verify", &sig.to_string_lossy(), &sums.to_string_lossy()],
    );
    step("a changed SHA256SUMS no longer verifies");
    std::fs::write(&sums, format!("{}tampered\n", read(&sums))).unwrap();
    let out = Command::new("gpg")
        .env("GNUPGHOME", &verifier)
        .args(["--batch", "--verify"])
        .arg(&sig)
        .arg(&sums)
        .output()
        .unwrap();
    assert!(!out.status.success(), "a tampered SHA256SUMS verified");
}
