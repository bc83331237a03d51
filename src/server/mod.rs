//! The language server: a thin shell over [`crate::ide`] on tower-lsp-server.
//!
//! Request flow: stdin (read by a thread of its own, [`stdio`]) → [`transport`] (lets only
//! well-formed JSON-RPC through) → tower-lsp's reader → [`ordered::Ordered`] (applies
//! `didOpen` / `didChange` / `didClose` to the analysis host synchronously, in wire order;
//! catches handler panics) → tower-lsp's router → [`backend::Backend`] → a handler in
//! [`handlers`], which takes a [`crate::ide::World`] snapshot (analysing the note first if it
//! changed, see [`snapshot`]), runs the `ide` feature and converts the answer
//! ([`crate::proto`]), merged with the frames the server serialised itself (the diagnostics
//! of open notes, [`outbox`]) and written to stdout by a thread of its own.
//!
//! Everything that changes the workspace model or publishes goes through one event loop,
//! [`main_loop`]: document sync, handlers, file watching, indexing ([`indexing`]) and
//! configuration loading ([`settings`]) send it an event; only it publishes ([`publish`]).
//!
//! State model: one [`state::State`] (the [`crate::ide::AnalysisHost`] and what only the
//! server keeps) behind a `std::sync::Mutex` in [`state::Shared`], never held across
//! `.await`, during an analysis, a KB build or a file read; features read immutable
//! snapshots.
//!
//! Logs go to the client as `window/logMessage`, stderr only for errors ([`logging`]: level
//! from `SEED_LSP_LOG`, which also copies every line to stderr, else the `log` setting;
//! default `info`). Exit code: 0 after `shutdown` + `exit`, 1 when the client exits or
//! vanishes without `shutdown`.

mod backend;
mod capabilities;
mod closed;
mod handlers;
mod indexing;
mod logging;
mod main_loop;
mod near_misses;
mod ordered;
mod outbox;
mod publish;
mod settings;
mod snapshot;
mod state;
mod stdio;
mod transport;
mod warm;

use std::any::Any;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

pub use handlers::custom::{DebugText, Status, DEBUG_ENV, DEBUG_PANIC, DEBUG_TEXT, STATUS};
pub use handlers::display::SHOW_REFERENCES_COMMAND;

/// How many requests run at once (workspace-wide ones on blocking threads).
const CONCURRENCY: usize = 16;
/// How long running handlers may still take after `exit` or the end of the input.
const EXIT_GRACE: std::time::Duration = std::time::Duration::from_millis(300);

/// Run the server on stdin/stdout until `exit` (or the client goes away). Blocking.
/// Returns the process exit code: 0 after `shutdown` then `exit`, 1 otherwise.
pub fn run_stdio() -> u8 {
    logging::init();
    // Panics (caught per request) are logged like everything else, on stderr.
    std::panic::set_hook(Box::new(|info| tracing::error!("{info}")));
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("seed-lsp: cannot start the async runtime: {e}");
            return 1;
        }
    };
    let (input, output, flushed) = match stdio::stdio() {
        Ok(streams) => streams,
        Err(e) => {
            eprintln!("seed-lsp: cannot start the stdio threads: {e}");
            return 1;
        }
    };
    // `serve` drops the output stream when it returns: what it wrote then drains to stdout.
    let clean = runtime.block_on(serve(input, output));
    flushed.wait(EXIT_GRACE);
    // Analyses still running on blocking threads are abandoned, not awaited.
    runtime.shutdown_background();
    u8::from(!clean)
}

/// Serve one client over a byte stream; true when it shut the server down properly.
pub async fn serve(
    input: impl AsyncRead + Unpin + Send + 'static,
    output: impl AsyncWrite + Unpin + Send + 'static,
) -> bool {
    let (events_tx, events) = tokio::sync::mpsc::unbounded_channel();
    let (output, outbox, output_pump) = outbox::merge(output);
    let mut shared_slot = None;
    let builder = LspService::build(|client| {
        let shared = Arc::new(state::Shared::new(client, events_tx, outbox.clone()));
        shared_slot = Some(shared.clone());
        backend::Backend { shared }
    })
    .custom_method(DEBUG_TEXT, backend::Backend::debug_text)
    .custom_method(STATUS, backend::Backend::status)
    .custom_method(transport::MALFORMED, backend::Backend::malformed);
    let (service, socket) = if std::env::var_os(DEBUG_ENV).is_some() {
        builder
            .custom_method(DEBUG_PANIC, backend::Backend::debug_panic)
            .finish()
    } else {
        builder.finish()
    };
    let shared = shared_slot.expect("the backend is built by LspService::build");
    let main_loop = tokio::spawn(main_loop::run(shared.clone(), events));
    let service = ordered::Ordered::new(service, shared.clone());
    let (input, mut pump) = transport::sanitise(input);
    let mut server = Box::pin(
        Server::new(input, output, socket)
            .concurrency_level(CONCURRENCY)
            .serve(service),
    );
    // tower-lsp waits for every running handler before returning, and a handler may be
    // waiting for an answer from a client that is gone: after `exit`, or once the input
    // has ended, give it a moment and then stop regardless.
    tokio::select! {
        () = &mut server => {}
        () = shared.exit.notified() => {
            let _ = tokio::time::timeout(EXIT_GRACE, &mut server).await;
        }
        _ = &mut pump => {
            let _ = tokio::time::timeout(EXIT_GRACE, &mut server).await;
        }
    }
    main_loop.abort();
    // tower-lsp's output ends with its future; the pump then writes what is queued and ends.
    drop(server);
    drop(outbox);
    let _ = tokio::time::timeout(EXIT_GRACE, output_pump).await;
    let clean = shared.shutdown_requested.load(Ordering::Acquire);
    tracing::info!(
        "exiting ({})",
        if clean { "after shutdown" } else { "without shutdown" }
    );
    clean
}

/// The message of a caught panic.
pub(crate) fn panic_message(panic: &(dyn Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}
