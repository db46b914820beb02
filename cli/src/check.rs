//! `policy check`: plan in, report out.
//!
//! Reads the document once, builds the subjects, and evaluates each with the shared catalogue in
//! its tier (the command's `--tier`, else the tier a `dbrail_cluster` declares, else production:
//! the strictest reading) with the waivers that cover its address. Expired or reasonless
//! waivers come back from the rules as failures and are reported at the waiver.

use std::borrow::Cow;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use dbrail_rules::{AttrPath, Date, Outcome, PathStep, Rule, Tier, Waiver};
use rustc_hash::FxHashMap as HashMap;

use crate::beside;
use crate::error::InputError;
use crate::plan::{Plan, Resource};
use crate::rego::{self, CustomFinding, PolicySet};
use crate::report::{Entry, Report, ResourceReport, Status, WaiverRef};
use crate::subjects::{self, Target};
use crate::waivers::WaiverEntry;

/// How to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The tier for every resource; `None` lets a `dbrail_cluster`'s own `tier` decide.
    pub tier: Option<Tier>,
    /// The date waivers are judged against.
    pub today: Date,
    /// The waivers file's entries.
    pub waivers: Vec<WaiverEntry>,
}

/// Checks a `terraform show -json` document. `file` names it in messages.
pub fn check_plan(file: &str, input: &[u8], options: &CheckOptions) -> Result<Report, InputError> {
    check_plan_with_policies(file, input, options, None)
}

/// [`check_plan`] plus custom Rego rules.
pub fn check_plan_with_policies(
    file: &str,
    input: &[u8],
    options: &CheckOptions,
    policies: Option<&mut PolicySet>,
) -> Result<Report, InputError> {
    let plan = Plan::parse(file, input)?;
    check_parsed(file, &plan, options, policies)
}

/// [`check_plan_with_policies`] for a document already read. The plan stays the caller's: a
/// command that exits once it has written the report need not free a large plan piece by
/// piece first.
pub fn check_parsed(
    file: &str,
    plan: &Plan<'_>,
    options: &CheckOptions,
    policies: Option<&mut PolicySet>,
) -> Result<Report, InputError> {
    let index = subjects::Index::new(file, plan)?;
    let judged = match policies {
        Some(policies) => judge(&index, &plan.resources, options, Some(policies))?,
        None => judge_on_two_threads(&index, &plan.resources, options)?,
    };
    let kind = if plan.is_plan { "plan" } else { "state" };
    Ok(report(file, kind, options, judged))
}

/// The report of judged subjects, those under one address joined.
fn report(
    file: &str,
    kind: &'static str,
    options: &CheckOptions,
    judged: Vec<ResourceReport>,
) -> Report {
    let mut resources: Vec<ResourceReport> = Vec::with_capacity(judged.len());
    let mut positions: HashMap<String, usize> = HashMap::default();
    for report in judged {
        // A baseline yields two subjects (its two groups) under one address.
        match positions.get(&report.address) {
            Some(&at) => resources[at].results.extend(report.results),
            None => {
                positions.insert(report.address.clone(), resources.len());
                resources.push(report);
            }
        }
    }
    Report::new(file, kind, options.today, resources)
}

/// From this many resources on, a plan is judged on two threads. The subjects only read the
/// plan and its index, and a thread costs far less than judging a few hundred resources.
const TWO_THREADS_FROM: usize = 256;

/// The resources a thread takes at a time when two judge a plan.
const CHUNK: usize = 32;

/// [`judge`] without custom rules, on two threads when the plan is large. Each thread takes
/// the next chunk of resources until none is left, so neither waits on the other when some
/// resources cost more to judge (clusters more than instances) or when one thread is
/// descheduled. The reports come back in plan order, and the first error in plan order wins,
/// as when judged on one thread.
fn judge_on_two_threads(
    index: &subjects::Index<'_>,
    resources: &[Resource<'_>],
    options: &CheckOptions,
) -> Result<Vec<ResourceReport>, InputError> {
    if resources.len() < TWO_THREADS_FROM {
        return judge(index, resources, options, None);
    }
    let chunks: Vec<&[Resource<'_>]> = resources.chunks(CHUNK).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let at = next.fetch_add(1, Ordering::Relaxed);
            let Some(chunk) = chunks.get(at) else {
                return done;
            };
            done.push((at, judge(index, chunk, options, None)));
        }
    };
    let mut done = std::thread::scope(|scope| {
        let helper = beside::spawn(scope, work);
        // Without a second thread, this one takes every chunk.
        let mut done = work();
        if let Some(handle) = helper {
            done.extend(beside::join(handle));
        }
        done
    });
    // Chunks were taken in plan order; put them back in it.
    done.sort_unstable_by_key(|(at, _)| *at);
    let mut reports = Vec::with_capacity(resources.len());
    for (_, judged) in done {
        reports.extend(judged?);
    }
    Ok(reports)
}

/// The report of each subject of `resources`, in order (a baseline's two subjects separately).
fn judge(
    index: &subjects::Index<'_>,
    resources: &[Resource<'_>],
    options: &CheckOptions,
    mut policies: Option<&mut PolicySet>,
) -> Result<Vec<ResourceReport>, InputError> {
    let mut reports = Vec::with_capacity(resources.len());
    for resource in resources {
        resource.values.preload();
        resource.unknown.preload();
        for target in index.targets(resource)? {
            let tier = options.tier.or(target.tier).unwrap_or(Tier::Production);
            let mut results = evaluate(&target, tier, options);
            if let Some(policies) = policies.as_deref_mut() {
                let findings = policies.evaluate(&rego::input(&target, tier))?;
                results.extend(
                    findings
                        .into_iter()
                        .map(|f| custom_entry(&target, f, options)),
                );
            }
            // The target is done with: its strings move into the report.
            reports.push(ResourceReport {
                address: target.address,
                kind: target.kind,
                module: target.module,
                instances: target.instances,
                tier,
                results,
            });
        }
    }
    Ok(reports)
}

/// Where each waiver handed to the rules came from.
struct Applied<'a> {
    waivers: Vec<Waiver>,
    origins: Vec<(&'static str, usize, &'a str)>,
}

fn applicable<'a>(target: &'a Target, options: &'a CheckOptions) -> Applied<'a> {
    let mut applied = Applied {
        waivers: Vec::new(),
        origins: Vec::new(),
    };
    for (index, waiver) in target.own_waivers.iter().enumerate() {
        applied.waivers.push(waiver.clone());
        applied.origins.push(("resource", index, ""));
    }
    for (index, entry) in options.waivers.iter().enumerate() {
        if entry.covers(&target.address) {
            applied.waivers.push(entry.waiver());
            applied.origins.push(("file", index, entry.owner.as_str()));
        }
    }
    applied
}

fn waiver_ref(applied: &Applied<'_>, position: usize) -> Option<WaiverRef> {
    let waiver = applied.waivers.get(position)?;
    let (source, index, owner) = *applied.origins.get(position)?;
    Some(WaiverRef {
        source,
        index,
        reason: waiver.reason.clone(),
        owner: owner.to_owned(),
        expires: waiver.expires,
    })
}

/// `waivers[i]...` as the waiver's own location: the resource's `waiver` block or the file.
fn waiver_problem(applied: &Applied<'_>, path: &AttrPath) -> Option<(String, WaiverRef)> {
    let [PathStep::Attribute(a), PathStep::Index(i), rest @ ..] = path.steps() else {
        return None;
    };
    if a != "waivers" {
        return None;
    }
    let reference = waiver_ref(applied, *i)?;
    let field = match rest {
        [PathStep::Attribute(field), ..] => format!(".{field}"),
        _ => String::new(),
    };
    let location = if reference.source == "resource" {
        format!("waiver[{}]{field}", reference.index)
    } else {
        format!("(waivers file)[{}]{field}", reference.index)
    };
    Some((location, reference))
}

/// The report entries of one target's outcomes in `tier`.
fn evaluate(target: &Target, tier: Tier, options: &CheckOptions) -> Vec<Entry> {
    let applied = applicable(target, options);
    let context = dbrail_rules::Context::new(tier, options.today).with_waivers(&applied.waivers);
    let outcomes = dbrail_rules::evaluate(&target.subject, &context);
    // Sized once: a filtered iterator would grow the list from four entries, copying it each
    // time, and an entry is large.
    let mut entries = Vec::with_capacity(outcomes.len());
    entries.extend(
        outcomes
            .iter()
            .filter(|o| !target.skipped_rules.contains(&o.rule_id()))
            .map(|o| entry(target, &applied, o)),
    );
    entries
}

/// The catalogue by id, as outcomes spell it; built once, since every outcome looks its rule
/// up and the catalogue's own lookup compares ids one by one, ignoring case.
static RULES_BY_ID: LazyLock<HashMap<&'static str, &'static Rule>> = LazyLock::new(|| {
    dbrail_rules::catalogue()
        .iter()
        .map(|rule| (rule.id, rule))
        .collect()
});

/// The rule an outcome belongs to.
fn rule_of(id: &str) -> Option<&'static Rule> {
    RULES_BY_ID
        .get(id)
        .copied()
        .or_else(|| dbrail_rules::rule(id))
}

fn entry(target: &Target, applied: &Applied<'_>, outcome: &Outcome) -> Entry {
    let rule = rule_of(outcome.rule_id());
    let mut entry = Entry {
        rule: Cow::Borrowed(outcome.rule_id()),
        status: Status::Passed,
        severity: None,
        attribute: None,
        rule_attribute: None,
        instance_level: false,
        message: String::new(),
        fix: String::new(),
        controls: rule.map_or(&[], |r| r.controls),
        waiver: None,
    };
    let locate = |entry: &mut Entry, path: &AttrPath| {
        if let Some((location, reference)) = waiver_problem(applied, path) {
            entry.attribute = Some(location);
            entry.waiver = Some(Box::new(reference));
        } else {
            let text = path.to_string();
            entry.instance_level = target.vocabulary.is_instance_level_text(&text);
            entry.attribute = Some(target.vocabulary.translate_text(text));
        }
        entry.rule_attribute = Some(path.to_string());
    };
    match outcome {
        Outcome::Pass { .. } => {}
        Outcome::Fail(finding) => {
            entry.status = if finding.is_error() {
                Status::Failed
            } else {
                Status::Warning
            };
            entry.severity = Some(finding.severity);
            entry.message = target.vocabulary.words(&finding.message);
            entry.fix = target.vocabulary.words(&finding.fix);
            locate(&mut entry, &finding.attribute);
        }
        Outcome::Undecided {
            attribute, reason, ..
        } => {
            entry.status = Status::Undecided;
            entry.message = format!(
                "cannot decide until apply: {}",
                target.vocabulary.words(reason)
            );
            entry.fix = rule.map(|r| r.fix.to_owned()).unwrap_or_default();
            locate(&mut entry, attribute);
        }
        Outcome::Waived {
            reason,
            expires,
            finding,
            ..
        } => {
            entry.status = Status::Waived;
            entry.severity = Some(finding.severity);
            entry.message = target.vocabulary.words(&finding.message);
            entry.fix = target.vocabulary.words(&finding.fix);
            locate(&mut entry, &finding.attribute);
            let position = applied
                .waivers
                .iter()
                .position(|w| &w.reason == reason && w.expires == *expires);
            entry.waiver = position.and_then(|p| waiver_ref(applied, p)).map(Box::new);
        }
        // `Outcome` may grow; an outcome this command does not know is shown as undecided.
        #[allow(unreachable_patterns)]
        _ => entry.status = Status::Undecided,
    }
    entry
}

/// A custom rule's finding as a report entry; a matching valid file waiver waives it.
fn custom_entry(target: &Target, finding: CustomFinding, options: &CheckOptions) -> Entry {
    let mut entry = Entry {
        rule: Cow::Owned(finding.rule),
        status: if finding.deny {
            Status::Failed
        } else {
            Status::Warning
        },
        severity: Some(if finding.deny {
            dbrail_rules::Severity::Error
        } else {
            dbrail_rules::Severity::Warning
        }),
        attribute: finding.attribute,
        rule_attribute: None,
        instance_level: false,
        message: finding.msg,
        fix: finding.fix,
        controls: &[],
        waiver: None,
    };
    let waiver = options.waivers.iter().enumerate().find(|(_, w)| {
        w.rule.trim().eq_ignore_ascii_case(&entry.rule) && w.covers(&target.address)
    });
    if let Some((index, w)) = waiver {
        entry.waiver = Some(Box::new(WaiverRef {
            source: "file",
            index,
            reason: w.reason.clone(),
            owner: w.owner.clone(),
            expires: w.expires,
        }));
        if !w.is_expired(options.today) && !w.reason.trim().is_empty() {
            entry.status = Status::Waived;
        }
    }
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan of `count` instances, every third one without encryption; those listed in
    /// `unreadable` say "yes" where a boolean belongs.
    fn plan_text(count: usize, unreadable: &[usize]) -> String {
        let resources: Vec<String> = (0..count)
            .map(|i| {
                let encrypted = if unreadable.contains(&i) {
                    r#""yes""#.to_owned()
                } else {
                    (i % 3 != 0).to_string()
                };
                format!(
                    r#"{{"address": "aws_db_instance.db{i}", "mode": "managed",
                        "type": "aws_db_instance", "name": "db{i}",
                        "values": {{"identifier": "db{i}", "engine": "postgres",
                                    "storage_encrypted": {encrypted}}}}}"#
                )
            })
            .collect();
        format!(
            r#"{{"format_version": "1.2", "values": {{"root_module": {{"resources": [{}]}}}}}}"#,
            resources.join(",")
        )
    }

    fn options() -> CheckOptions {
        CheckOptions {
            tier: None,
            today: Date::new(2026, 11, 23).expect("a date"),
            waivers: Vec::new(),
        }
    }

    #[test]
    fn two_threads_report_the_first_error_in_plan_order() {
        // Errors in two chunks, the later one met first by whichever thread takes it.
        let text = plan_text(TWO_THREADS_FROM + 45, &[CHUNK * 7 + 3, CHUNK * 2 + 5]);
        let plan = Plan::parse("p", text.as_bytes()).expect("a plan");
        let index = subjects::Index::new("p", &plan).expect("an index");
        let one = judge(&index, &plan.resources, &options(), None).map(|_| ());
        let two = judge_on_two_threads(&index, &plan.resources, &options()).map(|_| ());
        let one = one.expect_err("an unreadable attribute").to_string();
        assert!(one.contains("resources[69]"), "{one}");
        assert_eq!(Err(one), two.map_err(|e| e.to_string()));
    }

    #[test]
    fn two_threads_judge_as_one_does() {
        let text = plan_text(TWO_THREADS_FROM + 45, &[]);
        let plan = Plan::parse("p", text.as_bytes()).expect("a plan");
        let index = subjects::Index::new("p", &plan).expect("an index");
        let options = options();
        let summary = |reports: Vec<ResourceReport>| -> Vec<(String, Vec<(String, Status)>)> {
            reports
                .into_iter()
                .map(|r| {
                    let results = r
                        .results
                        .iter()
                        .map(|e| (e.rule.to_string(), e.status))
                        .collect();
                    (r.address, results)
                })
                .collect()
        };
        let one = summary(judge(&index, &plan.resources, &options, None).expect("judged"));
        let two = summary(judge_on_two_threads(&index, &plan.resources, &options).expect("judged"));
        assert_eq!(one.len(), TWO_THREADS_FROM + 45);
        assert_eq!(one, two);
        assert_eq!(two[3].0, "aws_db_instance.db3");
        assert!(two[3].1.iter().any(|(_, s)| *s == Status::Failed));
    }
}
