//! Indexing the workspace: every seed note of the workspace folders (the configured globs,
//! `.gitignore` honoured, via [`crate::workspace::discover`]) is read and summarised in
//! parallel, in two passes like `seed-lsp check` — exact mentions first to learn what the
//! workspace mentions ([`WorkspaceFacts`]), then near misses confirmed against those facts —
//! reporting `$/progress` when the client supports it. The KB files found on the way are
//! loaded first.
//!
//! Afterwards single files are re-read when they change on disk (watched files) or when an
//! editor closes them. A run that has been superseded by a newer one stops between chunks.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use rayon::prelude::*;
use tower_lsp_server::ls_types::{FileChangeType, FileEvent, ProgressToken};

use super::documents::DocKind;
use super::state::{Shared, State, Work};
use super::{convert, publisher, MAX_NOTE_BYTES};
use crate::ide::{FileId, FileSummary, Index, KbSet};
use crate::recognize::{near_miss, recognize};
use crate::text::{LineIndex, PositionEncoding};
use crate::workspace::{discover, is_kb_file, WorkspaceFacts, KB_FILE_NAME};

/// Read a note for the index: `None` (with a warning) when it cannot be read, is not
/// UTF-8, or is too large to analyse.
fn read_note(path: &Path) -> Option<String> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_NOTE_BYTES as u64 {
        tracing::warn!(
            "not indexing {}: {size} bytes is over the {MAX_NOTE_BYTES}-byte limit",
            path.display()
        );
        return None;
    }
    super::read_text(path)
        .map_err(|e| tracing::warn!("not indexing {}: {e}", path.display()))
        .ok()
}

/// Summarise a note as it is on disk: its mentions, near misses included, with their spans.
pub fn summarize(text: &str, kb: &KbSet, facts: &WorkspaceFacts, encoding: PositionEncoding) -> FileSummary {
    let mut recognition = recognize(text, &kb.kb);
    near_miss::add_near_misses(text, &kb.kb, &mut recognition, facts);
    FileSummary::new(&recognition.mentions, kb).with_spans(text, &LineIndex::new(text), encoding)
}

/// Read KB files on a blocking thread (never under the state lock: a file may be slow, or a
/// FIFO, which [`super::read_text`] refuses).
async fn read_kb_files(paths: Vec<PathBuf>) -> Vec<(PathBuf, std::io::Result<String>)> {
    tokio::task::spawn_blocking(move || paths.into_iter().map(|p| (p.clone(), super::read_text(&p))).collect())
        .await
        .unwrap_or_default()
}

/// Bring the KB sources in line with the KB files found on disk and in the configuration
/// (open KB documents keep their editor text). True when anything changed.
pub async fn sync_kb_sources(shared: &Shared, found: Vec<PathBuf>) -> bool {
    let (wanted, to_read) = {
        let state = shared.lock();
        let mut wanted = found;
        wanted.extend(state.configured_kb_paths());
        wanted.sort();
        wanted.dedup();
        let to_read: Vec<PathBuf> = wanted
            .iter()
            .filter(|p| {
                !state
                    .docs
                    .get(&FileId::from_path(p))
                    .is_some_and(|d| d.kind == DocKind::Kb)
            })
            .cloned()
            .collect();
        (wanted, to_read)
    };
    let reads = read_kb_files(to_read).await;
    let mut state = shared.lock();
    let ids: Vec<FileId> = wanted.iter().map(|p| FileId::from_path(p)).collect();
    let mut changed = state.kb_sources.retain(|f| ids.contains(f));
    for id in &ids {
        if let Some(text) = state.docs.get(id).filter(|d| d.kind == DocKind::Kb).map(|d| d.text()) {
            changed |= state.kb_sources.set_text(id, text.into());
        }
    }
    for (path, read) in reads {
        changed |= state.kb_sources.apply_read(&path, read);
    }
    changed
}

/// Reload one KB file from disk (closed in the editor, or changed on disk).
pub async fn reload_kb_file(shared: &Shared, path: PathBuf) -> bool {
    let reads = read_kb_files(vec![path]).await;
    let mut state = shared.lock();
    reads.into_iter().fold(false, |changed, (path, read)| {
        state.kb_sources.apply_read(&path, read) | changed
    })
}

/// Find and load the workspace's KB files (at `initialize`, before any note is analysed).
pub async fn load_kb(shared: &Arc<Shared>) {
    let (roots, include, exclude) = {
        let state = shared.lock();
        (
            state.roots.to_vec(),
            state.config.include.clone(),
            state.config.exclude.clone(),
        )
    };
    let found = tokio::task::spawn_blocking(move || discover(&roots, &include, &exclude).kb_files)
        .await
        .unwrap_or_default();
    sync_kb_sources(shared, found).await;
    shared.lock().rebuild_kb();
}

/// Index every note of the workspace; `progress`: report `$/progress` if the client can.
pub async fn index_workspace(shared: Arc<Shared>, progress: bool) {
    let generation = shared.index_generation.fetch_add(1, Ordering::SeqCst) + 1;
    let current = || shared.index_generation.load(Ordering::SeqCst) == generation;
    let (roots, include, exclude, flags) = {
        let mut state = shared.lock();
        state.indexing = true;
        (
            state.roots.to_vec(),
            state.config.include.clone(),
            state.config.exclude.clone(),
            state.client,
        )
    };
    let found = tokio::task::spawn_blocking(move || discover(&roots, &include, &exclude))
        .await
        .unwrap_or_default();
    let kb_changed = sync_kb_sources(&shared, found.kb_files.clone()).await;
    if kb_changed {
        shared.lock().rebuild_kb();
    }
    if kb_changed {
        publisher::publish_kb_problems(&shared).await;
        shared.send(Work::Refresh);
    }
    let reporter = match progress && flags.work_done_progress {
        true => Reporter::begin(&shared, generation, found.seeds.len()).await,
        false => None,
    };
    let (kb, encoding) = {
        let state = shared.lock();
        (state.kb.clone(), state.encoding)
    };
    let files = found.seeds;
    let chunk = (files.len() / 20).clamp(32, 1024);
    let total_steps = files.len() * 2;
    // Pass 1: exact mentions → facts.
    let mut facts = WorkspaceFacts::new(&kb.kb);
    for (i, paths) in files.chunks(chunk).enumerate() {
        if !current() {
            finish(reporter, "superseded").await;
            return;
        }
        let paths = paths.to_vec();
        let kb = kb.clone();
        let exact = tokio::task::spawn_blocking(move || {
            paths
                .par_iter()
                .filter_map(|p| read_note(p))
                .flat_map_iter(|text| {
                    FileSummary::new(&recognize(&text, &kb.kb).mentions, &kb)
                        .exact_entities(&kb)
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        })
        .await
        .unwrap_or_default();
        facts.add_mentions(exact, false);
        report(&reporter, (i + 1) * chunk, total_steps).await;
    }
    // Pass 2: summaries with near misses and spans.
    let facts = Arc::new(facts);
    let mut index = Index::default();
    for (i, paths) in files.chunks(chunk).enumerate() {
        if !current() {
            finish(reporter, "superseded").await;
            return;
        }
        let paths = paths.to_vec();
        let (kb, facts) = (kb.clone(), facts.clone());
        let summaries = tokio::task::spawn_blocking(move || {
            paths
                .par_iter()
                .filter_map(|p| {
                    let text = read_note(p)?;
                    Some((FileId::from_path(p), Arc::new(summarize(&text, &kb, &facts, encoding))))
                })
                .collect::<Vec<_>>()
        })
        .await
        .unwrap_or_default();
        index.files.extend(summaries);
        report(&reporter, files.len() + (i + 1) * chunk, total_steps).await;
    }
    let count = index.files.len();
    {
        let mut state = shared.lock();
        if !current() {
            return;
        }
        state.install_index(index);
        state.indexing = false;
    }
    tracing::info!("indexed {count} notes");
    shared.send(Work::Refresh);
    publisher::refresh_views(&shared);
    finish(reporter, &notes(count)).await;
}

type Progress = tower_lsp_server::OngoingProgress<tower_lsp_server::Bounded, tower_lsp_server::NotCancellable>;

struct Reporter {
    progress: Progress,
}

impl Reporter {
    async fn begin(shared: &Shared, generation: u64, files: usize) -> Option<Reporter> {
        let token = ProgressToken::String(format!("seed-lsp/indexing/{generation}"));
        if let Err(e) = shared.client.create_work_done_progress(token.clone()).await {
            tracing::debug!("no progress reporting: {e}");
            return None;
        }
        let progress = shared
            .client
            .progress(token, "Indexing seeds")
            .with_percentage(0)
            .with_message(notes(files))
            .begin()
            .await;
        Some(Reporter { progress })
    }
}

async fn report(reporter: &Option<Reporter>, done: usize, total: usize) {
    if let Some(r) = reporter {
        let percentage = (done.min(total) * 100 / total.max(1)) as u32;
        r.progress.report(percentage).await;
    }
}

async fn finish(reporter: Option<Reporter>, message: &str) {
    if let Some(r) = reporter {
        r.progress.finish_with_message(message.to_string()).await;
    }
}

/// Re-read one note from disk (changed on disk, or closed in the editor) and update the index.
pub fn reread(shared: Arc<Shared>, id: FileId) {
    let Some(path) = id.path().map(Path::to_path_buf) else {
        shared.lock().update_indexed_file(&id, None);
        return;
    };
    tokio::spawn(async move {
        let (kb, facts, encoding, is_seed) = {
            let state = shared.lock();
            (
                state.kb.clone(),
                state.facts.clone(),
                state.encoding,
                is_seed_path(&state, &path),
            )
        };
        let summary = tokio::task::spawn_blocking(move || {
            if !is_seed {
                return None;
            }
            read_note(&path).map(|text| Arc::new(summarize(&text, &kb, &facts, encoding)))
        })
        .await
        .unwrap_or(None);
        if shared.lock().update_indexed_file(&id, summary) {
            shared.send(Work::Refresh);
        }
    });
}

/// True when `path` is a note of the workspace by the configured globs.
fn is_seed_path(state: &State, path: &Path) -> bool {
    if is_kb_file(path) {
        return false;
    }
    let relative = state.roots.iter().find_map(|r| path.strip_prefix(r).ok());
    let Some(relative) = relative else { return false };
    let set = |globs: &[String]| {
        let mut builder = globset::GlobSetBuilder::new();
        for g in globs {
            if let Ok(glob) = globset::Glob::new(g) {
                builder.add(glob);
            }
        }
        builder.build().unwrap_or_else(|_| globset::GlobSet::empty())
    };
    set(&state.config.include).is_match(relative) && !set(&state.config.exclude).is_match(relative)
}

/// Files created, changed or deleted on disk (`workspace/didChangeWatchedFiles`); true when
/// the configuration file or a prh dictionary changed.
pub async fn changed_on_disk(shared: &Arc<Shared>, events: Vec<FileEvent>) -> bool {
    let mut kb_changed = false;
    let mut config_changed = false;
    for event in events {
        let id = convert::file_id(&event.uri);
        let Some(path) = id.path().map(Path::to_path_buf) else {
            continue;
        };
        let (open_kind, configured_kb, prh_dictionary) = {
            let state = shared.lock();
            (
                state.docs.get(&id).map(|d| d.kind),
                state.configured_kb_paths().contains(&path),
                state.config.prh.files().any(|f| f == path) || state.config.prh_paths.contains(&path),
            )
        };
        if path.file_name().is_some_and(|n| n == crate::config::CONFIG_FILE) || prh_dictionary {
            config_changed = true;
        } else if path.file_name().is_some_and(|n| n == KB_FILE_NAME) || configured_kb {
            if open_kind == Some(DocKind::Kb) {
                continue; // the editor's text wins while it is open
            }
            kb_changed |= if event.typ == FileChangeType::DELETED {
                shared.lock().kb_sources.retain(|f| f != &id)
            } else {
                reload_kb_file(shared, path).await
            };
        } else {
            reread(shared.clone(), id);
        }
    }
    if kb_changed {
        shared.send(Work::KbChanged);
    }
    config_changed
}

/// "1 note", "2 notes".
fn notes(count: usize) -> String {
    if count == 1 {
        "1 note".to_string()
    } else {
        format!("{count} notes")
    }
}
