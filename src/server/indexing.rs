//! Indexing the workspace: every seed note of the workspace folders (the configured globs,
//! `.gitignore` honoured, via [`crate::project::discover::discover`]) is read, recognised and
//! summarised once, in parallel: its exact mentions tell what the workspace mentions
//! ([`WorkspaceFacts`]), and its summary is final unless the facts confirm one of its near
//! misses that the note alone does not ([`near_miss::NearMisses::waiting_for`]) — only such a
//! note is read a second time, once every note has been read. `$/progress` is reported when the client supports it. The KB
//! files found on the way are loaded first.
//!
//! Afterwards single files are re-read when they change on disk (watched files) or when an
//! editor closes them. A run that has been superseded by a newer one stops between chunks.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tower_lsp_server::ls_types::{FileChangeType, FileEvent, ProgressToken};

use super::documents::DocKind;
use super::publisher;
use super::state::{Shared, State, Work};
use crate::analysis::facts::WorkspaceFacts;
use crate::analysis::recognize::{near_miss, recognize, Recognition};
use crate::base::{FileId, LineIndex, PositionEncoding};
use crate::ide::{FileSummary, Index, KbSet};
use crate::kb::{EntityId, KB_FILE_NAME};
use crate::project::batch::Pass;
use crate::project::discover::{discover, is_kb_file};
use crate::project::kb::read_kb_file;
use crate::project::read::{read_text, ReadProblem, MAX_NOTE_BYTES};
use crate::proto::convert;

/// Read a note for the index (the one reading policy, the server's size limit).
fn read_note(path: &Path) -> Result<String, ReadProblem> {
    read_text(path, Some(MAX_NOTE_BYTES))
}

/// [`read_note`], with a warning when the note cannot be indexed.
fn read_note_or_warn(path: &Path) -> Option<String> {
    read_note(path)
        .map_err(|e| tracing::warn!("not indexing {}: {e}", path.display()))
        .ok()
}

/// Summarise a note as it is on disk: its mentions, near misses included, with their spans.
pub fn summarize(text: &str, kb: &KbSet, facts: &WorkspaceFacts, encoding: PositionEncoding) -> FileSummary {
    let mut recognition = recognize(text, &kb.kb);
    near_miss::add_near_misses(text, &kb.kb, &mut recognition, facts);
    FileSummary::new(&recognition.mentions, kb).with_spans(text, &LineIndex::new(text), encoding)
}

/// A note after the one read of an index run: its summary, final unless a near miss that
/// only the workspace facts can confirm is confirmed by them.
struct ReadNote {
    summary: FileSummary,
    /// The entities whose mention elsewhere would confirm a near miss of this note.
    waiting_for: Vec<EntityId>,
}

/// A note recognised in pass one, summarised as it is when the rest of the workspace
/// confirms none of its near misses.
fn read_once(text: &str, recognition: Recognition, kb: &KbSet, encoding: PositionEncoding) -> ReadNote {
    let near = near_miss::find_near_misses(text, &kb.kb, &recognition);
    let waiting_for = near.waiting_for(&kb.kb);
    let mut mentions = recognition.mentions;
    near.apply(&kb.kb, &mut mentions, &mut Vec::new(), &WorkspaceFacts::default());
    let summary = FileSummary::new(&mentions, kb).with_spans(text, &LineIndex::new(text), encoding);
    ReadNote { summary, waiting_for }
}

impl ReadNote {
    /// The summary given the workspace facts: the one made, or — when the facts confirm one of
    /// the note's near misses — the note summarised again (rare: a misspelt name whose entity
    /// the note never names correctly). `None` when the note can no longer be read.
    fn summary(
        self,
        path: &Path,
        kb: &KbSet,
        facts: &WorkspaceFacts,
        encoding: PositionEncoding,
    ) -> Option<FileSummary> {
        if self.waiting_for.iter().all(|&e| facts.mentions(e) == 0) {
            return Some(self.summary);
        }
        read_note_or_warn(path).map(|text| summarize(&text, kb, facts, encoding))
    }
}

/// Read KB files on a blocking thread (never under the state lock: a file may be slow, or a
/// FIFO, which the reading policy refuses).
async fn read_kb_files(paths: Vec<PathBuf>) -> Vec<(PathBuf, Result<String, ReadProblem>)> {
    tokio::task::spawn_blocking(move || paths.into_iter().map(|p| (p.clone(), read_kb_file(&p))).collect())
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
        changed |= state.kb_sources.apply_read(&FileId::from_path(&path), read);
    }
    changed
}

/// Reload one KB file from disk (closed in the editor, or changed on disk).
pub async fn reload_kb_file(shared: &Shared, path: PathBuf) -> bool {
    let reads = read_kb_files(vec![path]).await;
    let mut state = shared.lock();
    reads.into_iter().fold(false, |changed, (path, read)| {
        state.kb_sources.apply_read(&FileId::from_path(&path), read) | changed
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
    // The one workspace pass, on a blocking thread: pass one recognises every note once
    // (exact mentions → facts, and a provisional summary); pass two keeps each summary, or
    // summarises again a note whose near miss only the facts confirm. Progress goes to the
    // client from a task of its own; a newer run stops this one between chunks.
    let (progress_tx, mut progress_rx) = tokio::sync::mpsc::unbounded_channel::<(usize, usize)>();
    let forward = tokio::spawn(async move {
        while let Some((done, total)) = progress_rx.recv().await {
            report(&reporter, done, total + 1).await;
        }
        reporter
    });
    let index = {
        let shared = shared.clone();
        tokio::task::spawn_blocking(move || {
            let kb = &kb;
            let progress = |done: usize, total: usize| {
                let _ = progress_tx.send((done, total));
                shared.index_generation.load(Ordering::SeqCst) == generation
            };
            let pass = Pass {
                kb: &kb.kb,
                read: &read_note,
                progress: &progress,
            };
            let summaries = pass.run(
                found.seeds,
                |_, text, recognition| read_once(&text, recognition, kb, encoding),
                |path, note, facts| {
                    let note = note
                        .map_err(|e| tracing::warn!("not indexing {}: {e}", path.display()))
                        .ok()?;
                    let summary = note.summary(&path, kb, facts, encoding)?;
                    Some((FileId::from_path(&path), Arc::new(summary)))
                },
            )?;
            Some(Index {
                files: summaries.into_iter().flatten().collect(),
            })
        })
        .await
        .unwrap_or_default()
    };
    let reporter = forward.await.unwrap_or(None);
    let Some(index) = index else {
        finish(reporter, "superseded").await;
        return;
    };
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
            read_note_or_warn(&path).map(|text| Arc::new(summarize(&text, &kb, &facts, encoding)))
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
                state.prh.files().any(|f| f == path) || state.config.prh_paths.contains(&path),
            )
        };
        if path
            .file_name()
            .is_some_and(|n| n == crate::analysis::settings::CONFIG_FILE)
            || prh_dictionary
        {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// One read per note gives the summaries two passes (exact mentions, then a full
    /// recognition with the facts) give, near misses confirmed by other notes included.
    #[test]
    fn one_read_summarises_as_two_passes_do() {
        let (kb, texts) = crate::project::kb::KbSources::default().build();
        let kb = KbSet::new(Arc::new(kb), texts, None, &mut crate::ide::Keys::default(), 1);
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut texts: Vec<String> = std::fs::read_dir(seeds)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        // A note whose near misses only the others confirm.
        texts.push("トカレフ氏と会談したペスコブ報道官は、ドネツク民共和国について述べた。\n".into());
        texts.push("昨日、ゼレンスキが語ったところでは、支援は続く。\n".into());
        let mut two_pass_facts = WorkspaceFacts::new(&kb.kb);
        for text in &texts {
            two_pass_facts.add_mentions(
                FileSummary::new(&recognize(text, &kb.kb).mentions, &kb)
                    .exact_entities(&kb)
                    .collect::<Vec<_>>(),
                false,
            );
        }
        let dir = tempfile::tempdir().unwrap();
        let mut one_read_facts = WorkspaceFacts::new(&kb.kb);
        let mut read = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            let path = dir.path().join(format!("{i}.txt"));
            std::fs::write(&path, text).unwrap();
            let recognition = recognize(text, &kb.kb);
            one_read_facts.add_mentions(recognition.exact_entities(&kb.kb).collect::<Vec<_>>(), false);
            let note = read_once(text, recognition, &kb, PositionEncoding::Utf16);
            read.push((path, note));
        }
        assert_eq!(one_read_facts, two_pass_facts);
        // The last note's near miss waits for the others.
        assert!(read
            .last()
            .unwrap()
            .1
            .waiting_for
            .iter()
            .any(|&e| one_read_facts.mentions(e) > 0));
        for (text, (path, note)) in texts.iter().zip(read) {
            let expected = summarize(text, &kb, &two_pass_facts, PositionEncoding::Utf16);
            assert_eq!(
                note.summary(&path, &kb, &one_read_facts, PositionEncoding::Utf16),
                Some(expected)
            );
        }
    }
}
