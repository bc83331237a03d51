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

use super::handlers::{custom, display, editing, navigation};
use super::settings::{section_of, SECTION};
use super::state::{Shared, Work};
use super::{capabilities, indexing, logging, publisher};
use crate::analysis::prh::PrhRules;
use crate::analysis::settings::Config;
use crate::ide::FileId;
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
    /// Recompute the configuration from its three sources; re-index and re-check what it
    /// affects.
    async fn reload_config(&self) {
        let (settings, roots) = {
            let state = self.shared.lock();
            (state.settings.clone(), state.roots.clone())
        };
        let (config, messages) = settings.config(&roots);
        if let Some(level) = &config.log {
            logging::set_level(level);
        }
        self.show_config_problems(messages).await;
        let prh = self.load_prh(&config).await;
        let (changed, reindex) = {
            let mut state = self.shared.lock();
            let old = state.config.clone();
            let changed = state.set_config(config, prh);
            let new = &state.config;
            let reindex = old.include != new.include || old.exclude != new.exclude || old.kb_paths != new.kb_paths;
            (changed, reindex)
        };
        if reindex {
            tokio::spawn(indexing::index_workspace(self.shared.clone(), false));
        }
        if changed {
            self.shared.send(Work::Refresh);
            publisher::refresh_views(&self.shared);
        }
    }

    /// Load the prh dictionaries the configuration names (off the lock, on a blocking
    /// thread) and publish their problems — failing specs, unsupported features — on them.
    async fn load_prh(&self, config: &Config) -> PrhRules {
        let paths = config.prh_paths.clone();
        let previous: Vec<PathBuf> = self.shared.lock().prh_files.clone();
        let loaded = if config.rules.get(crate::analysis::rules::prh::RULE.id).is_some() && !paths.is_empty() {
            tokio::task::spawn_blocking(move || crate::project::prh::load(&paths))
                .await
                .ok()
        } else {
            None
        };
        let Some(loaded) = loaded else {
            for path in previous {
                self.publish_on_path(&path, Vec::new()).await;
            }
            self.shared.lock().prh_files.clear();
            return PrhRules::default();
        };
        let rules = loaded.rules;
        let (encoding, locale) = {
            let state = self.shared.lock();
            (state.encoding, config.locale)
        };
        let mut published = Vec::new();
        for file in loaded.files {
            let diagnostics = match &file.text {
                Ok(text) => {
                    let index = crate::base::LineIndex::new(text);
                    let doc = crate::proto::lsp_json::DocumentPositions {
                        text,
                        index: &index,
                        encoding,
                    };
                    match Uri::from_file_path(&file.path) {
                        Some(uri) => file
                            .diagnostics
                            .iter()
                            .map(|d| crate::proto::lsp_json::lsp_diagnostic(d, doc, &uri, locale))
                            .collect(),
                        // Nowhere to publish them (see `publish_on_path`).
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
        for path in previous.iter().filter(|p| !published.contains(p)) {
            self.publish_on_path(path, Vec::new()).await;
        }
        self.shared.lock().prh_files = published;
        rules
    }

    async fn publish_on_path(&self, path: &std::path::Path, diagnostics: Vec<tower_lsp_server::ls_types::Diagnostic>) {
        if let Some(uri) = Uri::from_file_path(path) {
            self.shared.client.publish_diagnostics(uri, diagnostics, None).await;
        }
    }

    async fn show_config_problems(&self, messages: Vec<String>) {
        for message in messages {
            tracing::warn!("configuration: {message}");
            self.shared
                .client
                .show_message(MessageType::WARNING, format!("seed-lsp configuration: {message}"))
                .await;
        }
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
        let messages = {
            let mut state = self.shared.lock();
            state.encoding = encoding;
            state.client = capabilities::client_flags(&params.capabilities);
            state.roots = Arc::new(roots.clone());
            state.settings.initialization_options = params.initialization_options.as_ref().and_then(section_of);
            state.builtin_file = builtin.as_deref().map(FileId::from_path);
            // The index is built after `initialized`; until then it is not ready.
            state.indexing = true;
            let (config, messages) = state.settings.config(&roots);
            if let Some(level) = &config.log {
                logging::set_level(level);
            }
            state.set_config(config, PrhRules::default());
            messages
        };
        for message in messages {
            tracing::warn!("configuration: {message}");
        }
        indexing::load_kb(&self.shared).await;
        self.shared.initialized.store(true, Ordering::Release);
        tracing::info!(
            "initialized: {} workspace folders, positions in {encoding:?}",
            roots.len()
        );
        Ok(InitializeResult {
            capabilities: capabilities::server_capabilities(encoding),
            server_info: Some(ServerInfo {
                name: "seed-lsp".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        logging::connect(self.shared.client.clone());
        let flags = self.shared.lock().client;
        if flags.watched_files_registration {
            let include = self.shared.lock().config.include.clone();
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
            self.reload_config().await;
        }
        // Problems of the KB files loaded at `initialize` (clients ignore diagnostics sent
        // before `initialized`).
        publisher::publish_kb_problems(&self.shared).await;
        tokio::spawn(indexing::index_workspace(self.shared.clone(), true));
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
            let mut roots: Vec<PathBuf> = state.roots.iter().filter(|r| !removed.contains(r)).cloned().collect();
            roots.extend(
                params
                    .event
                    .added
                    .iter()
                    .filter_map(path)
                    .filter(|p| !state.roots.contains(p)),
            );
            state.roots = Arc::new(roots);
        }
        self.reload_config().await;
        tokio::spawn(indexing::index_workspace(self.shared.clone(), true));
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        if indexing::changed_on_disk(&self.shared, params.changes).await {
            self.reload_config().await;
        }
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

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        display::inlay_hints(&self.shared, params).await
    }
}
