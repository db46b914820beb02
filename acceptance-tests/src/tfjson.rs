//! Reading terraform's JSON documents (`show -json`, `output -json`, `state pull`).
//!
//! Their shapes are terraform's, documented and stable; these helpers only find things in them,
//! so that tests read as assertions about resources, not as JSON plumbing.

use serde_json::Value;

/// The attribute values of the resource at `address` (e.g. `dbrail_parameter_baseline.pg`) in
/// a `terraform show -json` document, searching child modules too.
pub fn resource_values<'a>(show: &'a Value, address: &str) -> Option<&'a Value> {
    find_in_module(show.get("values")?.get("root_module")?, address)
}

fn find_in_module<'a>(module: &'a Value, address: &str) -> Option<&'a Value> {
    let here = module
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|r| r.get("address").and_then(Value::as_str) == Some(address))
        .and_then(|r| r.get("values"));
    here.or_else(|| {
        module
            .get("child_modules")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find_map(|child| find_in_module(child, address))
    })
}

/// Every resource address in a `terraform show -json` document (root module only).
pub fn resource_addresses(show: &Value) -> Vec<String> {
    show.pointer("/values/root_module/resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r.get("address").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

/// The value of output `name` in a `terraform output -json` document.
pub fn output_value<'a>(outputs: &'a Value, name: &str) -> Option<&'a Value> {
    outputs.get(name)?.get("value")
}

/// The attributes of the first instance of resource `type_name.name` in a raw state document
/// (`terraform state pull`), i.e. exactly what the provider stored.
pub fn state_attributes<'a>(state: &'a Value, type_name: &str, name: &str) -> Option<&'a Value> {
    state
        .get("resources")?
        .as_array()?
        .iter()
        .find(|r| {
            r.get("type").and_then(Value::as_str) == Some(type_name)
                && r.get("name").and_then(Value::as_str) == Some(name)
                && r.get("mode").and_then(Value::as_str) == Some("managed")
        })?
        .get("instances")?
        .get(0)?
        .get("attributes")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_resources_outputs_and_state() {
        let show = json!({"values": {"root_module": {
            "resources": [{"address": "a.b", "values": {"id": "1"}}],
            "child_modules": [{"resources": [{"address": "module.m.c.d", "values": {"id": "2"}}]}]
        }}});
        assert_eq!(resource_values(&show, "a.b").unwrap()["id"], "1");
        assert_eq!(resource_values(&show, "module.m.c.d").unwrap()["id"], "2");
        assert!(resource_values(&show, "x.y").is_none());
        assert_eq!(resource_addresses(&show), vec!["a.b"]);

        let outputs = json!({"o": {"value": {"k": "v"}, "type": ["map", "string"]}});
        assert_eq!(output_value(&outputs, "o").unwrap()["k"], "v");

        let state = json!({"resources": [{"mode": "managed", "type": "t", "name": "n",
            "instances": [{"attributes": {"id": "3"}}]}]});
        assert_eq!(state_attributes(&state, "t", "n").unwrap()["id"], "3");
    }
}
