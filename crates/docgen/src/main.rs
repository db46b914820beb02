//! `dbrail-docgen`: regenerates (or, with `--check`, verifies) the registry docs under `docs/`
//! and the module README tables. `make docs` runs it; see the library docs for the design.
//!
//! ```text
//! dbrail-docgen [--check] [--provider PATH] [--terraform PATH] [--root DIR]
//! ```
//!
//! `--provider` defaults to `target/debug/terraform-provider-dbrail` under the root, which
//! defaults to the current directory.

use anyhow::{Context, Result, bail};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("dbrail-docgen: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode> {
    let mut check = false;
    let mut root = PathBuf::from(".");
    let mut provider = None;
    let mut terraform = "terraform".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().with_context(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--check" => check = true,
            "--root" => root = PathBuf::from(value("--root")?),
            "--provider" => provider = Some(PathBuf::from(value("--provider")?)),
            "--terraform" => terraform = value("--terraform")?,
            other => bail!(
                "unknown argument {other:?}\nusage: dbrail-docgen [--check] [--provider PATH] [--terraform PATH] [--root DIR]"
            ),
        }
    }
    let provider = provider.unwrap_or_else(|| root.join("target/debug/terraform-provider-dbrail"));
    if !provider.is_file() {
        bail!(
            "no provider binary at {}: build it first (`cargo build --workspace --bins`) or pass --provider",
            provider.display()
        );
    }
    let json = dbrail_docgen::terraform::provider_schema_json(&terraform, &provider)?;
    let schema = dbrail_docgen::ProvidersSchema::from_json(&json)?;
    let files = dbrail_docgen::generate(&root, &schema)?;
    if check {
        let stale = dbrail_docgen::stale(&root, &files)?;
        if stale.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        for path in stale {
            eprintln!("stale: {}", path.display());
        }
        eprintln!("run `make docs` and commit the result");
        return Ok(ExitCode::from(1));
    }
    dbrail_docgen::write(&root, &files)?;
    eprintln!("dbrail-docgen: wrote {} files", files.len());
    Ok(ExitCode::SUCCESS)
}
