//! The event loop: the one task that changes the workspace model and the one place that
//! publishes (as texlab's `server.rs` does). Document sync ([`super::ordered`]), the request
//! handlers, file watching, indexing and configuration loading send it an [`Event`]; long
//! work — reading files, building a KB, indexing the workspace — runs on tasks of its own
//! that send their result back as another event, so the loop itself only ever waits for an
//! analysis of an open note or for a message to be written.
//!
//! Closed notes' diagnostics are pushed only to a client that cannot pull them, in the
//! `workspace` scope: a push run ([`closed::push`]) diagnoses the notes whose result id
//! changed, off the loop, and hands each chunk back ([`Event::ClosedDiagnosed`]); a newer run
//! supersedes it. A client that pulls is asked to pull again (`workspace/diagnostic/refresh`)
//! when the KB, the settings or what the workspace names changed.
//!
//! Debouncing is by coalescing, not by a timer: whatever arrived while the previous batch
//! was processed is taken as one batch, each note is analysed once at its latest version,
//! and a version already published is not published again. The last state of every note is
//! always published, with its version, and a "clear" on close can never be overtaken by a
//! late result.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedReceiver;
use tower_lsp_server::ls_types::{FileChangeType, FileEvent, Uri};

use super::closed::{self, Report};
use super::indexing::{self, IndexProgress, KbRead, PendingIndex};
use super::publish::Publisher;
use super::settings::LoadedConfig;
use super::state::Shared;
use crate::analysis::settings::DiagnosticsScope;
use crate::ide::{Change, DocKind, FileId, FileSummary, Index, KbSet};
use crate::kb::{is_kb_file, KbError};
use crate::project::kb::ParsedText;
use crate::proto::convert;

/// How long the notes on disk wait after a KB change before being re-indexed (KB edits come
/// in bursts while typing).
const REINDEX_DELAY: Duration = Duration::from_millis(300);

/// Work for the event loop, in the order it happened.
#[derive(Debug)]
pub enum Event {
    /// The client is initialised: publish the KB problems and index the workspace.
    Initialized,
    /// An open document was opened or edited: re-check it (a note) or rebuild the KB (a KB
    /// file).
    DocumentChanged(FileId),
    /// A document was closed: clear its diagnostics and go back to its disk version.
    DocumentClosed { file: FileId, uri: Uri, kind: DocKind },
    /// Index the workspace (`progress`: report `$/progress` if the client can).
    Index { progress: bool },
    /// KB files read from disk. `keep`: every KB file of the workspace (forget the others);
    /// `index`: an index run that waits for the KB they make.
    KbFilesRead {
        reads: Vec<KbRead>,
        keep: Option<Vec<PathBuf>>,
        index: Option<PendingIndex>,
    },
    /// A KB built from the sources, outside the lock.
    KbBuilt {
        generation: u64,
        kb: Arc<KbSet>,
        errors: Vec<KbError>,
    },
    /// A KB change has settled: re-index the notes on disk if the KB is still `generation`.
    KbSettled { generation: u64 },
    /// The workspace was indexed by run `generation` (whose progress ends when it is in
    /// force); `near_misses`: its background phase is under way.
    Indexed {
        generation: u64,
        index: Index,
        progress: Option<IndexProgress>,
        near_misses: bool,
    },
    /// Summaries run `generation`'s background phase completed with their near misses
    /// (`super::near_misses`); `done`: the last of them.
    NearMisses {
        generation: u64,
        found: Vec<(FileId, Arc<FileSummary>)>,
        done: bool,
    },
    /// One note on disk was read again (`None`: gone, or not a note).
    DiskNoteRead {
        file: FileId,
        summary: Option<Arc<FileSummary>>,
    },
    /// Files created, changed or deleted on disk (`workspace/didChangeWatchedFiles`).
    FilesChanged(Vec<FileEvent>),
    /// The configuration was read (from its three places) and the prh dictionaries it names.
    ConfigLoaded(LoadedConfig),
    /// Something every open note depends on changed: re-check them.
    Refresh,
    /// Closed notes diagnosed by push run `run`, to publish (a client that cannot pull).
    ClosedDiagnosed { run: u64, reports: Vec<Report> },
}

pub async fn run(shared: Arc<Shared>, mut events: UnboundedReceiver<Event>) {
    let mut lp = Loop {
        publisher: Publisher::new(shared.clone()),
        shared,
        kb_builds: 0,
        pending_index: None,
        changed_while_indexing: Vec::new(),
        near_misses_renamed: false,
    };
    while let Some(first) = events.recv().await {
        let mut batch = vec![first];
        while let Ok(more) = events.try_recv() {
            batch.push(more);
        }
        lp.process(batch).await;
    }
}

struct Loop {
    shared: Arc<Shared>,
    publisher: Publisher,
    /// The generation of the latest KB build asked for.
    kb_builds: u64,
    /// An index run waiting for the KB being built.
    pending_index: Option<PendingIndex>,
    /// Notes changed on disk since the index run under way began: the index it makes may
    /// predate them, so they are read again once it is in force.
    changed_while_indexing: Vec<FileId>,
    /// What the workspace names changed with the near misses installed so far by the index's
    /// background phase: everything is checked again once, when it is over.
    near_misses_renamed: bool,
}

/// What a batch of events leaves to do once they are all applied.
#[derive(Default)]
struct Todo {
    notes: Vec<FileId>,
    kb_sources_changed: bool,
    refresh: bool,
    /// A note on disk changed, or was closed: closed notes' diagnostics to bring up to date.
    closed: bool,
}

impl Loop {
    async fn process(&mut self, batch: Vec<Event>) {
        let mut todo = Todo::default();
        for event in batch {
            self.handle(event, &mut todo).await;
        }
        if todo.kb_sources_changed {
            self.build_kb();
        }
        if todo.refresh {
            let state = self.shared.lock();
            for (id, kind) in state.host.documents() {
                if kind == DocKind::Note && !todo.notes.contains(id) {
                    todo.notes.push(id.clone());
                }
            }
        }
        for id in todo.notes {
            self.publisher.publish_note(&id).await;
        }
        if todo.refresh || todo.closed {
            self.closed_diagnostics().await;
        }
        if todo.refresh {
            self.publisher.refresh_diagnostics();
        }
    }

    /// Bring the closed notes' pushed diagnostics up to date: none for a client that pulls
    /// or when the scope is the open notes (those pushed are cleared), else a push run over
    /// the notes whose diagnostics changed (it supersedes any run under way).
    async fn closed_diagnostics(&mut self) {
        let run = self.shared.closed_run.fetch_add(1, Ordering::SeqCst) + 1;
        let closed: Option<HashSet<FileId>> = {
            let state = self.shared.lock();
            let push =
                !state.client.pull_diagnostics && state.host.config().diagnostics_scope == DiagnosticsScope::Workspace;
            push.then(|| state.host.closed_notes().notes.into_iter().map(|(f, _)| f).collect())
        };
        match closed {
            Some(ids) => {
                self.publisher.clear_closed(|f| ids.contains(f)).await;
                closed::push(self.shared.clone(), run, self.publisher.closed_published());
            }
            None => self.publisher.clear_closed(|_| false).await,
        }
    }

    async fn handle(&mut self, event: Event, todo: &mut Todo) {
        match event {
            Event::Initialized => {
                // Clients ignore diagnostics sent before `initialized`.
                self.publisher.publish_kb_problems().await;
                self.index(true);
            }
            Event::DocumentChanged(id) => {
                let kb_text = {
                    let state = self.shared.lock();
                    match state.host.document(&id).map(|d| d.kind) {
                        Some(DocKind::Note) if !todo.notes.contains(&id) => {
                            todo.notes.push(id.clone());
                            None
                        }
                        Some(DocKind::Kb) => state
                            .host
                            .document(&id)
                            .map(|d| d.text())
                            .filter(|text| !state.kb_sources.has_text(&id, text)),
                        _ => None,
                    }
                };
                // A KB file is parsed on a blocking thread, never under the lock.
                if let Some(text) = kb_text {
                    let file = id.clone();
                    let parsed = tokio::task::spawn_blocking(move || ParsedText::parse(&file, text.into())).await;
                    if let Ok(parsed) = parsed {
                        todo.kb_sources_changed |= self.shared.lock().kb_sources.set_parsed(&id, parsed);
                    }
                }
            }
            Event::DocumentClosed { file, uri, kind } => {
                todo.notes.retain(|n| n != &file);
                match kind {
                    DocKind::Note => {
                        todo.closed = true;
                        self.publisher.clear(&file, uri).await;
                        indexing::reread(self.shared.clone(), file);
                    }
                    // The disk version of a KB file counts again.
                    DocKind::Kb => {
                        if let Some(path) = file.path() {
                            indexing::read_kb_files(self.shared.clone(), vec![path.to_path_buf()]);
                        }
                    }
                    DocKind::Config => {}
                }
            }
            Event::Index { progress } => self.index(progress),
            Event::KbFilesRead { reads, keep, index } => {
                let changed = indexing::apply_kb_reads(&self.shared, reads, keep);
                todo.kb_sources_changed |= changed;
                if let Some(index) = index {
                    if changed {
                        self.pending_index = Some(index);
                    } else {
                        indexing::summarise(self.shared.clone(), index);
                    }
                }
            }
            Event::KbBuilt { generation, kb, errors } => {
                if generation != self.kb_builds {
                    return; // a newer build is under way
                }
                {
                    let mut state = self.shared.lock();
                    state.kb_sources.set_build_errors(errors);
                    let texts = state.kb_sources.current_texts().into_iter().collect();
                    state.host.apply_change(Change::Kb { kb, texts });
                }
                self.publisher.publish_kb_problems().await;
                self.publisher.refresh_views();
                todo.refresh = true;
                match self.pending_index.take() {
                    Some(index) => indexing::summarise(self.shared.clone(), index),
                    None => {
                        let shared = self.shared.clone();
                        tokio::spawn(async move {
                            tokio::time::sleep(REINDEX_DELAY).await;
                            shared.send(Event::KbSettled { generation });
                        });
                    }
                }
            }
            Event::KbSettled { generation } => {
                if self.shared.lock().host.kb().generation == generation && generation == self.kb_builds {
                    self.index(false);
                }
            }
            Event::Indexed {
                generation,
                index,
                progress,
                near_misses,
            } => {
                if generation != self.shared.index_generation.load(Ordering::SeqCst) {
                    if let Some(progress) = progress {
                        progress.superseded().await;
                    }
                    return;
                }
                let count = index.files.len();
                {
                    let mut state = self.shared.lock();
                    state.host.apply_change(Change::Index(index));
                    state.indexing = false;
                    state.finding_near_misses = near_misses;
                }
                self.near_misses_renamed = false;
                tracing::info!("indexed {count} notes");
                for file in std::mem::take(&mut self.changed_while_indexing) {
                    indexing::reread(self.shared.clone(), file);
                }
                todo.refresh = true;
                self.publisher.refresh_views();
                if let Some(progress) = progress {
                    progress.finish(count).await;
                }
            }
            Event::NearMisses {
                generation,
                found,
                done,
            } => {
                if generation != self.shared.index_generation.load(Ordering::SeqCst) {
                    return; // a newer run replaces this index
                }
                let changed = !found.is_empty();
                let applied = {
                    let mut state = self.shared.lock();
                    state.finding_near_misses &= !done;
                    state.host.apply_change(Change::NearMisses(found))
                };
                // Near misses that swallow an exact mention (ドネツク in a misspelt
                // ドネツク民共和国) may change what the workspace names: the notes are checked
                // again once the phase is over, not after every batch (each would make a
                // pulling client pull the whole vault again).
                self.near_misses_renamed |= applied.facts_changed;
                if done {
                    todo.refresh |= std::mem::take(&mut self.near_misses_renamed);
                }
                if changed {
                    self.publisher.refresh_views();
                }
            }
            Event::DiskNoteRead { file, summary } => {
                let applied = self.shared.lock().host.apply_change(Change::DiskNote { file, summary });
                todo.refresh |= applied.facts_changed;
                todo.closed = true;
            }
            Event::FilesChanged(events) => self.files_changed(events, todo),
            Event::ConfigLoaded(loaded) => {
                let (changed, reindex) = self.publisher.apply_config(loaded).await;
                if reindex {
                    self.index(false);
                }
                if changed {
                    todo.refresh = true;
                    self.publisher.refresh_views();
                }
            }
            Event::Refresh => todo.refresh = true,
            Event::ClosedDiagnosed { run, reports } => {
                if run == self.shared.closed_run.load(Ordering::SeqCst) {
                    self.publisher.publish_closed(reports).await;
                }
            }
        }
    }

    /// Start an index run (it supersedes any run under way).
    fn index(&mut self, progress: bool) {
        let generation = self.shared.index_generation.fetch_add(1, Ordering::SeqCst) + 1;
        self.shared.lock().indexing = true;
        self.pending_index = None;
        self.changed_while_indexing.clear();
        indexing::discover(self.shared.clone(), generation, progress);
    }

    /// Build the KB from its sources on a blocking thread; [`Event::KbBuilt`] brings it back.
    fn build_kb(&mut self) {
        self.kb_builds = self.kb_builds.max(self.shared.lock().host.kb().generation) + 1;
        let generation = self.kb_builds;
        let (files, keys, builtin_dir) = {
            let state = self.shared.lock();
            (
                state.kb_sources.parsed_files(),
                state.host.keys(),
                state.builtin_dir.clone(),
            )
        };
        let shared = self.shared.clone();
        tokio::task::spawn_blocking(move || {
            let (kb, errors) = KbSet::build(files, builtin_dir.as_deref(), &keys, generation);
            shared.send(Event::KbBuilt {
                generation,
                kb: Arc::new(kb),
                errors,
            });
        });
    }

    /// Sort file events: the configuration and prh dictionaries are read again, KB files
    /// re-read (unless open: the editor's text wins), notes re-read and summarised.
    fn files_changed(&mut self, events: Vec<FileEvent>, todo: &mut Todo) {
        let mut config_changed = false;
        let mut kb_reads = Vec::new();
        let mut seen = HashSet::new();
        for event in events {
            let id = convert::file_id(&event.uri);
            let Some(path) = id.path().map(|p| p.to_path_buf()) else {
                continue;
            };
            let (open_kind, configured_kb, prh_dictionary) = {
                let state = self.shared.lock();
                (
                    state.host.document(&id).map(|d| d.kind),
                    state.configured_kb_paths().contains(&path),
                    state.host.prh().files().any(|f| f == path) || state.host.config().prh_paths.contains(&path),
                )
            };
            if path
                .file_name()
                .is_some_and(|n| n == crate::analysis::settings::CONFIG_FILE)
                || prh_dictionary
            {
                config_changed = true;
            } else if is_kb_file(&path) || configured_kb {
                if open_kind == Some(DocKind::Kb) {
                    continue; // the editor's text wins while it is open
                }
                if event.typ == FileChangeType::DELETED {
                    todo.kb_sources_changed |= self.shared.lock().kb_sources.retain(|f| f != &id);
                } else if seen.insert(path.clone()) {
                    kb_reads.push(path);
                }
            } else {
                if self.shared.lock().indexing && !self.changed_while_indexing.contains(&id) {
                    self.changed_while_indexing.push(id.clone());
                }
                indexing::reread(self.shared.clone(), id);
            }
        }
        if !kb_reads.is_empty() {
            indexing::read_kb_files(self.shared.clone(), kb_reads);
        }
        if config_changed {
            let shared = self.shared.clone();
            tokio::spawn(async move {
                let loaded = super::settings::load(&shared).await;
                shared.send(Event::ConfigLoaded(loaded));
            });
        }
    }
}
