//! [`Backend`]: the `LanguageServer` implementation. Lifecycle and workspace notifications
//! are handled here; every feature request is one line delegating to [`super::handlers`].
//! Text synchronisation never reaches this type: [`super::ordered`] applies it in order.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::request::{GotoDeclarationParams, GotoDeclarationResponse};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::LanguageServer;

use super::handlers::{custom, diagnostics, display, editing, navigation};
use super::main_loop::Event;
use super::settings::{self, section_of, SECTION};
use super::state::Shared;
use super::{capabilities, logging};
use crate::ide::{Change, KbSet};
use crate::project::builtin_copy;
use crate::proto::convert;

pub struct Backend {
    pub shared: Arc<Shared>,
}

#[allow(deprecated)]
fn workspace_roots(params: &InitializeParams) -> Vec<PathBuf> {
    let from_folders: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
        .collect();
    if !from_folders.is_empty() {
        return from_folders;
    }
    if let Some(path) = params.root_uri.as_ref().and_then(|u| u.to_file_path()) {
        return vec![path.into_owned()];
    }
    params.root_path.iter().map(PathBuf::from).collect()
}

impl Backend {
    /// Read the configuration again (off the lock) and hand it to the event loop.
    async fn reload_config(&self) {
        let loaded = settings::load(&self.shared).await;
        self.shared.send(Event::ConfigLoaded(loaded));
    }

    /// Ask the client for the `seedLsp` settings (when it supports `workspace/configuration`).
    async fn pull_settings(&self) {
        if !self.shared.lock().client.configuration {
            return;
        }
        let item = ConfigurationItem {
            scope_uri: None,
            section: Some(SECTION.to_string()),
        };
        match self.shared.client.configuration(vec![item]).await {
            Ok(values) => self.shared.lock().settings.editor = values.into_iter().next(),
            Err(e) => tracing::warn!("workspace/configuration failed: {e}"),
        }
    }

    pub async fn debug_text(&self, params: custom::DebugTextParams) -> Result<custom::DebugText> {
        custom::debug_text(&self.shared, params)
    }

    pub async fn status(&self) -> Result<custom::Status> {
        Ok(custom::status(&self.shared))
    }

    /// The answer to a message the transport could not accept (see `transport`).
    pub async fn malformed(&self, params: custom::MalformedParams) -> Result<()> {
        Err(tower_lsp_server::jsonrpc::Error {
            code: params.code.into(),
            message: params.message.into(),
            data: None,
        })
    }

    pub async fn debug_panic(&self) -> Result<()> {
        panic!("seedLsp/debugPanic was asked to panic")
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref());
        let encoding = convert::negotiate_encoding(offered);
        let roots = workspace_roots(&params);
        let builtin = tokio::task::spawn_blocking(|| builtin_copy::materialise_builtin(dirs::cache_dir()))
            .await
            .unwrap_or(None);
        let settings = {
            let mut state = self.shared.lock();
            state.host.apply_change(Change::Encoding(encoding));
            state.host.apply_change(Change::Roots(roots.clone()));
            state.client = capabilities::client_flags(&params.capabilities);
            state.settings.initialization_options = params.initialization_options.as_ref().and_then(section_of);
            state.builtin_dir = builtin;
            // The built-in KB in force until the workspace's is built, now knowing where its
            // copies are (go to definition opens them).
            let kb = state.host.kb().clone();
            let keys = state.host.keys();
            let mut keys = keys.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let builtin = KbSet::new(
                kb.kb.clone(),
                [],
                state.builtin_dir.as_deref(),
                &mut keys,
                kb.generation + 1,
            );
            drop(keys);
            state.host.apply_change(Change::Kb {
                kb: Arc::new(builtin),
                texts: Default::default(),
            });
            // The index is built after `initialized`; until then it is not ready.
            state.indexing = true;
            state.settings.clone()
        };
        // The configuration (its KB files and globs) before anything else. Nothing is walked
        // or read from the workspace before the answer: the workspace's KB files and notes
        // are taken in by the first index run, after `initialized` (a note opened before it is
        // published again once they are in force).
        let read_roots = roots.clone();
        let (config, messages) = tokio::task::spawn_blocking(move || settings.config(&read_roots))
            .await
            .unwrap_or_default();
        for message in messages {
            tracing::warn!("configuration: {message}");
        }
        if let Some(level) = &config.log {
            logging::set_level(level);
        }
        self.shared.lock().host.apply_change(Change::Config {
            config,
            prh: Default::default(),
        });
        self.shared.initialized.store(true, Ordering::Release);
        tracing::info!(
            "initialized: {} workspace folders, positions in {encoding:?}",
            roots.len()
        );
        Ok(InitializeResult {
            capabilities: capabilities::server_capabilities(encoding, self.shared.lock().client.pull_diagnostics),
            server_info: Some(ServerInfo {
                name: "seed-lsp".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        logging::connect(self.shared.client.clone());
        let (flags, include) = {
            let state = self.shared.lock();
            (state.client, state.host.config().include.clone())
        };
        if flags.watched_files_registration {
            let watchers = include
                .iter()
                .map(String::as_str)
                .chain(["**/entities.toml", "**/seed-lsp.toml", "**/*.yml", "**/*.yaml"])
                .map(|glob| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(glob.to_string()),
                    kind: None,
                })
                .collect();
            let registration = Registration {
                id: "seed-lsp-watched-files".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions { watchers }).ok(),
            };
            if let Err(e) = self.shared.client.register_capability(vec![registration]).await {
                tracing::warn!("cannot register file watchers: {e}");
            }
        }
        if flags.configuration {
            self.pull_settings().await;
        }
        // The whole configuration (the editor's settings, the prh dictionaries) before the
        // notes are indexed: the loop takes events in order.
        self.reload_config().await;
        self.shared.send(Event::Initialized);
    }

    async fn shutdown(&self) -> Result<()> {
        logging::disconnect();
        self.shared.shutdown_requested.store(true, Ordering::Release);
        Ok(())
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let id = convert::file_id(&params.text_document.uri);
        if id.file_name() == crate::analysis::settings::CONFIG_FILE
            && !self.shared.lock().client.watched_files_registration
        {
            self.reload_config().await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if self.shared.lock().client.configuration {
            self.pull_settings().await;
        } else {
            self.shared.lock().settings.editor = section_of(&params.settings);
        }
        self.reload_config().await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        {
            let mut state = self.shared.lock();
            let path = |f: &WorkspaceFolder| f.uri.to_file_path().map(|p| p.into_owned());
            let removed: Vec<PathBuf> = params.event.removed.iter().filter_map(path).collect();
            let old = state.host.roots().clone();
            let mut roots: Vec<PathBuf> = old.iter().filter(|r| !removed.contains(r)).cloned().collect();
            roots.extend(params.event.added.iter().filter_map(path).filter(|p| !old.contains(p)));
            state.host.apply_change(Change::Roots(roots));
        }
        self.reload_config().await;
        self.shared.send(Event::Index { progress: true });
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        self.shared.send(Event::FilesChanged(params.changes));
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        navigation::hover(&self.shared, params).await
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        navigation::definition(&self.shared, params).await
    }

    async fn goto_declaration(&self, params: GotoDeclarationParams) -> Result<Option<GotoDeclarationResponse>> {
        navigation::declaration(&self.shared, params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        navigation::references(&self.shared, params).await
    }

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        navigation::highlights(&self.shared, params).await
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        navigation::prepare_rename(&self.shared, params).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        navigation::rename(&self.shared, params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        editing::code_actions(&self.shared, params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        editing::completion(&self.shared, params).await
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        display::document_symbols(&self.shared, params).await
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        display::workspace_symbols(&self.shared, params).await
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        display::semantic_tokens_full(&self.shared, params).await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        display::semantic_tokens_range(&self.shared, params).await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        display::folding_ranges(&self.shared, params).await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        display::document_links(&self.shared, params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        display::code_lenses(&self.shared, params).await
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        diagnostics::document(&self.shared, params).await
    }

    async fn workspace_diagnostic(&self, params: WorkspaceDiagnosticParams) -> Result<WorkspaceDiagnosticReportResult> {
        diagnostics::workspace(&self.shared, params).await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        display::inlay_hints(&self.shared, params).await
    }
}
