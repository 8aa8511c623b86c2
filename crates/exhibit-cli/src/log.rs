//! What reaches the user's terminal besides Exhibit's own output.
//!
//! By default only Exhibit's own warnings, each as one plain line (`exhibit: …`), the
//! way every other message of the CLI reads. Libraries (chromiumoxide's socket chatter,
//! html5ever's parse quirks, hyper, rustls) stay silent: their lines mean nothing to a
//! seller and look like failures. `EXHIBIT_LOG` (or else `RUST_LOG`) takes a
//! `tracing` filter such as `debug` or `chromiumoxide=trace` and switches to the full
//! format, with time, level and target, for whoever asked for it.

use std::fmt;

use tracing::{Event, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::FmtContext;
use tracing_subscriber::fmt::format::{FormatEvent, FormatFields, Writer};
use tracing_subscriber::registry::LookupSpan;

/// The filter when nobody asked: Exhibit's crates (`exhibit`, `exhibit_browser`, …: a
/// target directive matches every target it prefixes) at `warn`, everything else off.
const QUIET: &str = "off,exhibit=warn";

/// Installs the subscriber for this process.
pub fn init() {
    let asked = ["EXHIBIT_LOG", "RUST_LOG"]
        .into_iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.trim().is_empty()));
    match asked.map(|filter| EnvFilter::try_new(&filter).map_err(|e| (filter, e))) {
        Some(Ok(filter)) => tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init(),
        Some(Err((filter, e))) => {
            eprintln!(
                "exhibit: ignoring the log filter {filter:?} ({e}); use e.g. EXHIBIT_LOG=debug."
            );
            quiet();
        }
        None => quiet(),
    }
}

fn quiet() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(QUIET))
        .with_writer(std::io::stderr)
        .event_format(Plain)
        .init();
}

/// `exhibit: <message> (<field>: <value>, …)`: no time, level or module path.
struct Plain;

impl<S, N> FormatEvent<S, N> for Plain
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let mut fields = FieldText::default();
        event.record(&mut fields);
        write!(writer, "exhibit: {}", fields.message.trim_end_matches('.'))?;
        if !fields.rest.is_empty() {
            write!(writer, " ({})", fields.rest.join(", "))?;
        }
        writeln!(writer, ".")
    }
}

#[derive(Default)]
struct FieldText {
    message: String,
    rest: Vec<String>,
}

impl tracing::field::Visit for FieldText {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        } else {
            self.rest.push(format!("{}: {value:?}", field.name()));
        }
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "message" {
            self.message = value.to_owned();
        } else {
            self.rest.push(format!("{}: {value}", field.name()));
        }
    }
}
