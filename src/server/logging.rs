//! Logs: `tracing` to stderr only (stdout carries the protocol). The level comes from
//! `SEED_LSP_LOG` (an `EnvFilter` directive: `debug`, `seed_lsp=trace,warn` …; default
//! `info`), or, when that variable is not set, from the `log` setting (same syntax), which
//! can change while the server runs.

use std::sync::OnceLock;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{reload, EnvFilter, Registry};

/// The variable that sets the log level.
pub const LOG_ENV: &str = "SEED_LSP_LOG";

static SETTABLE: OnceLock<reload::Handle<EnvFilter, Registry>> = OnceLock::new();

pub fn init() {
    let from_env = std::env::var(LOG_ENV).ok().filter(|v| !v.trim().is_empty());
    let filter = from_env
        .as_deref()
        .and_then(|v| EnvFilter::try_new(v).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    let (filter, handle) = reload::Layer::new(filter);
    let output = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false);
    if tracing_subscriber::registry()
        .with(filter)
        .with(output)
        .try_init()
        .is_ok()
        && from_env.is_none()
    {
        let _ = SETTABLE.set(handle);
    }
}

/// Apply the `log` setting (ignored when `SEED_LSP_LOG` decides).
pub fn set_level(directives: &str) {
    let Some(handle) = SETTABLE.get() else { return };
    match EnvFilter::try_new(directives) {
        Ok(filter) => {
            if let Err(e) = handle.reload(filter) {
                tracing::warn!("cannot change the log level: {e}");
            }
        }
        Err(e) => tracing::warn!("invalid log setting {directives:?}: {e}"),
    }
}
