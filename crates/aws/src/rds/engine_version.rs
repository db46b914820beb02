//! Resolving a major engine version (`16`, `8.0`) to AWS's default exact version.
//!
//! dbrail pins the *major* version and accepts the minor AWS applies, so nothing
//! at plan time may depend on this call: it is an optional convenience for real AWS, e.g. to
//! show which exact version a create will get. Give [`default_engine_version`] a short deadline
//! of its own (`deadline.min_timeout(Duration::from_secs(20))`) and treat a failure as
//! "unknown".
//!
//! Stock moto (5.2.1) does not implement `DescribeDBEngineVersions`: it answers an HTML 500,
//! which looks like a transient error that [`crate::retry`] retries until the deadline. The test
//! emulator models the action through dbrail's extension
//! (`acceptance-tests/emulator/rds_engine_versions.py`), over a dated snapshot of Aurora
//! versions rather than AWS's live list, so tests may rely on how a major resolves (an exact
//! version inside it, `Ok(None)` when nothing is listed) but not on which version is the
//! default.

use aws_sdk_rds::types::DbEngineVersion;
use tokio_util::sync::CancellationToken;

use crate::classify::classify;
use crate::deadline::Deadline;
use crate::error::OperationError;
use crate::retry::retry;

/// Page size (AWS allows 20–100).
const PAGE_SIZE: i32 = 100;

/// Whether `exact` (e.g. `16.4`, `8.0.mysql_aurora.3.05.2`) belongs to the major version
/// `major` (e.g. `16`, `8.0`).
pub fn is_in_major_version(exact: &str, major: &str) -> bool {
    exact == major
        || exact
            .strip_prefix(major)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// The default version among `versions` for `major`: an entry reporting that major version (or
/// whose exact version is inside it), first one wins.
fn pick_default(versions: &[DbEngineVersion], major: &str) -> Option<String> {
    versions
        .iter()
        .filter(|v| {
            v.major_engine_version() == Some(major)
                || v.engine_version()
                    .is_some_and(|e| is_in_major_version(e, major))
        })
        .find_map(|v| v.engine_version().map(str::to_owned))
}

/// AWS's default exact version of `engine` within `major` (`DescribeDBEngineVersions` with
/// `DefaultOnly`); `Ok(None)` when AWS lists none (also for an unknown engine). Stock moto does
/// not implement it; the test emulator does: see the module docs.
pub async fn default_engine_version(
    rds: &aws_sdk_rds::Client,
    engine: &str,
    major: &str,
    deadline: Deadline,
    cancel: &CancellationToken,
) -> Result<Option<String>, OperationError> {
    const OP: &str = "DescribeDBEngineVersions";
    let mut marker: Option<String> = None;
    let mut seen_markers = std::collections::HashSet::new();
    loop {
        let (page, next) = retry(OP, deadline, cancel, || {
            let request = rds
                .describe_db_engine_versions()
                .engine(engine)
                .engine_version(major)
                .default_only(true)
                .max_records(PAGE_SIZE)
                .set_marker(marker.clone());
            async move {
                let out = request.send().await.map_err(|e| classify(OP, e))?;
                Ok((out.db_engine_versions.unwrap_or_default(), out.marker))
            }
        })
        .await?;
        if let Some(found) = pick_default(&page, major) {
            return Ok(Some(found));
        }
        match next.filter(|m| !m.is_empty()) {
            Some(next) if seen_markers.insert(next.clone()) => marker = Some(next),
            _ => return Ok(None),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn version(exact: &str, major: Option<&str>) -> DbEngineVersion {
        DbEngineVersion::builder()
            .engine("aurora-postgresql")
            .engine_version(exact)
            .set_major_engine_version(major.map(str::to_owned))
            .build()
    }

    #[test]
    fn major_version_membership() {
        assert!(is_in_major_version("16.4", "16"));
        assert!(is_in_major_version("16", "16"));
        assert!(!is_in_major_version("160.1", "16"));
        assert!(!is_in_major_version("15.7", "16"));
        assert!(is_in_major_version("8.0.mysql_aurora.3.05.2", "8.0"));
        assert!(!is_in_major_version("5.7.mysql_aurora.2.12.0", "8.0"));
    }

    #[test]
    fn picks_the_listed_default_of_the_major_version() {
        let listed = [
            version("15.7", Some("15")),
            version("16.4", Some("16")),
            version("16.6", Some("16")),
        ];
        assert_eq!(pick_default(&listed, "16").as_deref(), Some("16.4"));
        // Without MajorEngineVersion the exact version decides.
        assert_eq!(
            pick_default(&[version("16.2", None)], "16").as_deref(),
            Some("16.2")
        );
        assert_eq!(pick_default(&listed, "17"), None);
        assert_eq!(pick_default(&[], "16"), None);
    }
}
