//! Log lines in the JSON shape Terraform relays.
//!
//! Terraform reads a provider's stderr and, under `TF_LOG` / `TF_LOG_PROVIDER`, re-emits each
//! JSON line (`@level`, `@message`, `@timestamp`, `@module`, plus fields) with the provider's
//! name in front. Anything else on stderr is shown as an unstructured line. Without either
//! variable Terraform drops provider logs, so the provider stays quiet too.

use serde_json::{Map, Value as Json};
use std::fmt::Write as _;
use std::io::Write as _;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::{EnvFilter, Layer};

/// Installs the global subscriber. `DBRAIL_LOG` takes tracing filter directives and wins over
/// `TF_LOG_PROVIDER`, which wins over `TF_LOG`. Chatty dependencies are capped so that even
/// `TF_LOG=trace` stays readable and never carries request signatures.
pub fn init_logging() {
    let filter = filter_from_env(
        std::env::var("DBRAIL_LOG").ok().as_deref(),
        std::env::var("TF_LOG_PROVIDER").ok().as_deref(),
        std::env::var("TF_LOG").ok().as_deref(),
    );
    let Some(filter) = filter else {
        return;
    };
    let subscriber = tracing_subscriber::registry()
        .with(EnvFilter::new(filter))
        .with(HclogLayer);
    // A second initialisation (tests) keeps the first subscriber.
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// Builds filter directives from the environment, or `None` when logging is off.
pub(crate) fn filter_from_env(
    dbrail: Option<&str>,
    tf_provider: Option<&str>,
    tf: Option<&str>,
) -> Option<String> {
    if let Some(directives) = dbrail.filter(|s| !s.trim().is_empty()) {
        return Some(directives.to_owned());
    }
    let level = tf_provider
        .filter(|s| !s.trim().is_empty())
        .or(tf.filter(|s| !s.trim().is_empty()))?;
    let level = match level.trim().to_ascii_lowercase().as_str() {
        "trace" | "json" => "trace",
        "debug" => "debug",
        "info" => "info",
        "warn" => "warn",
        "error" => "error",
        "off" => return None,
        _ => "trace",
    };
    Some(format!(
        "{level},aws_smithy_runtime=info,aws_smithy_http_client=info,aws_sigv4=warn,\
         aws_config=info,hyper=warn,hyper_util=warn,h2=warn,tonic=info,tower=warn,rustls=warn"
    ))
}

struct HclogLayer;

impl<S> Layer<S> for HclogLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let line = render(event);
        let stderr = std::io::stderr();
        let mut lock = stderr.lock();
        let _ = writeln!(lock, "{line}");
    }
}

fn render(event: &Event<'_>) -> String {
    let mut fields = FieldCollector::default();
    event.record(&mut fields);
    let mut object = Map::new();
    object.insert(
        "@level".into(),
        Json::String(level_name(*event.metadata().level()).into()),
    );
    object.insert("@message".into(), Json::String(fields.message));
    object.insert(
        "@module".into(),
        Json::String(module_name(event.metadata().target())),
    );
    object.insert("@timestamp".into(), Json::String(timestamp()));
    for (k, v) in fields.fields {
        object.insert(k, v);
    }
    Json::Object(object).to_string()
}

/// hclog's level names.
pub(crate) fn level_name(level: Level) -> &'static str {
    match level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

fn module_name(target: &str) -> String {
    let mut name = String::from("dbrail");
    if let Some(rest) = target
        .split("::")
        .next()
        .filter(|t| !t.starts_with("dbrail") && !t.starts_with("terraform_provider"))
    {
        let _ = write!(name, ".{rest}");
    }
    name
}

fn timestamp() -> String {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
    );
    time::OffsetDateTime::now_utc()
        .format(&format)
        .unwrap_or_default()
}

#[derive(Default)]
struct FieldCollector {
    message: String,
    fields: Vec<(String, Json)>,
}

impl Visit for FieldCollector {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = value.to_owned();
        } else {
            self.fields
                .push((field.name().to_owned(), Json::String(value.to_owned())));
        }
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.fields
            .push((field.name().to_owned(), Json::Bool(value)));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.fields
            .push((field.name().to_owned(), Json::from(value)));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.fields
            .push((field.name().to_owned(), Json::from(value)));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let text = format!("{value:?}");
        if field.name() == "message" {
            self.message = text;
        } else {
            self.fields
                .push((field.name().to_owned(), Json::String(text)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tf_log_levels_map_to_filters() {
        assert_eq!(filter_from_env(None, None, None), None);
        assert_eq!(filter_from_env(None, None, Some("off")), None);
        assert!(
            filter_from_env(None, None, Some("DEBUG"))
                .unwrap()
                .starts_with("debug,")
        );
        assert!(
            filter_from_env(None, Some("info"), Some("trace"))
                .unwrap()
                .starts_with("info,")
        );
        assert!(
            filter_from_env(None, None, Some("JSON"))
                .unwrap()
                .starts_with("trace,")
        );
        assert_eq!(
            filter_from_env(Some("dbrail=warn"), None, Some("trace")).as_deref(),
            Some("dbrail=warn")
        );
    }

    #[test]
    fn renders_hclog_json() {
        use std::sync::{Arc, Mutex};
        struct Capture(Arc<Mutex<Vec<String>>>);
        impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
            fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
                if let Ok(mut lines) = self.0.lock() {
                    lines.push(render(event));
                }
            }
        }
        let lines = Arc::new(Mutex::new(Vec::new()));
        let subscriber = tracing_subscriber::registry().with(Capture(lines.clone()));
        tracing::subscriber::with_default(subscriber, || {
            tracing::debug!(
                resource = "dbrail_parameter_baseline",
                count = 3_u64,
                "planned change"
            );
        });
        let lines = lines.lock().unwrap();
        let parsed: Json = serde_json::from_str(&lines[0]).unwrap();
        assert_eq!(parsed["@level"], "debug");
        assert_eq!(parsed["@message"], "planned change");
        assert_eq!(parsed["resource"], "dbrail_parameter_baseline");
        assert_eq!(parsed["count"], 3);
        assert!(parsed["@timestamp"].as_str().unwrap().ends_with('Z'));
    }
}
