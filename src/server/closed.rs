//! The diagnostics of closed notes, for the pull requests ([`super::handlers::diagnostics`])
//! and for clients that cannot pull (pushed by the event loop, [`push`]).
//!
//! A closed note is read from disk (the one reading policy, the server's size limit),
//! analysed ([`crate::ide::diagnostics::ClosedInputs::analyse`]) and converted off the lock,
//! a chunk of notes at a time on a one-thread rayon pool of its own — a bounded share of the
//! machine, so hovers and edits stay quick while a large vault is checked. Nothing of a closed note is
//! kept — neither its text nor its diagnostics (on 10k notes they would weigh more than the
//! whole index): a client that sends back the result ids it was given is answered
//! "unchanged" without any reading, and the push route remembers only the result ids it
//! pushed ([`super::publish`]).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use tokio::sync::mpsc;
use tower_lsp_server::ls_types::{self as lsp, Uri};

use super::main_loop::Event;
use super::state::Shared;
use crate::base::Locale;
use crate::ide::diagnostics::{ClosedInputs, ClosedNotes};
use crate::ide::{FileId, OpenFile, PositionEncoding};
use crate::project::read::{read_text, MAX_NOTE_BYTES};
use crate::proto::convert;

/// How many notes are diagnosed per step (one step at a time, on the pool of [`pool`]).
pub const CHUNK: usize = 64;

/// One closed note's diagnostics, made for `result_id`.
#[derive(Clone, Debug)]
pub struct Report {
    pub file: FileId,
    pub uri: Uri,
    pub result_id: String,
    pub diagnostics: Arc<Vec<lsp::Diagnostic>>,
}

/// The diagnostics of an analysed note (open or closed) for the client.
pub fn note_diagnostics(
    file: &OpenFile,
    uri: &Uri,
    locale: Locale,
    encoding: PositionEncoding,
) -> Vec<lsp::Diagnostic> {
    match file.analysed {
        true => convert::diagnostics(file, uri, locale, encoding),
        false => vec![convert::too_large(file.text.len(), MAX_NOTE_BYTES, locale)],
    }
}

/// Diagnose the closed notes `closed`, a chunk at a time, in their order; each chunk's
/// reports come through the channel (a note that can no longer be read has none). The work
/// stops when the receiver is dropped (the request was cancelled, or a newer run began).
pub fn diagnose(shared: Arc<Shared>, closed: ClosedNotes) -> mpsc::Receiver<Vec<Report>> {
    let (tx, rx) = mpsc::channel(2);
    tokio::spawn(async move {
        let encoding = shared.lock().host.encoding();
        let inputs = Arc::new(closed.inputs);
        for chunk in closed.notes.chunks(CHUNK) {
            let todo: Vec<(FileId, String)> = chunk
                .iter()
                .map(|(file, mark)| (file.clone(), inputs.result_id(*mark)))
                .collect();
            let inputs = inputs.clone();
            let reports = tokio::task::spawn_blocking(move || {
                let run = || {
                    todo.into_iter()
                        .filter_map(|(file, result_id)| diagnose_one(&inputs, file, result_id, encoding))
                        .collect::<Vec<_>>()
                };
                match pool() {
                    Some(pool) => pool.install(run),
                    None => run(),
                }
            })
            .await
            .unwrap_or_default();
            if tx.send(reports).await.is_err() {
                return;
            }
        }
    });
    rx
}

/// The pool closed notes are analysed on: one thread, so that the analysis (which fans out
/// over rayon) leaves the other cores to open notes and requests.
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "seed-lsp-closed".to_string())
            .build()
            .map_err(|e| tracing::warn!("no pool of its own for closed notes: {e}"))
            .ok()
    })
    .as_ref()
}

/// Read, analyse and convert one closed note (`None` when it cannot be read).
fn diagnose_one(inputs: &ClosedInputs, file: FileId, result_id: String, encoding: PositionEncoding) -> Option<Report> {
    let uri = convert::uri_of(&file)?;
    let text = read_text(file.path()?, Some(MAX_NOTE_BYTES))
        .map_err(|e| tracing::debug!("not diagnosing {file}: {e}"))
        .ok()?;
    let analysed = inputs.analyse(file.clone(), text);
    let diagnostics = Arc::new(note_diagnostics(&analysed, &uri, inputs.config.locale, encoding));
    Some(Report {
        file,
        uri,
        result_id,
        diagnostics,
    })
}

/// Start a push run for a client that cannot pull: diagnose the closed notes whose
/// diagnostics were not published for their current result id (`published`), and hand each
/// chunk to the event loop ([`Event::ClosedDiagnosed`], tagged with `run`), which publishes.
pub fn push(shared: Arc<Shared>, run: u64, published: HashMap<FileId, String>) {
    tokio::spawn(async move {
        let mut closed = shared.lock().host.closed_notes();
        let inputs = closed.inputs.clone();
        closed
            .notes
            .retain(|(file, mark)| published.get(file) != Some(&inputs.result_id(*mark)));
        if closed.notes.is_empty() {
            return;
        }
        let mut chunks = diagnose(shared.clone(), closed);
        while let Some(reports) = chunks.recv().await {
            if shared.closed_run.load(std::sync::atomic::Ordering::SeqCst) != run {
                return; // a newer run took over
            }
            shared.send(Event::ClosedDiagnosed { run, reports });
        }
    });
}
