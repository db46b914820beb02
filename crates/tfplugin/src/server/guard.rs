//! Panic containment: a bug in one resource must not take down the provider process (Terraform
//! would then report a confusing "plugin crashed" for every resource in the run).

use crate::diagnostics::{Diagnostic, Diagnostics};
use futures::FutureExt;
use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;

/// The text of a panic payload.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}

/// Runs `work`; a panic becomes `Err` with an error diagnostic carrying the panic message
/// (never a backtrace).
pub(crate) async fn guarded<T>(
    operation: &str,
    work: impl Future<Output = T>,
) -> Result<T, Diagnostics> {
    AssertUnwindSafe(work)
        .catch_unwind()
        .await
        .map_err(|payload| {
            let message = panic_message(payload.as_ref());
            Diagnostic::error(
                format!("dbrail failed unexpectedly during {operation}"),
                format!(
                    "{message}\n\nThis is a bug in dbrail; please report it with this message. \
                 Nothing else in this run was affected."
                ),
            )
            .into()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn panics_become_diagnostics() {
        let result = guarded("ReadResource", async {
            #[allow(clippy::panic)]
            if true {
                panic!("index out of range in read");
            }
            1
        })
        .await;
        let diags = result.unwrap_err();
        let d = diags.iter().next().unwrap();
        assert!(d.is_error());
        assert!(d.detail.contains("index out of range in read"));
        assert!(!d.detail.contains("stack backtrace"));
        assert_eq!(guarded("x", async { 5 }).await.unwrap(), 5);
    }
}
