//! Log output: human-readable lines by default, or one JSON object per line (`VINANO_LOG_FORMAT=json`) for
//! a log collector (Loki, Elasticsearch, CloudWatch, `journalctl -o json`). In JSON every line a request
//! causes carries that request's span — its id (the `X-Request-Id` the client got), method and path — so
//! one request's lines can be found together. `RUST_LOG` chooses what is logged, as before.

use crate::config::LogFormat;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

/// What is logged when `RUST_LOG` doesn't say.
pub const DEFAULT_FILTER: &str = "vinano_server=info,tower_http=warn";

/// The subscriber writing `format` to `writer`, filtered by `filter`.
pub fn subscriber<W>(
    format: LogFormat,
    filter: EnvFilter,
    writer: W,
) -> Box<dyn tracing::Subscriber + Send + Sync>
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer);
    match format {
        LogFormat::Text => Box::new(builder.finish()),
        LogFormat::Json => {
            Box::new(builder.json().with_current_span(true).with_span_list(true).flatten_event(true).finish())
        }
    }
}

/// Sends this process's log to standard output in `format`.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| DEFAULT_FILTER.into());
    // Only the first call takes effect (a second one, as in tests, keeps the first subscriber). Lines from
    // libraries that use the `log` crate are taken in too.
    let _ =
        tracing_subscriber::util::SubscriberInitExt::try_init(subscriber(format, filter, std::io::stdout));
}
