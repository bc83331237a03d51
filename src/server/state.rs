//! The server's shared state and the one lock around it.
//!
//! [`State`] holds the [`AnalysisHost`] (open documents, KB, configuration, the summaries of
//! the notes on disk, what the workspace mentions), the KB files the KB is built from
//! ([`KbSources`]), what the client can do and the settings it sent. The lock is a
//! `std::sync::Mutex`, held only for short, synchronous sections — never across an `.await`,
//! never during an analysis, a KB build or a file read. Features run on [`World`] snapshots
//! taken under the lock.
//!
//! Work that changes the workspace model or publishes goes to the event loop
//! ([`super::main_loop`]) as an [`Event`] through [`Shared::send`].

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::mpsc::UnboundedSender;
use tower_lsp_server::ls_types::Uri;
use tower_lsp_server::Client;

use super::main_loop::Event;
use super::outbox::Outbox;
use super::settings::Settings;
use crate::ide::{AnalysisHost, FileId, KbSet, Keys};
use crate::project::kb::KbSources;
use crate::project::read::MAX_NOTE_BYTES;

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
    /// The client pulls diagnostics (`textDocument/diagnostic`, LSP 3.17): nothing is
    /// pushed for notes.
    pub pull_diagnostics: bool,
    /// The client can be asked to pull diagnostics again (`workspace/diagnostic/refresh`).
    pub refresh_diagnostics: bool,
}

pub struct Shared {
    pub client: Client,
    /// Frames serialised outside tower-lsp (the diagnostics of open notes).
    pub outbox: Outbox,
    state: Mutex<State>,
    events: UnboundedSender<Event>,
    pub initialized: AtomicBool,
    pub shutdown_requested: AtomicBool,
    /// Bumped by every (re)indexing run; a run that is no longer the latest stops.
    pub index_generation: AtomicU64,
    /// Bumped by every push run of closed notes' diagnostics; an older run stops.
    pub closed_run: AtomicU64,
    /// Notified when the `exit` notification arrives.
    pub exit: tokio::sync::Notify,
    /// The index cache and the records of the notes on disk.
    pub warm: super::warm::Warm,
}

impl Shared {
    pub fn new(client: Client, events: UnboundedSender<Event>, outbox: Outbox) -> Self {
        Shared {
            client,
            outbox,
            state: Mutex::new(State::default()),
            events,
            initialized: AtomicBool::new(false),
            shutdown_requested: AtomicBool::new(false),
            index_generation: AtomicU64::new(0),
            closed_run: AtomicU64::new(0),
            exit: tokio::sync::Notify::new(),
            warm: super::warm::Warm::default(),
        }
    }

    /// Lock the state. A panic elsewhere while holding it does not poison the server: the
    /// state is only ever changed by complete, small steps.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Hand work to the event loop.
    pub fn send(&self, event: Event) {
        if self.events.send(event).is_err() {
            tracing::debug!("the event loop has stopped");
        }
    }
}

pub struct State {
    pub host: AnalysisHost,
    pub client: ClientFlags,
    pub settings: Settings,
    /// The KB files the KB is built from (built-in first, then the workspace's).
    pub kb_sources: KbSources,
    /// The folder the built-in KB files are materialised in, if they are.
    pub builtin_dir: Option<std::path::PathBuf>,
    /// The URI each open document was opened with (answers name files as the client does).
    pub uris: HashMap<FileId, Uri>,
    /// True while the workspace is being indexed.
    pub indexing: bool,
    /// True while the index in force is still finding the near misses of the notes it read
    /// (its background phase, `super::near_misses`).
    pub finding_near_misses: bool,
}

impl Default for State {
    fn default() -> Self {
        let keys = Arc::new(Mutex::new(Keys::default()));
        let mut kb_sources = KbSources::default();
        let (kb, texts) = kb_sources.build();
        let kb = {
            let mut keys = keys.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::new(KbSet::new(Arc::new(kb), texts, None, &mut keys, 1))
        };
        State {
            host: AnalysisHost::new(kb, keys, MAX_NOTE_BYTES),
            client: ClientFlags::default(),
            settings: Settings::default(),
            kb_sources,
            builtin_dir: None,
            uris: HashMap::new(),
            indexing: false,
            finding_near_misses: false,
        }
    }
}

impl State {
    /// Extra KB files named by the configuration.
    pub fn configured_kb_paths(&self) -> Vec<PathBuf> {
        self.host.config().kb_paths.clone()
    }

    /// The URI of a file: the one its document was opened with, else one made from its path.
    pub fn uri_of(&self, id: &FileId) -> Option<Uri> {
        if let Some(uri) = self.uris.get(id) {
            return Some(uri.clone());
        }
        crate::proto::convert::uri_of(id)
    }
}
