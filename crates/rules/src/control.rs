//! External controls a rule corresponds to.
//!
//! Auditors and security teams think in the ids of the tools and frameworks they already use
//! (Security Hub, checkov, trivy, PCI DSS, SOC 2). Each rule lists the controls it answers so a
//! finding can be traced to the requirement behind it and to the scanner that would report it.

use std::fmt;

use serde::Serialize;

/// A catalogue of controls: a scanner's rule set or a compliance framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Framework {
    /// AWS Security Hub (Foundational Security Best Practices), ids like `RDS.27`.
    SecurityHub,
    /// checkov, ids like `CKV_AWS_96` or `CKV2_AWS_69`.
    Checkov,
    /// trivy (formerly tfsec), ids like `AVD-AWS-0079`.
    Trivy,
    /// PCI DSS v4.0.1, requirement numbers like `10.2.1`.
    PciDss,
    /// SOC 2 Trust Services Criteria, ids like `CC6.7`.
    Soc2,
}

impl Framework {
    /// The framework's usual display name.
    pub fn name(self) -> &'static str {
        match self {
            Framework::SecurityHub => "AWS Security Hub",
            Framework::Checkov => "checkov",
            Framework::Trivy => "trivy",
            Framework::PciDss => "PCI DSS",
            Framework::Soc2 => "SOC 2",
        }
    }
}

impl fmt::Display for Framework {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One control in one framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Control {
    /// The framework the id belongs to.
    pub framework: Framework,
    /// The control's id within that framework.
    pub id: &'static str,
}

impl Control {
    /// A Security Hub control.
    pub const fn security_hub(id: &'static str) -> Self {
        Self {
            framework: Framework::SecurityHub,
            id,
        }
    }

    /// A checkov check.
    pub const fn checkov(id: &'static str) -> Self {
        Self {
            framework: Framework::Checkov,
            id,
        }
    }

    /// A trivy check.
    pub const fn trivy(id: &'static str) -> Self {
        Self {
            framework: Framework::Trivy,
            id,
        }
    }

    /// A PCI DSS requirement.
    pub const fn pci_dss(id: &'static str) -> Self {
        Self {
            framework: Framework::PciDss,
            id,
        }
    }

    /// A SOC 2 criterion.
    pub const fn soc2(id: &'static str) -> Self {
        Self {
            framework: Framework::Soc2,
            id,
        }
    }
}

impl fmt::Display for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.framework, self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_framework_and_id() {
        assert_eq!(Control::pci_dss("10.2.1").to_string(), "PCI DSS 10.2.1");
        assert_eq!(
            Control::security_hub("RDS.45").to_string(),
            "AWS Security Hub RDS.45"
        );
    }
}
