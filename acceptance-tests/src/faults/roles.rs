//! The access roles a [`Stack`] implies, checked in the emulator's IAM: each role exists once,
//! carries exactly one inline policy, and that policy grants `rds-db:connect` on its own
//! cluster's resource id for its own user. IAM role names are unique, so a role created twice
//! shows as a failed create rather than a second role; what this catches is a role missing, a
//! role left over, a policy missing or a second policy beside dbrail's.

use serde_json::json;

use super::{Stack, cluster_resource_id};
use crate::{EmulatorIam, EmulatorRds, HarnessError, REGION};

/// The name of dbrail's one inline policy on every access role.
const POLICY: &str = "dbrail-access";
/// The emulator's account.
const ACCOUNT: &str = "123456789012";

/// Asserts the emulator holds exactly the stack's access roles (among roles named like them),
/// each with exactly its expected inline policy.
pub fn assert_roles_exact(
    iam: &EmulatorIam,
    rds: &EmulatorRds,
    stack: &Stack,
) -> Result<(), HarnessError> {
    let expected = stack.roles();
    let mut names = iam.role_names()?;
    names.retain(|n| n.contains("-app"));
    names.sort();
    let wanted: Vec<String> = expected.iter().map(|(role, _, _)| role.clone()).collect();
    assert_eq!(names, wanted, "access roles in the emulator");
    for (role, cluster, user) in &expected {
        assert_eq!(iam.role_policy_names(role)?, [POLICY], "{role}");
        let resource_id = cluster_resource_id(rds, cluster)?.ok_or_else(|| HarnessError::Aws {
            operation: format!("DescribeDBClusters({cluster})"),
            detail: format!("the cluster of role {role} is missing"),
        })?;
        let policy = iam.role_policy(role, POLICY)?;
        let arn = format!("arn:aws:rds-db:{REGION}:{ACCOUNT}:dbuser:{resource_id}/{user}");
        assert_eq!(
            policy,
            Some(json!({"Version": "2012-10-17", "Statement": {
                "Effect": "Allow", "Action": "rds-db:connect", "Resource": arn}})),
            "{role}"
        );
    }
    Ok(())
}
