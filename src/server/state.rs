//! The server's mutable state and the one lock around it.
//!
//! [`State`] holds the open documents, the KB and its sources, the configuration, the index
//! of seed files on disk, and the workspace-wide mention counts and [`WorkspaceFacts`], kept
//! up to date incrementally: each seed file contributes one [`FileSummary`] (the open
//! document's latest analysis when it is open, else the disk's), and replacing a
//! contribution subtracts the old one and adds the new one.
//!
//! The lock is a `std::sync::Mutex`, held only for short, synchronous sections — never
//! across an `.await`, never during an analysis. Features run on [`World`] snapshots taken
//! under the lock.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::mpsc::UnboundedSender;
use tower_lsp_server::ls_types::Uri;
use tower_lsp_server::Client;

use super::documents::{DocKind, Document, Stamp};
use super::settings::Settings;
use crate::analysis::facts::WorkspaceFacts;
use crate::analysis::prh::PrhRules;
use crate::analysis::settings::Config;
use crate::base::PositionEncoding;
use crate::ide::{Counts, FileId, FileSummary, Index, KbSet, Keys, OpenFile, World};
use crate::kb::EntityId;
use crate::project::kb::KbSources;

/// Work for the diagnostics publisher, in the order it happened.
#[derive(Debug)]
pub enum Work {
    /// A document's text changed (or it was opened).
    Changed(FileId),
    /// A document was closed: clear its diagnostics.
    Closed(FileId, Uri, DocKind),
    /// KB sources changed on disk or in the configuration: rebuild the KB.
    KbChanged,
    /// Something every open note depends on changed (facts, configuration): re-check them.
    Refresh,
}

/// What the client can do, from its capabilities.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClientFlags {
    pub work_done_progress: bool,
    pub watched_files_registration: bool,
    pub configuration: bool,
    pub create_files: bool,
    /// Workspace edits may be `documentChanges` (versioned edits).
    pub document_changes: bool,
    pub markdown_hover: bool,
    /// The client can be asked to re-request these views (`workspace/*/refresh`).
    pub refresh_semantic_tokens: bool,
    pub refresh_code_lenses: bool,
    pub refresh_inlay_hints: bool,
}

pub struct Shared {
    pub client: Client,
    state: Mutex<State>,
    pub work: UnboundedSender<Work>,
    pub initialized: AtomicBool,
    pub shutdown_requested: AtomicBool,
    /// Bumped by every (re)indexing run; a run that is no longer the latest stops.
    pub index_generation: AtomicU64,
    /// Notified when the `exit` notification arrives.
    pub exit: tokio::sync::Notify,
}

impl Shared {
    pub fn new(client: Client, work: UnboundedSender<Work>) -> Self {
        Shared {
            client,
            state: Mutex::new(State::default()),
            work,
            initialized: AtomicBool::new(false),
            shutdown_requested: AtomicBool::new(false),
            index_generation: AtomicU64::new(0),
            exit: tokio::sync::Notify::new(),
        }
    }

    /// Lock the state. A panic elsewhere while holding it does not poison the server: the
    /// state is only ever changed by complete, small steps.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn send(&self, work: Work) {
        if self.work.send(work).is_err() {
            tracing::debug!("diagnostics publisher has stopped");
        }
    }
}

pub struct State {
    pub encoding: PositionEncoding,
    pub client: ClientFlags,
    pub roots: Arc<Vec<PathBuf>>,
    pub settings: Settings,
    pub config: Arc<Config>,
    pub config_generation: u64,
    /// The rules of the configured prh dictionaries (part of the configuration: a change
    /// bumps `config_generation`).
    pub prh: PrhRules,
    keys: Keys,
    pub kb_sources: KbSources,
    pub kb: Arc<KbSet>,
    kb_files: Arc<BTreeMap<FileId, Arc<str>>>,
    /// The folder the built-in KB files are materialised in, if they are.
    pub builtin_dir: Option<std::path::PathBuf>,
    pub docs: HashMap<FileId, Document>,
    pub index: Arc<Index>,
    counts: Arc<Counts>,
    pub facts: Arc<WorkspaceFacts>,
    contributions: HashMap<FileId, Arc<FileSummary>>,
    pub facts_epoch: u64,
    /// True while the workspace is being indexed.
    pub indexing: bool,
    /// KB files that currently show diagnostics.
    pub kb_files_with_problems: HashSet<FileId>,
    /// The prh dictionaries whose problems were last published.
    pub prh_files: Vec<std::path::PathBuf>,
}

impl Default for State {
    fn default() -> Self {
        let mut keys = Keys::default();
        let mut kb_sources = KbSources::default();
        let (kb, texts) = kb_sources.build();
        let kb = Arc::new(KbSet::new(Arc::new(kb), texts, None, &mut keys, 1));
        State {
            encoding: PositionEncoding::Utf16,
            client: ClientFlags::default(),
            roots: Arc::new(Vec::new()),
            settings: Settings::default(),
            config: Arc::new(Config::default()),
            config_generation: 1,
            prh: PrhRules::default(),
            keys,
            kb_sources,
            facts: Arc::new(WorkspaceFacts::new(&kb.kb)),
            kb,
            kb_files: Arc::default(),
            builtin_dir: None,
            docs: HashMap::new(),
            index: Arc::default(),
            counts: Arc::default(),
            contributions: HashMap::new(),
            facts_epoch: 1,
            indexing: false,
            kb_files_with_problems: HashSet::new(),
            prh_files: Vec::new(),
        }
    }
}

impl State {
    /// What an analysis of `version` made now would be made from.
    pub fn stamp(&self, version: i32) -> Stamp {
        Stamp {
            version,
            kb_generation: self.kb.generation,
            config_generation: self.config_generation,
            facts_epoch: self.facts_epoch,
        }
    }

    /// A snapshot for the features: open notes with their latest analyses.
    pub fn world(&self) -> World {
        let open = self
            .docs
            .iter()
            .filter_map(|(id, d)| d.analysis.as_ref().map(|a| (id.clone(), a.clone())))
            .collect();
        World {
            encoding: self.encoding,
            kb: self.kb.clone(),
            config: self.config.clone(),
            prh: self.prh.clone(),
            open,
            index: self.index.clone(),
            counts: self.counts.clone(),
            roots: self.roots.clone(),
            kb_files: self.kb_files.clone(),
        }
    }

    /// The analysis of an open note, if it is current.
    pub fn current_analysis(&self, id: &FileId) -> Option<Arc<OpenFile>> {
        let doc = self.docs.get(id)?;
        let analysis = doc.analysis.as_ref()?;
        (doc.analysed == self.stamp(doc.version)).then(|| analysis.clone())
    }

    /// Keep an analysis made from `stamp` if the document is still at that stamp. Returns it,
    /// and whether which entities the workspace mentions changed (other notes may then
    /// need re-checking).
    pub fn install_analysis(&mut self, id: &FileId, file: OpenFile, stamp: Stamp) -> Option<(Arc<OpenFile>, bool)> {
        let current = self.stamp(self.docs.get(id)?.version);
        if current != stamp {
            return None;
        }
        let file = Arc::new(file);
        let changed = self.set_contribution(id, Some(file.summary.clone()));
        if changed {
            self.facts_epoch += 1;
        }
        let epoch = self.facts_epoch;
        let doc = self.docs.get_mut(id)?;
        doc.analysis = Some(file.clone());
        // Its own mentions are already in its analysis: it stays current.
        doc.analysed = Stamp {
            facts_epoch: epoch,
            ..stamp
        };
        Some((file, changed))
    }

    /// Replace a file's contribution to the counts and facts; true when the set of entities
    /// the workspace mentions changed.
    pub fn set_contribution(&mut self, id: &FileId, summary: Option<Arc<FileSummary>>) -> bool {
        let old = self.contributions.remove(id);
        let mut touched: Vec<EntityId> = Vec::new();
        for s in old.iter().chain(summary.iter()) {
            touched.extend(s.exact_entities(&self.kb));
        }
        touched.sort_unstable();
        touched.dedup();
        let before: Vec<bool> = touched.iter().map(|&e| self.facts.mentions(e) > 0).collect();
        let counts = Arc::make_mut(&mut self.counts);
        let facts = Arc::make_mut(&mut self.facts);
        if let Some(old) = &old {
            counts.remove(old);
            facts.add_mentions(old.exact_entities(&self.kb), true);
        }
        if let Some(new) = &summary {
            counts.add(new);
            facts.add_mentions(new.exact_entities(&self.kb), false);
            self.contributions.insert(id.clone(), new.clone());
        }
        touched
            .iter()
            .zip(before)
            .any(|(&e, was)| (self.facts.mentions(e) > 0) != was)
    }

    /// Recount everything from the contributions (after the KB or the index changed).
    fn recount(&mut self) {
        let mut counts = Counts::default();
        let mut facts = WorkspaceFacts::new(&self.kb.kb);
        for summary in self.contributions.values() {
            counts.add(summary);
            facts.add_mentions(summary.exact_entities(&self.kb), false);
        }
        self.counts = Arc::new(counts);
        self.facts = Arc::new(facts);
        self.facts_epoch += 1;
    }

    /// Rebuild the KB from its sources (every open note becomes stale).
    pub fn rebuild_kb(&mut self) {
        let generation = self.kb.generation + 1;
        let (kb, texts) = self.kb_sources.build();
        let kb = KbSet::new(
            Arc::new(kb),
            texts,
            self.builtin_dir.as_deref(),
            &mut self.keys,
            generation,
        );
        self.kb = Arc::new(kb);
        self.kb_files = Arc::new(self.kb_sources.current_texts().into_iter().collect());
        self.recount();
    }

    /// Take a new index of the files on disk.
    pub fn install_index(&mut self, index: Index) {
        self.index = Arc::new(index);
        let open: HashSet<FileId> = self
            .docs
            .iter()
            .filter(|(_, d)| d.analysis.is_some())
            .map(|(id, _)| id.clone())
            .collect();
        self.contributions.retain(|id, _| open.contains(id));
        for (id, summary) in &self.index.files {
            if !open.contains(id) {
                self.contributions.insert(id.clone(), summary.clone());
            }
        }
        self.recount();
    }

    /// One file on disk was (re)read or deleted.
    pub fn update_indexed_file(&mut self, id: &FileId, summary: Option<Arc<FileSummary>>) -> bool {
        let index = Arc::make_mut(&mut self.index);
        match &summary {
            Some(s) => index.files.insert(id.clone(), s.clone()),
            None => index.files.remove(id),
        };
        let open = self.docs.get(id).is_some_and(|d| d.analysis.is_some());
        if open {
            return false;
        }
        let changed = self.set_contribution(id, summary);
        if changed {
            self.facts_epoch += 1;
        }
        changed
    }

    /// A note was closed: its disk version counts again.
    pub fn closed(&mut self, id: &FileId) -> bool {
        let disk = self.index.files.get(id).cloned();
        let changed = self.set_contribution(id, disk);
        if changed {
            self.facts_epoch += 1;
        }
        changed
    }

    /// Set the configuration and the prh rules it names; true when either changed.
    pub fn set_config(&mut self, config: Config, prh: PrhRules) -> bool {
        if *self.config == config && self.prh == prh {
            return false;
        }
        self.config = Arc::new(config);
        self.prh = prh;
        self.config_generation += 1;
        true
    }

    /// Extra KB files named by the configuration.
    pub fn configured_kb_paths(&self) -> Vec<PathBuf> {
        self.config.kb_paths.clone()
    }

    pub fn uri_of(&self, id: &FileId) -> Option<Uri> {
        if let Some(doc) = self.docs.get(id) {
            return Some(doc.uri.clone());
        }
        crate::proto::convert::uri_of(id)
    }
}
