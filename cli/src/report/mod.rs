//! The report: every result of a check, in a format-neutral shape.
//!
//! Renderers only format what is here, so every format shows the same results. The shape is
//! also the `--format json` output (documented in `docs/policy-report.md`; [`REPORT_VERSION`]
//! changes whenever a field changes meaning or disappears).

mod gitlab;
mod json;
mod junit;
mod sarif;
mod text;

pub use gitlab::{fingerprint, render as render_gitlab};
pub use json::render as render_json;
pub use junit::render as render_junit;
pub use sarif::render as render_sarif;
pub use text::render as render_text;

use std::borrow::Cow;

use dbrail_rules::{Control, Date, Severity, Tier};
use serde::Serialize;

/// The version of the JSON report schema.
pub const REPORT_VERSION: u32 = 1;

/// What one rule concluded about one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Meets the rule.
    Passed,
    /// Fails, blocking (exit code 1).
    Failed,
    /// Fails, not blocking in this tier.
    Warning,
    /// Fails, accepted by a valid waiver.
    Waived,
    /// Cannot be decided until apply.
    Undecided,
}

impl Status {
    /// The word the text format prints.
    pub fn label(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "FAILED",
            Status::Warning => "warning",
            Status::Waived => "waived",
            Status::Undecided => "undecided",
        }
    }
}

/// Where a waiver came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaiverRef {
    /// `file` (the `--waivers` file) or `resource` (a `waiver` block of the resource).
    pub source: &'static str,
    /// Position in the file or among the resource's `waiver` blocks.
    pub index: usize,
    /// The waiver's reason.
    pub reason: String,
    /// Who accepted it (file waivers only).
    pub owner: String,
    /// The last valid day.
    pub expires: Date,
}

/// One rule's result on one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The rule id.
    pub rule: Cow<'static, str>,
    /// The outcome.
    pub status: Status,
    /// The finding's severity, for failed, warning and waived results.
    pub severity: Option<Severity>,
    /// The attribute in the resource's own vocabulary (`None` for a pass).
    pub attribute: Option<String>,
    /// The attribute as the rules name it (`dbrail_cluster` vocabulary).
    pub rule_attribute: Option<String>,
    /// Whether the attribute is set on the cluster's instances (`aws_rds_cluster_instance`).
    pub instance_level: bool,
    /// What is wrong or why the rule cannot decide (empty for a pass).
    pub message: String,
    /// What to change (empty for a pass).
    pub fix: String,
    /// The external controls of the rule.
    pub controls: &'static [Control],
    /// The waiver covering a waived result, or the one a waiver problem is about. Boxed: most
    /// entries are passes, and an entry is made for every rule on every resource.
    pub waiver: Option<Box<WaiverRef>>,
}

/// Everything about one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceReport {
    /// The resource address.
    pub address: String,
    /// The resource type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The module instance (empty for the root module).
    pub module: String,
    /// Instances whose settings were combined into the resource (`aws_rds_cluster`).
    pub instances: Vec<String>,
    /// The tier the resource was judged in.
    pub tier: Tier,
    /// One entry per rule result.
    pub results: Vec<Entry>,
}

/// Counts by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Resources checked.
    pub resources: usize,
    /// Results per status.
    pub passed: usize,
    /// Blocking failures.
    pub failed: usize,
    /// Non-blocking failures.
    pub warnings: usize,
    /// Waived failures.
    pub waived: usize,
    /// Undecided results.
    pub undecided: usize,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// [`REPORT_VERSION`].
    pub version: u32,
    /// The input file as given.
    pub input: String,
    /// `plan` or `state`.
    pub input_kind: &'static str,
    /// The date waivers were judged against.
    pub today: Date,
    /// The exit code the command returns for this report.
    pub exit_code: i32,
    /// Counts.
    pub summary: Summary,
    /// Per resource, in plan order.
    pub resources: Vec<ResourceReport>,
}

impl Report {
    /// Builds a report and its summary and exit code from per-resource results.
    pub fn new(
        input: &str,
        input_kind: &'static str,
        today: Date,
        resources: Vec<ResourceReport>,
    ) -> Self {
        let mut summary = Summary {
            resources: resources.len(),
            ..Summary::default()
        };
        for entry in resources.iter().flat_map(|r| &r.results) {
            match entry.status {
                Status::Passed => summary.passed += 1,
                Status::Failed => summary.failed += 1,
                Status::Warning => summary.warnings += 1,
                Status::Waived => summary.waived += 1,
                Status::Undecided => summary.undecided += 1,
            }
        }
        let exit_code = i32::from(summary.failed > 0);
        Self {
            version: REPORT_VERSION,
            input: input.to_owned(),
            input_kind,
            today,
            exit_code,
            summary,
            resources,
        }
    }

    /// Every entry with its resource.
    pub fn entries(&self) -> impl Iterator<Item = (&ResourceReport, &Entry)> {
        self.resources
            .iter()
            .flat_map(|r| r.results.iter().map(move |e| (r, e)))
    }
}
