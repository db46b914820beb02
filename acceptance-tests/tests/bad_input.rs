//! The bad-input corpus (`acceptance-tests/corpus/*.tf`), each case through the real
//! `terraform plan` with the real provider, against one emulator.
//!
//! A user's first contact with a guardrail is a plan that fails; what it says, and where it
//! points, is the product. So every case states the diagnostic it expects (rule id or message)
//! and the attribute Terraform must underline, and no case may panic the provider, hang, or
//! fail with something else. Adding a case is adding a file: see `corpus/README.md`.
//!
//! The corpus shares one emulator and one provider mirror (nothing is applied, so the cases
//! cannot disturb each other) and runs its workspaces on a few threads at once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use dbrail_acceptance_tests::{
    Emulator, HarnessError, PROVIDER_SHORT_SOURCE, PROVIDER_VERSION, ProviderMirror, Workspace,
    contains_normalized, workspace_root,
};

/// What terraform or the provider print when something broke inside rather than refused input.
const CRASH_MARKERS: &[&str] = &[
    "panicked",
    "RUST_BACKTRACE",
    "internal error",
    "The plugin encountered an error",
    "Plugin did not respond",
    "plugin exited",
];
/// Per-command limit: a validation plan takes about a second; a hang is killed and fails.
const CASE_TIMEOUT: Duration = Duration::from_secs(60);
/// Cases run at once (each is a terraform and a provider process, mostly waiting on each other).
const WORKERS: usize = 4;
/// Catalogue rules no configuration of today's resources can violate, with the reason. Every
/// other rule in `docs/rules.md` must have a case.
const NOT_VIOLABLE: &[(&str, &str)] = &[
    (
        "G2",
        "the provider manages no snapshots: G2 is judged by `dbrail policy check` on \
         aws_db_cluster_snapshot and aws_db_snapshot",
    ),
    ("G3", "dbrail_cluster never makes an instance public"),
    (
        "G5",
        "dbrail_cluster always enables IAM database authentication",
    ),
    (
        "G14",
        "dbrail_cluster always copies tags to snapshots; the provider has no required tags",
    ),
    (
        "G18",
        "dbrail_cluster always has Secrets Manager manage the master password",
    ),
    (
        "DB-ACCESS-LEAST-PRIVILEGE",
        "dbrail_access_role writes its one policy itself; extra policies exist only in AWS (drift)",
    ),
];

#[derive(Debug, PartialEq)]
enum Outcome {
    /// The plan fails (exit 1) with the expected error.
    Error,
    /// The plan succeeds and warns.
    Warning,
}

/// Where the diagnostic must point: a resource (or the provider block) and, when the offending
/// attribute is written in the file, that attribute's source line.
#[derive(Debug, PartialEq)]
struct Location {
    /// `in resource "dbrail_cluster" "x":` or `in provider "dbrail":`.
    context: String,
    attribute: Option<String>,
}

#[derive(Debug)]
struct Case {
    name: String,
    text: String,
    expect: Vec<String>,
    at: Location,
    outcome: Outcome,
}

/// Reads the header comments of a case: `# expect: …` (one or more), `# at: …`, optionally
/// `# outcome: error|warning`. Any other `# key:` line is a mistake, not a comment.
fn parse_case(name: &str, text: &str) -> Result<Case, String> {
    let mut expect = Vec::new();
    let mut at = None;
    let mut outcome = Outcome::Error;
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        let Some((key, value)) = line.trim_start_matches('#').trim().split_once(": ") else {
            continue;
        };
        let value = value.trim();
        match key {
            "expect" if !value.is_empty() => expect.push(value.to_owned()),
            "at" => at = Some(parse_location(value)?),
            "outcome" => {
                outcome = match value {
                    "error" => Outcome::Error,
                    "warning" => Outcome::Warning,
                    other => return Err(format!("{name}: outcome {other:?} is not error|warning")),
                }
            }
            k if k.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !k.contains(' ') => {
                return Err(format!("{name}: unknown header key {key:?}"));
            }
            _ => {}
        }
    }
    if expect.is_empty() {
        return Err(format!("{name}: no `# expect:` line"));
    }
    let at = at.ok_or_else(|| format!("{name}: no `# at:` line"))?;
    Ok(Case {
        name: name.to_owned(),
        text: text.to_owned(),
        expect,
        at,
        outcome,
    })
}

/// `dbrail_cluster.x readers`, `dbrail_cluster.x` or `provider max_retries`.
fn parse_location(value: &str) -> Result<Location, String> {
    let mut words = value.split_whitespace();
    let target = words.next().ok_or("empty `# at:`")?;
    let attribute = words.next().map(str::to_owned);
    let context = if target == "provider" {
        "in provider \"dbrail\":".to_owned()
    } else {
        let (kind, name) = target
            .split_once('.')
            .ok_or_else(|| format!("`# at: {value}` names no resource address"))?;
        format!("in resource \"{kind}\" \"{name}\":")
    };
    Ok(Location { context, attribute })
}

/// The corpus, sorted by file name.
fn load_corpus(dir: &Path) -> Vec<Case> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "tf"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(path).unwrap();
            parse_case(&name, &text).unwrap_or_else(|e| panic!("{e}"))
        })
        .collect()
}

/// Terraform's diagnostics in `output`, one string each (framing removed, lines kept).
fn diagnostics(output: &str) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    for line in output.lines() {
        let line = line.trim_start_matches(['╷', '│', '╵']);
        let trimmed = line.trim_start();
        if trimmed.starts_with("Error: ") || trimmed.starts_with("Warning: ") {
            blocks.push(String::new());
        }
        if let Some(block) = blocks.last_mut() {
            block.push_str(line);
            block.push('\n');
        }
    }
    blocks
}

/// True when `block` quotes a source line that starts with `attribute`, as Terraform does when a
/// diagnostic's path resolves to that attribute (`  12:   readers = 0`).
fn quotes_attribute(block: &str, attribute: &str) -> bool {
    block.lines().any(|line| {
        let Some((number, source)) = line.trim().split_once(':') else {
            return false;
        };
        let source = source.trim_start();
        !number.is_empty()
            && number.chars().all(|c| c.is_ascii_digit())
            && source.starts_with(attribute)
            && !source[attribute.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
    })
}

/// Everything wrong with what terraform said for `case` (empty when it is right).
fn judge(case: &Case, code: Option<i32>, output: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for marker in CRASH_MARKERS {
        if output.contains(marker) {
            problems.push(format!("output contains crash marker {marker:?}"));
        }
    }
    let (want_code, kind) = match case.outcome {
        Outcome::Error => (Some(1), "Error: "),
        Outcome::Warning => (Some(0), "Warning: "),
    };
    if code != want_code {
        problems.push(format!("exit code {code:?}, expected {want_code:?}"));
    }
    let blocks = diagnostics(output);
    let matching: Vec<&String> = blocks
        .iter()
        .filter(|b| b.trim_start().starts_with(kind))
        .filter(|b| case.expect.iter().all(|e| contains_normalized(b, e)))
        .collect();
    if matching.is_empty() {
        problems.push(format!(
            "no {kind}diagnostic contains all of {:?}",
            case.expect
        ));
    } else if !matching.iter().any(|b| located(b, &case.at)) {
        problems.push(format!(
            "the diagnostic does not point at {:?}{}",
            case.at.context,
            case.at
                .attribute
                .as_ref()
                .map(|a| format!(" line `{a} …`"))
                .unwrap_or_default()
        ));
    }
    problems
}

fn located(block: &str, at: &Location) -> bool {
    block.contains(&at.context)
        && at
            .attribute
            .as_ref()
            .is_none_or(|attribute| quotes_attribute(block, attribute))
}

/// Runs one case in a fresh workspace; returns its problems and how long it took.
fn run_case(
    case: &Case,
    emulator: &Emulator,
    mirror: &Arc<ProviderMirror>,
) -> Result<(Vec<String>, Duration), HarnessError> {
    let versions = format!(
        "terraform {{\n  required_providers {{\n    dbrail = {{\n      source  = \"{PROVIDER_SHORT_SOURCE}\"\n      version = \"{PROVIDER_VERSION}\"\n    }}\n  }}\n}}\n"
    );
    let mut ws = Workspace::with_mirror(
        &[("versions.tf", &versions), ("main.tf", &case.text)],
        emulator,
        Arc::clone(mirror),
    )?;
    ws.set_timeout(CASE_TIMEOUT);
    ws.init()?;
    let started = Instant::now();
    let out = ws.run(&["plan", "-input=false", "-no-color", "-lock=false"])?;
    Ok((judge(case, out.code, &out.combined()), started.elapsed()))
}

#[test]
fn every_case_of_the_corpus_is_refused_with_its_diagnostic_at_its_attribute() {
    let corpus = load_corpus(&workspace_root().join("acceptance-tests/corpus"));
    assert!(corpus.len() >= 40, "only {} cases", corpus.len());
    let emulator = Emulator::start().expect("emulator");
    let mirror = Arc::new(ProviderMirror::dbrail().expect("provider mirror"));

    let next = Mutex::new(corpus.iter());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| {
                loop {
                    let Some(case) = next.lock().unwrap().next() else {
                        break;
                    };
                    let failure = match run_case(case, &emulator, &mirror) {
                        Ok((problems, _)) if problems.is_empty() => continue,
                        Ok((problems, took)) => {
                            format!("{} ({took:?}):\n  - {}", case.name, problems.join("\n  - "))
                        }
                        // A timeout (a hang, killed) or a command that could not run.
                        Err(err) => format!("{}: {err}", case.name),
                    };
                    failures.lock().unwrap().push(failure);
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} corpus cases failed:\n{}",
        failures.len(),
        corpus.len(),
        failures.join("\n\n")
    );
}

/// Rule ids in the generated catalogue (`docs/rules.md`), in table order.
fn catalogue_ids() -> Vec<String> {
    let rules = std::fs::read_to_string(workspace_root().join("docs/rules.md")).unwrap();
    rules
        .lines()
        .filter_map(|l| {
            l.strip_prefix("| [")?
                .split_once(']')
                .map(|(id, _)| id.to_owned())
        })
        .collect()
}

#[test]
fn every_violable_rule_of_the_catalogue_has_a_case() {
    let corpus = load_corpus(&workspace_root().join("acceptance-tests/corpus"));
    let ids = catalogue_ids();
    assert!(ids.len() >= 10, "catalogue not found: {ids:?}");
    let missing: Vec<&String> = ids
        .iter()
        .filter(|id| !NOT_VIOLABLE.iter().any(|(n, _)| n == id))
        .filter(|id| {
            !corpus.iter().any(|c| {
                c.expect
                    .iter()
                    .any(|e| e.trim_matches(['[', ']']) == id.as_str())
            })
        })
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a corpus case (add a file to acceptance-tests/corpus/): {missing:?}"
    );
    for (id, _) in NOT_VIOLABLE {
        assert!(
            ids.contains(&(*id).to_owned()),
            "{id} is no longer in the catalogue"
        );
    }
}

#[test]
fn headers_are_parsed_strictly() {
    let case = parse_case(
        "x",
        "# G12.\n# expect: [G12]\n# at: dbrail_cluster.x readers\n# outcome: warning\nresource {}\n",
    )
    .unwrap();
    assert_eq!(case.expect, ["[G12]"]);
    assert_eq!(
        case.at,
        Location {
            context: "in resource \"dbrail_cluster\" \"x\":".into(),
            attribute: Some("readers".into()),
        }
    );
    assert_eq!(case.outcome, Outcome::Warning);
    assert!(
        parse_case("x", "# at: provider region\n").is_err(),
        "no expect"
    );
    assert!(parse_case("x", "# expect: a\n").is_err(), "no at");
    assert!(parse_case("x", "# expect: a\n# at: x.y\n# expcet: b\n").is_err());
    assert!(parse_case("x", "# expect: a\n# at: nowhere\n").is_err());
}

#[test]
fn judging_finds_the_diagnostic_its_attribute_and_crashes() {
    let case = parse_case("x", "# expect: [G12]\n# at: dbrail_cluster.x readers\n").unwrap();
    let good = "╷\n│ Error: [G12] Multi-AZ\n│\n│   with dbrail_cluster.x,\n│   on main.tf line 15, in resource \"dbrail_cluster\" \"x\":\n│   15:   readers             = 0\n│\n│ readers = 0\n╵\n";
    assert!(
        judge(&case, Some(1), good).is_empty(),
        "{:?}",
        judge(&case, Some(1), good)
    );
    let elsewhere = good.replace("readers             = 0", "readers_x = 0");
    assert_eq!(judge(&case, Some(1), &elsewhere).len(), 1);
    assert_eq!(judge(&case, Some(0), good).len(), 1, "wrong exit code");
    let crashed = format!("{good}\nthread 'main' panicked at src/x.rs");
    assert_eq!(judge(&case, Some(1), &crashed).len(), 1);
    assert_eq!(judge(&case, Some(1), "Error: [G13] x\n").len(), 1);
}
