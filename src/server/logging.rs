//! Logs, where editors expect them. The server's own log events go to the client as
//! `window/logMessage` with the matching message type (error → Error, warn → Warning, info →
//! Info, debug and trace → Log): VS Code shows them in the server's output channel, Neovim
//! writes them to `lsp.log` at their own level, Emacs to the events buffer. Until the client
//! has the answer to `initialize` ([`connect`], at `initialized`) they are kept, so that the
//! answer comes first and nothing is lost; after `shutdown` ([`disconnect`]) they are
//! dropped. stderr, which clients read as an error
//! stream (Neovim logs every line of it as `[ERROR]`), gets only errors — and everything at
//! the level asked for when `SEED_LSP_LOG` is set, for running the server by hand or from a
//! test harness. stdout carries the protocol and never a log line.
//!
//! The level comes from `SEED_LSP_LOG` (an `EnvFilter` directive: `debug`,
//! `seed_lsp=trace,warn` …; default `info`), or, when that variable is not set, from the
//! `log` setting (same syntax), which can change while the server runs.

use std::fmt::{self, Write as _};
use std::sync::{Mutex, OnceLock};

use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};
use tower_lsp_server::ls_types::MessageType;
use tower_lsp_server::Client;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{reload, EnvFilter, Layer, Registry};

/// The variable that sets the log level.
pub const LOG_ENV: &str = "SEED_LSP_LOG";

static SETTABLE: OnceLock<reload::Handle<EnvFilter, Registry>> = OnceLock::new();

/// A log event as the client gets it.
type Line = (MessageType, String);

/// Where log events for the client go.
enum Sink {
    /// Kept until a client is connected (at most [`KEPT_LINES`]).
    Keep(Vec<Line>),
    Client(UnboundedSender<Line>),
    Drop,
}

/// How many lines are kept for a client that has not connected yet.
const KEPT_LINES: usize = 1000;

static TO_CLIENT: Mutex<Sink> = Mutex::new(Sink::Keep(Vec::new()));

pub fn init() {
    let from_env = std::env::var(LOG_ENV).ok().filter(|v| !v.trim().is_empty());
    let filter = from_env
        .as_deref()
        .and_then(|v| EnvFilter::try_new(v).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    let (filter, handle) = reload::Layer::new(filter);
    let stderr_level = if from_env.is_some() {
        LevelFilter::TRACE
    } else {
        LevelFilter::ERROR
    };
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_filter(stderr_level);
    if tracing_subscriber::registry()
        .with(filter)
        .with(ToClient)
        .with(stderr)
        .try_init()
        .is_ok()
        && from_env.is_none()
    {
        let _ = SETTABLE.set(handle);
    }
}

/// Send the server's log events to `client` as `window/logMessage` from now on, those kept
/// so far first. Must run inside the tokio runtime.
pub fn connect(client: Client) {
    let (sender, mut receiver) = unbounded_channel::<Line>();
    tokio::spawn(async move {
        while let Some((typ, message)) = receiver.recv().await {
            client.log_message(typ, message).await;
        }
    });
    send_to(Sink::Client(sender));
}

/// Stop sending log events to the client (after `shutdown`: it is about to go).
pub fn disconnect() {
    send_to(Sink::Drop);
}

fn send_to(sink: Sink) {
    let mut current = TO_CLIENT.lock().unwrap_or_else(|e| e.into_inner());
    if let (Sink::Keep(kept), Sink::Client(sender)) = (&mut *current, &sink) {
        for line in kept.drain(..) {
            let _ = sender.send(line);
        }
    }
    *current = sink;
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

/// The message type a log level is sent with.
fn message_type(level: Level) -> MessageType {
    match level {
        Level::ERROR => MessageType::ERROR,
        Level::WARN => MessageType::WARNING,
        Level::INFO => MessageType::INFO,
        _ => MessageType::LOG,
    }
}

/// The layer that hands the server's own events (target `seed_lsp…`) to the connected
/// client. Other crates' events stay out: tower-lsp logs a failed send itself, and
/// forwarding that would feed the failure back into the channel.
struct ToClient;

impl<S: Subscriber> Layer<S> for ToClient {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let metadata = event.metadata();
        if !metadata.target().starts_with(env!("CARGO_CRATE_NAME")) {
            return;
        }
        let mut text = Text::default();
        event.record(&mut text);
        let line = (message_type(*metadata.level()), text.0);
        match &mut *TO_CLIENT.lock().unwrap_or_else(|e| e.into_inner()) {
            Sink::Keep(kept) if kept.len() < KEPT_LINES => kept.push(line),
            Sink::Keep(_) | Sink::Drop => {}
            Sink::Client(sender) => {
                let _ = sender.send(line);
            }
        }
    }
}

/// An event as one line: its message, then its other fields as `name=value`.
#[derive(Default)]
struct Text(String);

impl Visit for Text {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.insert_str(0, value);
        } else {
            let _ = write!(self.0, " {}={value}", field.name());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.0.insert_str(0, &format!("{value:?}"));
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_servers_events_go_to_the_client_with_their_message_type() {
        let log = || tracing_subscriber::registry().with(ToClient);
        tracing::subscriber::with_default(log(), || tracing::info!("initialized"));
        let (sender, mut receiver) = unbounded_channel();
        send_to(Sink::Client(sender));
        tracing::subscriber::with_default(log(), || {
            tracing::info!("indexed {} notes", 5);
            tracing::warn!(path = "a.txt", "not UTF-8");
            tracing::error!("panic in handler");
            tracing::debug!("analysed a.txt");
            tracing::error!(target: "tower_lsp_server", "failed to send notification");
        });
        disconnect();
        tracing::subscriber::with_default(log(), || tracing::info!("after shutdown"));
        let mut sent = Vec::new();
        while let Ok((typ, message)) = receiver.try_recv() {
            sent.push(format!("{typ:?} {message}"));
        }
        expect_test::expect![[r#"
            [
                "Info initialized",
                "Info indexed 5 notes",
                "Warning not UTF-8 path=a.txt",
                "Error panic in handler",
                "Log analysed a.txt",
            ]
        "#]]
        .assert_debug_eq(&sent);
    }
}
