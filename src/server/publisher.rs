//! The diagnostics publisher: one task that receives [`Work`] in the order things happened
//! and publishes `textDocument/publishDiagnostics`.
//!
//! Debouncing is by coalescing, not by a timer: whatever arrived while the previous batch
//! was being analysed is taken as one batch, each note is analysed once at its latest
//! version, and a version already published is not published again. The last state of
//! every note is always published, with its version. All publishing goes through this one
//! task, so a "clear" on close can never be overtaken by a late result.
//!
//! KB files get diagnostics too (TOML and schema errors at their line and column), and a
//! KB change re-checks every open note and schedules a re-index of the notes on disk.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedReceiver;
use tower_lsp_server::ls_types::Uri;

use super::documents::DocKind;
use super::state::{Shared, Work};
use super::{indexing, snapshot};
use crate::base::LineIndex;
use crate::ide::FileId;
use crate::proto::convert;

/// How long the notes on disk wait after a KB change before being re-indexed (KB edits come
/// in bursts while typing).
const REINDEX_DELAY: Duration = Duration::from_millis(300);

pub async fn run(shared: Arc<Shared>, mut work: UnboundedReceiver<Work>) {
    while let Some(first) = work.recv().await {
        let mut batch = vec![first];
        while let Ok(more) = work.try_recv() {
            batch.push(more);
        }
        process(&shared, batch).await;
    }
}

async fn process(shared: &Arc<Shared>, batch: Vec<Work>) {
    let mut notes: Vec<FileId> = Vec::new();
    let mut kb_changed = false;
    let mut refresh = false;
    for item in batch {
        match item {
            Work::Changed(id) => {
                let kind = shared.lock().docs.get(&id).map(|d| d.kind);
                match kind {
                    Some(DocKind::Seed) if !notes.contains(&id) => notes.push(id),
                    Some(DocKind::Kb) => {
                        let mut state = shared.lock();
                        if let Some(text) = state.docs.get(&id).map(|d| d.text()) {
                            kb_changed |= state.kb_sources.set_text(&id, text.into());
                        }
                    }
                    _ => {}
                }
            }
            Work::Closed(id, uri, kind) => {
                notes.retain(|n| n != &id);
                match kind {
                    DocKind::Seed => publish(shared, uri, Vec::new(), None).await,
                    // The disk version of a KB file counts again.
                    DocKind::Kb => {
                        if let Some(path) = id.path() {
                            kb_changed |= indexing::reload_kb_file(shared, path.to_path_buf()).await;
                        }
                    }
                    DocKind::Config => {}
                }
                if kind == DocKind::Seed {
                    indexing::reread(shared.clone(), id);
                }
            }
            Work::KbChanged => kb_changed = true,
            Work::Refresh => refresh = true,
        }
    }
    if kb_changed {
        shared.lock().rebuild_kb();
        publish_kb_problems(shared).await;
        schedule_reindex(shared.clone());
        refresh_views(shared);
        refresh = true;
    }
    if refresh {
        let state = shared.lock();
        for (id, doc) in &state.docs {
            if doc.kind == DocKind::Seed && !notes.contains(id) {
                notes.push(id.clone());
            }
        }
    }
    for id in notes {
        publish_note(shared, &id).await;
    }
}

/// Analyse one open note if needed and publish its diagnostics unless already published.
async fn publish_note(shared: &Arc<Shared>, id: &FileId) {
    let Some((world, file)) = snapshot::analysed(shared, id).await else {
        return;
    };
    let uri = {
        let mut state = shared.lock();
        let Some(doc) = state.docs.get_mut(id) else { return };
        let is_latest = doc.analysis.as_ref().is_some_and(|a| Arc::ptr_eq(a, &file));
        if !is_latest || doc.published == Some(doc.analysed) {
            return;
        }
        doc.published = Some(doc.analysed);
        doc.uri.clone()
    };
    let encoding = world.encoding;
    let locale = world.config.locale;
    let diagnostics = tokio::task::spawn_blocking({
        let file = file.clone();
        let uri = uri.clone();
        move || {
            let started = std::time::Instant::now();
            let diagnostics = match file.analysed {
                true => convert::diagnostics(&file, &uri, locale, encoding),
                false => vec![convert::too_large(file.text.len(), locale)],
            };
            tracing::debug!("converted {} diagnostics in {:?}", diagnostics.len(), started.elapsed());
            diagnostics
        }
    })
    .await
    .unwrap_or_default();
    let started = std::time::Instant::now();
    publish(shared, uri, diagnostics, Some(file.version)).await;
    tracing::debug!("published {} v{} in {:?}", id, file.version, started.elapsed());
}

async fn publish(
    shared: &Shared,
    uri: Uri,
    diagnostics: Vec<tower_lsp_server::ls_types::Diagnostic>,
    version: Option<i32>,
) {
    shared.client.publish_diagnostics(uri, diagnostics, version).await;
}

/// Publish the problems of every KB file (and clear files whose problems are gone).
pub async fn publish_kb_problems(shared: &Arc<Shared>) {
    let (batches, cleared) = {
        let mut state = shared.lock();
        let encoding = state.encoding;
        let mut batches = Vec::new();
        let mut with_problems = HashSet::new();
        for (file, text, problems) in state.kb_sources.problems() {
            let index = LineIndex::new(&text);
            let diagnostics: Vec<_> = problems
                .iter()
                .map(|p| convert::kb_diagnostic(&text, &index, p.range.unwrap_or_default(), &p.message, encoding))
                .collect();
            let had = state.kb_files_with_problems.contains(&file);
            if diagnostics.is_empty() && !had {
                continue;
            }
            if !diagnostics.is_empty() {
                with_problems.insert(file.clone());
            }
            let version = state.docs.get(&file).map(|d| d.version);
            if let Some(uri) = state.uri_of(&file) {
                batches.push((uri, diagnostics, version));
            }
        }
        let cleared: Vec<Uri> = state
            .kb_files_with_problems
            .iter()
            .filter(|f| !state.kb_sources.contains(f))
            .filter_map(|f| state.uri_of(f))
            .collect();
        state.kb_files_with_problems = with_problems;
        (batches, cleared)
    };
    for (uri, diagnostics, version) in batches {
        publish(shared, uri, diagnostics, version).await;
    }
    for uri in cleared {
        publish(shared, uri, Vec::new(), None).await;
    }
}

/// Ask the client to re-request the views that depend on the KB, the counts or the
/// configuration (semantic tokens, code lenses, inlay hints), where it supports that. The
/// requests run on their own task: the client's answer is never waited for here.
pub fn refresh_views(shared: &Arc<Shared>) {
    let flags = shared.lock().client;
    let client = shared.client.clone();
    tokio::spawn(async move {
        if flags.refresh_semantic_tokens {
            let _ = client.semantic_tokens_refresh().await;
        }
        if flags.refresh_code_lenses {
            let _ = client.code_lens_refresh().await;
        }
        if flags.refresh_inlay_hints {
            let _ = client.inlay_hint_refresh().await;
        }
    });
}

/// Re-index the notes on disk after a KB change, once the KB has stopped changing.
fn schedule_reindex(shared: Arc<Shared>) {
    let generation = shared.lock().kb.generation;
    tokio::spawn(async move {
        tokio::time::sleep(REINDEX_DELAY).await;
        if shared.lock().kb.generation == generation {
            indexing::index_workspace(shared, false).await;
        }
    });
}
