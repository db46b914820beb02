//! What every resource operation receives besides its data: the configured client and the
//! cancellation signal that `StopProvider` (Terraform's Ctrl-C) fires.

use crate::diagnostics::{Diagnostic, Diagnostics};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Per-call context handed to resource code.
pub struct Context<C> {
    client: Option<Arc<C>>,
    cancel: CancellationToken,
}

impl<C> Clone for Context<C> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            cancel: self.cancel.clone(),
        }
    }
}

impl<C> Context<C> {
    /// A context with an optional configured client and a cancellation token.
    pub fn new(client: Option<Arc<C>>, cancel: CancellationToken) -> Self {
        Self { client, cancel }
    }

    /// The client built by provider configuration, or an error diagnostic when Terraform has not
    /// configured the provider (which it always does before operations that need it).
    pub fn client(&self) -> Result<&C, Diagnostics> {
        self.client.as_deref().ok_or_else(|| {
            Diagnostic::error(
                "Provider not configured",
                "dbrail was asked to reach AWS before its provider block was configured. \
                 This is a bug in dbrail or Terraform; please report it.",
            )
            .into()
        })
    }

    /// Fires when Terraform asks the provider to stop (for example on Ctrl-C). Long waits must
    /// select on it and return promptly, leaving state that records what already exists.
    pub fn cancel(&self) -> &CancellationToken {
        &self.cancel
    }
}
