//! Indexing the workspace, and keeping the index of the notes on disk current: tasks the
//! event loop ([`super::main_loop`]) starts, each sending its result back as an [`Event`].
//!
//! An index run: [`discover`] walks the workspace folders (the configured globs,
//! `.gitignore` honoured) and reads the KB files found there and in the configuration (open
//! KB documents keep their editor text); once the KB they make is in force, [`summarise`]
//! runs phase one of the workspace pass ([`Pass`]), in parallel: every note is read,
//! recognised and summarised by its exact mentions (which also tell what the workspace
//! mentions) and its paragraph fingerprints. The index is in force, and `$/progress` ends,
//! as soon as phase one is over; phase two — the near misses of the notes read, confirmed by
//! those facts — runs in the background ([`super::near_misses`]) and brings their final
//! summaries. `$/progress` is reported when the client supports it; a newer run stops an
//! older one between chunks (and its phase two between notes). The pass runs with the index
//! cache (`crate::project::cache::index`, kept by [`super::warm`]): notes whose size and
//! modification time match their record are not read — their summary, near misses included,
//! is final at once — and the last report says how many were read; the cache is written
//! once the notes read are final.
//!
//! Afterwards single notes are re-read when they change on disk or an editor closes them
//! ([`reread`]), and single KB files likewise ([`read_kb_files`]).

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tower_lsp_server::ls_types::ProgressToken;

use super::main_loop::Event;
use super::near_misses::{self, Background};
use super::state::{Shared, State};
use super::warm;
use crate::base::FileId;
use crate::ide::{DocKind, Index};
use crate::kb::is_kb_file;
use crate::project::batch::Pass;
use crate::project::cache::index as cache_index;
use crate::project::discover::discover as discover_files;
use crate::project::kb::{read_kb_file, ParsedText};
use crate::project::read::{read_text, ReadProblem, MAX_NOTE_BYTES};
use crate::project::scope::ReadScope;

/// A KB file read and parsed, or why it could not be read.
pub type KbRead = (PathBuf, Result<ParsedText, ReadProblem>);

/// Read a note for the index (the one reading policy, the server's size limit).
pub(super) fn read_note(path: &Path) -> Result<String, ReadProblem> {
    read_text(path, Some(MAX_NOTE_BYTES))
}

/// An index run waiting for the KB its notes are summarised with.
#[derive(Debug)]
pub struct PendingIndex {
    pub generation: u64,
    pub notes: Vec<PathBuf>,
    pub progress: bool,
}

/// A KB file to take in: read from disk, or the text of its open document.
pub enum KbInput {
    Disk(PathBuf),
    Editor(PathBuf, String),
}

/// The KB files of the workspace (found on disk and named by the configuration), each from
/// disk or, when it is open, with its editor text.
fn wanted_kb_files(state: &State, found: Vec<PathBuf>) -> (Vec<PathBuf>, Vec<KbInput>) {
    let mut wanted = found;
    wanted.extend(state.configured_kb_paths());
    wanted.sort();
    wanted.dedup();
    let inputs = wanted
        .iter()
        .map(|p| {
            match state
                .host
                .document(&FileId::from_path(p))
                .filter(|d| d.kind == DocKind::Kb)
            {
                Some(doc) => KbInput::Editor(p.clone(), doc.text()),
                None => KbInput::Disk(p.clone()),
            }
        })
        .collect();
    (wanted, inputs)
}

/// What KB files may be read from: the workspace folders and `files.allow` (resolved off the
/// lock, in [`read_all`]).
fn scope_of(state: &State) -> (Vec<PathBuf>, Vec<PathBuf>) {
    (state.host.roots().to_vec(), state.host.config().read_allowed.clone())
}

/// Read and parse KB files (on a blocking thread: never under the state lock).
fn read_all(inputs: Vec<KbInput>, (roots, allowed): (Vec<PathBuf>, Vec<PathBuf>)) -> Vec<KbRead> {
    let scope = ReadScope::new(&roots, &allowed);
    inputs
        .into_iter()
        .map(|input| match input {
            KbInput::Disk(p) => {
                let id = FileId::from_path(&p);
                let read = read_kb_file(&p, &scope).map(|text| ParsedText::parse(&id, text.into()));
                (p, read)
            }
            KbInput::Editor(p, text) => {
                let parsed = ParsedText::parse(&FileId::from_path(&p), text.into());
                (p, Ok(parsed))
            }
        })
        .collect()
}

/// Bring the KB sources in line with what was read. `keep`: every KB file of the workspace
/// (the others are forgotten; open KB documents count with their editor text). True when
/// anything changed.
pub fn apply_kb_reads(shared: &Shared, reads: Vec<KbRead>, keep: Option<Vec<PathBuf>>) -> bool {
    let mut state = shared.lock();
    let mut changed = false;
    if let Some(keep) = keep {
        let ids: Vec<FileId> = keep.iter().map(|p| FileId::from_path(p)).collect();
        changed |= state.kb_sources.retain(|f| ids.contains(f));
    }
    for (path, read) in reads {
        changed |= state.kb_sources.apply_parsed_read(&FileId::from_path(&path), read);
    }
    changed
}

/// Start an index run: walk the workspace and read its KB files, off the lock.
pub fn discover(shared: Arc<Shared>, generation: u64, progress: bool) {
    tokio::spawn(async move {
        let (roots, include, exclude) = {
            let state = shared.lock();
            let config = state.host.config();
            (
                state.host.roots().to_vec(),
                config.include.clone(),
                config.exclude.clone(),
            )
        };
        let found = tokio::task::spawn_blocking(move || discover_files(&roots, &include, &exclude))
            .await
            .unwrap_or_default();
        let ((wanted, to_read), scope) = {
            let state = shared.lock();
            (wanted_kb_files(&state, found.kb_files), scope_of(&state))
        };
        let reads = tokio::task::spawn_blocking(move || read_all(to_read, scope))
            .await
            .unwrap_or_default();
        shared.send(Event::KbFilesRead {
            reads,
            keep: Some(wanted),
            index: Some(PendingIndex {
                generation,
                notes: found.seeds,
                progress,
            }),
        });
    });
}

/// Read some KB files again (changed on disk, or closed in the editor).
pub fn read_kb_files(shared: Arc<Shared>, paths: Vec<PathBuf>) {
    let inputs = paths.into_iter().map(KbInput::Disk).collect();
    tokio::spawn(async move {
        let scope = scope_of(&shared.lock());
        let reads = tokio::task::spawn_blocking(move || read_all(inputs, scope))
            .await
            .unwrap_or_default();
        shared.send(Event::KbFilesRead {
            reads,
            keep: None,
            index: None,
        });
    });
}

/// Summarise every note of an index run with the KB in force (the one workspace pass, on a
/// blocking thread); [`Event::Indexed`] brings the index back.
pub fn summarise(shared: Arc<Shared>, run: PendingIndex) {
    tokio::spawn(async move {
        let PendingIndex {
            generation,
            notes,
            progress,
        } = run;
        let (kb, encoding, flags, roots) = {
            let state = shared.lock();
            let roots = state.host.roots().to_vec();
            (state.host.kb().clone(), state.host.encoding(), state.client, roots)
        };
        let reporter = match progress && flags.work_done_progress {
            true => Reporter::begin(&shared, generation, notes.len()).await,
            false => None,
        };
        // Progress goes to the client from a task of its own.
        let (progress_tx, mut progress_rx) = tokio::sync::mpsc::unbounded_channel::<(usize, usize)>();
        let forward = tokio::spawn(async move {
            while let Some((done, total)) = progress_rx.recv().await {
                report(&reporter, done, total + 1).await;
            }
            reporter
        });
        let indexed = {
            let (shared, kb, roots) = (shared.clone(), kb.clone(), roots.clone());
            tokio::task::spawn_blocking(move || {
                let progress = |done: usize, total: usize| {
                    let _ = progress_tx.send((done, total));
                    shared.index_generation.load(Ordering::SeqCst) == generation
                };
                let pass = Pass {
                    kb: &kb.kb,
                    read: &read_note,
                    progress: &progress,
                };
                let started = std::time::Instant::now();
                let cached = shared.warm.load(&roots, &kb, encoding);
                let loaded = started.elapsed();
                let indexed = cache_index::index(&pass, &kb, encoding, notes, cached);
                tracing::debug!(
                    "index: cache loaded in {loaded:?}, pass in {:?}",
                    started.elapsed() - loaded
                );
                indexed
            })
            .await
            .unwrap_or_default()
        };
        let reporter = forward.await.unwrap_or(None);
        let Some(mut indexed) = indexed else {
            return finish(reporter, "superseded").await;
        };
        let reread = format!("{} notes unchanged, {} read", indexed.reused, indexed.read);
        let as_loaded = indexed.as_loaded();
        match shared.warm.cache() {
            Some(cache) => tracing::info!("index cache {}: {reread}", cache.dir.display()),
            None => tracing::info!("index cache off: {} notes read", indexed.read),
        }
        if let Some(r) = &reporter {
            r.progress.report_with_message(reread, 100).await;
        }
        let index = Index {
            files: indexed
                .summaries
                .into_iter()
                .map(|(path, summary)| (FileId::from_path(&path), summary))
                .collect(),
        };
        let pass = std::mem::take(&mut indexed.near_misses);
        shared.send(Event::Indexed {
            generation,
            index,
            progress: reporter.map(IndexProgress),
            near_misses: !pass.is_empty(),
        });
        if shared.index_generation.load(Ordering::SeqCst) != generation {
            return;
        }
        // Once the index is on its way to the event loop: phase two, which writes the cache
        // when it is over, or the cache now when every note was known.
        let records = indexed.notes;
        if pass.is_empty() {
            let shared = shared.clone();
            let _ =
                tokio::task::spawn_blocking(move || shared.warm.indexed(kb, encoding, roots, records, as_loaded)).await;
        } else {
            let job = Background {
                generation,
                kb,
                encoding,
                roots,
                pass,
                records,
            };
            near_misses::start(shared, job);
        }
    });
}

type Progress = tower_lsp_server::OngoingProgress<tower_lsp_server::Bounded, tower_lsp_server::NotCancellable>;

struct Reporter {
    progress: Progress,
}

/// The progress of an index run, ended by the event loop once the index is in force.
pub struct IndexProgress(Reporter);

impl std::fmt::Debug for IndexProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IndexProgress")
    }
}

impl IndexProgress {
    /// End the progress with the number of notes indexed.
    pub async fn finish(self, count: usize) {
        finish(Some(self.0), &notes(count)).await;
    }

    /// End the progress of a run a newer one replaced.
    pub async fn superseded(self) {
        finish(Some(self.0), "superseded").await;
    }
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

/// Re-read one note from disk (changed on disk, or closed in the editor) and summarise it.
pub fn reread(shared: Arc<Shared>, id: FileId) {
    let Some(path) = id.path().map(Path::to_path_buf) else {
        shared.send(Event::DiskNoteRead {
            file: id,
            summary: None,
        });
        return;
    };
    tokio::spawn(async move {
        let (kb, facts, encoding, is_note) = {
            let state = shared.lock();
            (
                state.host.kb().clone(),
                state.host.snapshot().facts,
                state.host.encoding(),
                is_note_path(&state, &path),
            )
        };
        let read = {
            let (kb, path) = (kb.clone(), path.clone());
            tokio::task::spawn_blocking(move || {
                if !is_note {
                    return None;
                }
                cache_index::note(&path, &read_note, &kb, &facts, encoding)
            })
            .await
            .unwrap_or(None)
        };
        let (record, summary) = read.unzip();
        warm::note_read(&shared, &kb, &path, record.flatten());
        shared.send(Event::DiskNoteRead { file: id, summary });
    });
}

/// True when `path` is a note of the workspace by the configured globs.
fn is_note_path(state: &State, path: &Path) -> bool {
    if is_kb_file(path) {
        return false;
    }
    let relative = state.host.roots().iter().find_map(|r| path.strip_prefix(r).ok());
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
    let config = state.host.config();
    set(&config.include).is_match(relative) && !set(&config.exclude).is_match(relative)
}

/// "1 note", "2 notes".
fn notes(count: usize) -> String {
    if count == 1 {
        "1 note".to_string()
    } else {
        format!("{count} notes")
    }
}
