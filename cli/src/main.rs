//! `dbrail`: the command-line entry point.
//!
//! Only argument handling, file reading and exit codes live here (with `anyhow` for the few
//! errors that are not about the input); everything else is the library. Exit codes: 0 compliant
//! (waived and undecided results do not fail), 1 blocking failures (including expired waivers),
//! 2 unreadable input or a usage error.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use dbrail_cli::plan::Plan;
use dbrail_cli::rego::PolicySet;
use dbrail_cli::report::{render_gitlab, render_json, render_junit, render_sarif, render_text};
use dbrail_cli::{CheckOptions, InputError, catalogue, check_parsed, file, waivers};
use dbrail_rules::{Date, Tier};

const USAGE: &str = "\
usage:
  dbrail policy check PLAN.json [--format text|json|sarif|junit|gitlab] [--tier production|staging|development]
                                [--waivers FILE] [--policy-dir DIR] [--today YYYY-MM-DD]
  dbrail policy rules [--format markdown|json]

exit codes: 0 compliant (waived and undecided results are reported, not failing),
            1 blocking failures or expired waivers, 2 unreadable input or usage error";

/// A usage error: exit code 2 with the usage text.
#[derive(Debug)]
struct Usage(String);

enum Command {
    Check {
        plan: String,
        format: String,
        tier: Option<Tier>,
        waivers: Option<String>,
        today: Option<Date>,
        policy_dir: Option<String>,
    },
    Rules {
        format: String,
    },
}

fn parse_tier(text: &str) -> Result<Tier, Usage> {
    match text {
        "production" => Ok(Tier::Production),
        "staging" => Ok(Tier::Staging),
        "development" => Ok(Tier::Development),
        other => Err(Usage(format!(
            "--tier {other:?}: expected production, staging or development"
        ))),
    }
}

fn parse_args(args: &[String]) -> Result<Command, Usage> {
    let (Some("policy"), Some(sub)) = (
        args.first().map(String::as_str),
        args.get(1).map(String::as_str),
    ) else {
        return Err(Usage(
            "expected `policy check` or `policy rules`".to_owned(),
        ));
    };
    let mut positional = Vec::new();
    let mut options = std::collections::BTreeMap::new();
    let mut rest = args[2..].iter();
    while let Some(arg) = rest.next() {
        if let Some(name) = arg.strip_prefix("--") {
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n.to_owned(), v.to_owned()),
                None => (
                    name.to_owned(),
                    rest.next()
                        .cloned()
                        .ok_or_else(|| Usage(format!("--{name} needs a value")))?,
                ),
            };
            options.insert(name, value);
        } else {
            positional.push(arg.clone());
        }
    }
    let allowed: &[&str] = match sub {
        "check" => &["format", "tier", "waivers", "today", "policy-dir"],
        "rules" => &["format"],
        other => return Err(Usage(format!("unknown command `policy {other}`"))),
    };
    if let Some(unknown) = options.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(Usage(format!(
            "unknown option --{unknown} for `policy {sub}`"
        )));
    }
    match sub {
        "check" => {
            let [plan] = positional.as_slice() else {
                return Err(Usage(
                    "`policy check` takes exactly one PLAN.json".to_owned(),
                ));
            };
            let format = options
                .remove("format")
                .unwrap_or_else(|| "text".to_owned());
            if !["text", "json", "sarif", "junit", "gitlab"].contains(&format.as_str()) {
                return Err(Usage(format!(
                    "--format {format:?}: expected text, json, sarif, junit or gitlab"
                )));
            }
            Ok(Command::Check {
                plan: plan.clone(),
                format,
                tier: options.get("tier").map(|t| parse_tier(t)).transpose()?,
                waivers: options.remove("waivers"),
                policy_dir: options.remove("policy-dir"),
                today: options
                    .get("today")
                    .map(|t| t.parse::<Date>())
                    .transpose()
                    .map_err(|e| Usage(format!("--today: {e}")))?,
            })
        }
        _ => {
            if !positional.is_empty() {
                return Err(Usage("`policy rules` takes no arguments".to_owned()));
            }
            let format = options
                .remove("format")
                .unwrap_or_else(|| "markdown".to_owned());
            if !["markdown", "json"].contains(&format.as_str()) {
                return Err(Usage(format!(
                    "--format {format:?}: expected markdown or json"
                )));
            }
            Ok(Command::Rules { format })
        }
    }
}

fn today() -> Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    Date::from_days_since_epoch(i64::try_from(days).unwrap_or(0))
}

/// Runs a parsed command, returning the output and exit code.
fn run(command: Command) -> Result<(String, u8), InputError> {
    match command {
        Command::Rules { format } => Ok((
            if format == "json" {
                catalogue::json()
            } else {
                catalogue::markdown()
            },
            0,
        )),
        Command::Check {
            plan,
            format,
            tier,
            waivers: waivers_file,
            today: given,
            policy_dir,
        } => {
            let mut policies = policy_dir.as_deref().map(PolicySet::load).transpose()?;
            let entries = match &waivers_file {
                Some(path) => {
                    waivers::parse_allowing(path, &file::read(path)?, policies.is_some())?
                }
                None => Vec::new(),
            };
            let options = CheckOptions {
                tier,
                today: given.unwrap_or_else(today),
                waivers: entries,
            };
            let input = file::read(&plan)?;
            let parsed = Plan::parse(&plan, &input)?;
            let report = check_parsed(&plan, &parsed, &options, policies.as_mut())?;
            let output = match format.as_str() {
                "json" => render_json(&report),
                "sarif" => render_sarif(&report),
                "junit" => render_junit(&report),
                "gitlab" => render_gitlab(&report),
                _ => {
                    let colour =
                        std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                    render_text(&report, colour)
                }
            };
            let code = u8::try_from(report.exit_code).unwrap_or(1);
            // The process ends once the output is written; freeing a large plan and its report
            // (tens of thousands of strings and lists) one by one would only delay that.
            std::mem::forget(parsed);
            std::mem::forget(report);
            Ok((output, code))
        }
    }
}

fn main() -> anyhow::Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse_args(&args) {
        Ok(command) => command,
        Err(Usage(message)) => {
            eprintln!("dbrail: {message}\n\n{USAGE}");
            return Ok(ExitCode::from(2));
        }
    };
    match run(command) {
        Ok((output, code)) => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(output.as_bytes())
                .and_then(|()| stdout.flush())
            {
                // A reader that stops early (`| head`) has seen what it wanted; the verdict
                // still stands.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other?,
            }
            Ok(ExitCode::from(code))
        }
        Err(error) => {
            eprintln!("dbrail: {error}");
            Ok(ExitCode::from(2))
        }
    }
}

/// See the workspace manifest: the check allocates many small values per resource.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
