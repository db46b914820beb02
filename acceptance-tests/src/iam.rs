//! The test's own view of IAM in the emulator, through the real AWS SDK and independent of the
//! provider's code (see [`crate::EmulatorRds`] for why). Used to read back an access role's
//! inline policy and to change it behind terraform's back.

use std::future::Future;

use aws_sdk_iam::Client;
use aws_sdk_iam::error::ProvideErrorMetadata;

use crate::sdk::{self, aws_error};
use crate::{Emulator, HarnessError};

/// A synchronous IAM client for the emulator.
pub struct EmulatorIam {
    runtime: tokio::runtime::Runtime,
    client: Client,
}

/// `%XX` escapes decoded (IAM returns policy documents URL-encoded).
fn url_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl EmulatorIam {
    /// A client for `emulator`, with the harness's dummy credentials.
    pub fn connect(emulator: &Emulator) -> Result<Self, HarnessError> {
        Ok(Self {
            runtime: sdk::runtime()?,
            client: sdk::emulator_client!(aws_sdk_iam, emulator.endpoint()),
        })
    }

    /// The underlying SDK client (use with [`Self::block_on`]).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Runs a future to completion.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// Names of every role.
    pub fn role_names(&self) -> Result<Vec<String>, HarnessError> {
        let out = self
            .block_on(self.client.list_roles().send())
            .map_err(|e| aws_error("ListRoles".into(), &e))?;
        Ok(out
            .roles()
            .iter()
            .map(|r| r.role_name().to_owned())
            .collect())
    }

    /// The decoded trust policy of `role`, if the role exists.
    pub fn trust_policy(&self, role: &str) -> Result<Option<serde_json::Value>, HarnessError> {
        match self.block_on(self.client.get_role().role_name(role).send()) {
            Ok(out) => Ok(out
                .role()
                .and_then(|r| r.assume_role_policy_document())
                .and_then(|d| serde_json::from_str(&url_decode(d)).ok())),
            Err(e) if e.code() == Some("NoSuchEntity") => Ok(None),
            Err(e) => Err(aws_error(format!("GetRole({role})"), &e)),
        }
    }

    /// The decoded inline policy `name` of `role`, if it exists.
    pub fn role_policy(
        &self,
        role: &str,
        name: &str,
    ) -> Result<Option<serde_json::Value>, HarnessError> {
        match self.block_on(
            self.client
                .get_role_policy()
                .role_name(role)
                .policy_name(name)
                .send(),
        ) {
            Ok(out) => serde_json::from_str(&url_decode(out.policy_document()))
                .map(Some)
                .map_err(|e| HarnessError::Aws {
                    operation: format!("GetRolePolicy({role}, {name})"),
                    detail: format!("the document is not JSON: {e}"),
                }),
            Err(e) if e.code() == Some("NoSuchEntity") => Ok(None),
            Err(e) => Err(aws_error(format!("GetRolePolicy({role}, {name})"), &e)),
        }
    }

    /// Names of the inline policies of `role`.
    pub fn role_policy_names(&self, role: &str) -> Result<Vec<String>, HarnessError> {
        let out = self
            .block_on(self.client.list_role_policies().role_name(role).send())
            .map_err(|e| aws_error(format!("ListRolePolicies({role})"), &e))?;
        Ok(out.policy_names().to_vec())
    }

    /// Writes inline policy `name` on `role` (drift made behind terraform's back).
    pub fn put_role_policy(
        &self,
        role: &str,
        name: &str,
        document: &str,
    ) -> Result<(), HarnessError> {
        self.block_on(
            self.client
                .put_role_policy()
                .role_name(role)
                .policy_name(name)
                .policy_document(document)
                .send(),
        )
        .map_err(|e| aws_error(format!("PutRolePolicy({role}, {name})"), &e))?;
        Ok(())
    }

    /// Creates a managed policy and attaches it to `role`; returns its ARN.
    pub fn attach_new_policy(
        &self,
        role: &str,
        name: &str,
        document: &str,
    ) -> Result<String, HarnessError> {
        let created = self
            .block_on(
                self.client
                    .create_policy()
                    .policy_name(name)
                    .policy_document(document)
                    .send(),
            )
            .map_err(|e| aws_error(format!("CreatePolicy({name})"), &e))?;
        let arn = created
            .policy()
            .and_then(|p| p.arn())
            .unwrap_or_default()
            .to_owned();
        self.block_on(
            self.client
                .attach_role_policy()
                .role_name(role)
                .policy_arn(&arn)
                .send(),
        )
        .map_err(|e| aws_error(format!("AttachRolePolicy({role})"), &e))?;
        Ok(arn)
    }

    /// Creates a managed policy (for permission boundaries); returns its ARN.
    pub fn create_policy(&self, name: &str, document: &str) -> Result<String, HarnessError> {
        let created = self
            .block_on(
                self.client
                    .create_policy()
                    .policy_name(name)
                    .policy_document(document)
                    .send(),
            )
            .map_err(|e| aws_error(format!("CreatePolicy({name})"), &e))?;
        Ok(created
            .policy()
            .and_then(|p| p.arn())
            .unwrap_or_default()
            .to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_documents() {
        assert_eq!(url_decode("%7B%22a%22%3A1%7D"), "{\"a\":1}");
        assert_eq!(url_decode("50%"), "50%");
    }
}
