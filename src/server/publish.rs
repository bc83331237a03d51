//! What the event loop sends the client: diagnostics of open notes (each version once, the
//! latest always; none to a client that pulls them), those of closed notes for a client that
//! cannot pull (each result id once, cleared when out of scope), problems of KB files at their line and column, problems of prh
//! dictionaries, configuration problems, and requests to refresh the views that depend on the
//! KB, the counts or the configuration. Only the event loop ([`super::main_loop`]) calls
//! these.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tower_lsp_server::ls_types::{self as lsp, MessageType, Uri};

use super::closed::{note_diagnostics, Report};
use super::outbox;
use super::settings::LoadedConfig;
use super::snapshot;
use super::state::Shared;
use crate::base::LineIndex;
use crate::ide::{Change, FileId, Stamp};
use crate::proto::{convert, lsp_json};

/// The notification [`Publisher::publish_note`] serialises itself.
const PUBLISH_DIAGNOSTICS: &str = "textDocument/publishDiagnostics";

pub struct Publisher {
    shared: Arc<Shared>,
    /// What the diagnostics last published for each open note were made from.
    published: HashMap<FileId, Stamp>,
    /// KB files that currently show diagnostics.
    kb_files_with_problems: HashSet<FileId>,
    /// The prh dictionaries whose problems were last published.
    prh_files: Vec<PathBuf>,
    /// The closed notes whose diagnostics were pushed, with their result ids.
    closed: HashMap<FileId, String>,
}

impl Publisher {
    pub fn new(shared: Arc<Shared>) -> Self {
        Publisher {
            shared,
            published: HashMap::new(),
            kb_files_with_problems: HashSet::new(),
            prh_files: Vec::new(),
            closed: HashMap::new(),
        }
    }

    async fn send(&self, uri: Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
        self.shared.client.publish_diagnostics(uri, diagnostics, version).await;
    }

    /// Analyse one open note if needed and publish its diagnostics unless already published.
    ///
    /// One blocking thread does it all — the analysis (outside the lock), the conversion of
    /// the diagnostics and their serialisation into a frame straight from the typed params (no
    /// `serde_json::Value`) — and the frame is queued between tower-lsp's frames. Before
    /// `initialize` has been answered nothing is sent directly (tower-lsp's rule).
    pub async fn publish_note(&mut self, id: &FileId) {
        let shared = self.shared.clone();
        let last = self.published.get(id).copied();
        let file_id = id.clone();
        let made = tokio::task::spawn_blocking(move || {
            let (world, file) = snapshot::analysed_here(&shared, &file_id)?;
            let uri = {
                let state = shared.lock();
                if state.client.pull_diagnostics {
                    return None; // the client asks for them
                }
                let is_latest = state
                    .host
                    .latest(&file_id)
                    .is_some_and(|(_, latest)| Arc::ptr_eq(&latest, &file));
                if !is_latest || last == Some(file.stamp) {
                    return None;
                }
                state.uri_of(&file_id)?
            };
            let started = std::time::Instant::now();
            let diagnostics = note_diagnostics(&file, &uri, world.config.locale, world.encoding);
            let count = diagnostics.len();
            let params = lsp::PublishDiagnosticsParams::new(uri, diagnostics, Some(file.version()));
            let converted = match shared.initialized.load(Ordering::Acquire) {
                true => Ok(outbox::frame(PUBLISH_DIAGNOSTICS, &params)),
                false => Err(params),
            };
            tracing::debug!("converted {count} diagnostics in {:?}", started.elapsed());
            Some((file.stamp, converted))
        })
        .await;
        let (stamp, converted) = match made {
            Ok(Some(made)) => made,
            Ok(None) => return,
            Err(e) => {
                tracing::error!("analysing and converting the diagnostics of {id} failed: {e}");
                return;
            }
        };
        self.published.insert(id.clone(), stamp);
        match converted {
            Ok(frame) => {
                self.shared.outbox.send(frame);
            }
            Err(params) => self.send(params.uri, params.diagnostics, params.version).await,
        }
        tracing::debug!("published {} v{}", id, stamp.version);
    }

    /// A note was closed: clear its diagnostics.
    pub async fn clear(&mut self, id: &FileId, uri: Uri) {
        self.published.remove(id);
        self.closed.remove(id);
        self.send(uri, Vec::new(), None).await;
    }

    /// Push closed notes' diagnostics (without a version), unless the note was opened
    /// meanwhile or these very diagnostics were pushed already.
    pub async fn publish_closed(&mut self, reports: Vec<Report>) {
        for report in reports {
            let open = self.shared.lock().host.document(&report.file).is_some();
            if open || self.closed.get(&report.file) == Some(&report.result_id) {
                continue;
            }
            // A clean note never pushed before needs no message.
            let shown = self.closed.insert(report.file, report.result_id).is_some();
            if shown || !report.diagnostics.is_empty() {
                self.send(report.uri, report.diagnostics.to_vec(), None).await;
            }
        }
    }

    /// Clear the pushed diagnostics of the closed notes `keep` rejects (gone, or out of
    /// scope); a note open now only leaves the list, its own diagnostics stand.
    pub async fn clear_closed(&mut self, keep: impl Fn(&FileId) -> bool) {
        let dropped: Vec<FileId> = self.closed.keys().filter(|f| !keep(f)).cloned().collect();
        for file in dropped {
            self.closed.remove(&file);
            if self.shared.lock().host.document(&file).is_none() {
                if let Some(uri) = convert::uri_of(&file) {
                    self.send(uri, Vec::new(), None).await;
                }
            }
        }
    }

    /// The closed notes whose diagnostics were pushed, with their result ids.
    pub fn closed_published(&self) -> HashMap<FileId, String> {
        self.closed.clone()
    }

    /// Ask a pulling client to pull diagnostics again (on its own task).
    pub fn refresh_diagnostics(&self) {
        let flags = self.shared.lock().client;
        if flags.pull_diagnostics && flags.refresh_diagnostics {
            let client = self.shared.client.clone();
            tokio::spawn(async move {
                let _ = client.workspace_diagnostic_refresh().await;
            });
        }
    }

    /// Publish the problems of every KB file (and clear files whose problems are gone).
    pub async fn publish_kb_problems(&mut self) {
        let (batches, cleared) = {
            let state = self.shared.lock();
            let encoding = state.host.encoding();
            let mut batches = Vec::new();
            let mut with_problems = HashSet::new();
            for (file, text, problems) in state.kb_sources.problems() {
                let index = LineIndex::new(&text);
                let diagnostics: Vec<_> = problems
                    .iter()
                    .map(|p| convert::kb_diagnostic(&text, &index, p.range.unwrap_or_default(), &p.message, encoding))
                    .collect();
                let had = self.kb_files_with_problems.contains(&file);
                if diagnostics.is_empty() && !had {
                    continue;
                }
                if !diagnostics.is_empty() {
                    with_problems.insert(file.clone());
                }
                let version = state.host.document(&file).map(|d| d.version);
                if let Some(uri) = state.uri_of(&file) {
                    batches.push((uri, diagnostics, version));
                }
            }
            let cleared: Vec<Uri> = self
                .kb_files_with_problems
                .iter()
                .filter(|f| !state.kb_sources.contains(f))
                .filter_map(|f| state.uri_of(f))
                .collect();
            self.kb_files_with_problems = with_problems;
            (batches, cleared)
        };
        for (uri, diagnostics, version) in batches {
            self.send(uri, diagnostics, version).await;
        }
        for uri in cleared {
            self.send(uri, Vec::new(), None).await;
        }
    }

    /// Take a configuration just loaded: set the log level, show its problems, publish the
    /// problems of its prh dictionaries (failing specs, unsupported features) on them, and
    /// hand it to the host. Returns whether it changed anything, and whether the notes must be
    /// indexed again (other globs or KB files).
    pub async fn apply_config(&mut self, loaded: LoadedConfig) -> (bool, bool) {
        if let Some(level) = &loaded.config.log {
            super::logging::set_level(level);
        }
        for message in &loaded.messages {
            tracing::warn!("configuration: {message}");
            self.shared
                .client
                .show_message(MessageType::WARNING, format!("seed-lsp configuration: {message}"))
                .await;
        }
        let (encoding, locale) = (self.shared.lock().host.encoding(), loaded.config.locale);
        let mut published = Vec::new();
        let mut rules = Default::default();
        if let Some(prh) = loaded.prh {
            for file in prh.files {
                let diagnostics = match &file.text {
                    Ok(text) => {
                        let index = LineIndex::new(text);
                        let doc = lsp_json::DocumentPositions {
                            text,
                            index: &index,
                            encoding,
                        };
                        match Uri::from_file_path(&file.path) {
                            Some(uri) => file
                                .diagnostics
                                .iter()
                                .map(|d| lsp_json::lsp_diagnostic(d, doc, &uri, locale))
                                .collect(),
                            None => Vec::new(),
                        }
                    }
                    Err(message) => {
                        tracing::warn!("prh dictionary {}: {message}", file.path.display());
                        Vec::new()
                    }
                };
                self.publish_on_path(&file.path, diagnostics).await;
                published.push(file.path);
            }
            rules = prh.rules;
        }
        for path in std::mem::take(&mut self.prh_files) {
            if !published.contains(&path) {
                self.publish_on_path(&path, Vec::new()).await;
            }
        }
        self.prh_files = published;
        let mut state = self.shared.lock();
        let old = state.host.config().clone();
        let new = &loaded.config;
        let reindex = old.include != new.include || old.exclude != new.exclude || old.kb_paths != new.kb_paths;
        let applied = state.host.apply_change(Change::Config {
            config: loaded.config,
            prh: rules,
        });
        (applied.config_changed, reindex)
    }

    async fn publish_on_path(&self, path: &std::path::Path, diagnostics: Vec<lsp::Diagnostic>) {
        if let Some(uri) = Uri::from_file_path(path) {
            self.send(uri, diagnostics, None).await;
        }
    }

    /// Ask the client to re-request the views that depend on the KB, the counts or the
    /// configuration (semantic tokens, code lenses, inlay hints), where it supports that. The
    /// requests run on their own task: the client's answer is never waited for here.
    pub fn refresh_views(&self) {
        let flags = self.shared.lock().client;
        let client = self.shared.client.clone();
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
}
