//! What provider configuration hands to every resource.

use std::collections::BTreeMap;

/// AWS clients plus provider-wide settings resources apply.
pub(crate) struct DbrailClient {
    /// AWS service clients, region and account.
    pub(crate) aws: dbrail_aws::Clients,
    /// Tags added to every taggable object (resource tags win on conflicts).
    pub(crate) default_tags: BTreeMap<String, String>,
}

impl DbrailClient {
    /// `default_tags` overlaid with a resource's own tags.
    pub(crate) fn tags_with_defaults(
        &self,
        own: &BTreeMap<String, String>,
    ) -> BTreeMap<String, String> {
        let mut all = self.default_tags.clone();
        all.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
        all
    }
}
