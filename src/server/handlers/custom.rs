//! The server's own requests, documented in the README:
//! - `seedLsp/debugText` `{ textDocument: { uri } }` → `{ uri, version, text }`: the
//!   server's copy of an open document (tests compare it with the client's after edits);
//! - `seedLsp/status` (no params) → `{ indexing, findingNearMisses, indexedFiles,
//!   openDocuments, kbEntities, kbGeneration, kbFiles, positionEncoding }` (`indexing` false:
//!   the index is usable; `findingNearMisses` false too: its background phase is over);
//! - `seedLsp/debugPanic`, only when the server runs with `SEED_LSP_DEBUG` set: panics inside
//!   the handler, the way a bug would, to show that one failing request is answered with an
//!   internal error and the server carries on.

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::TextDocumentIdentifier;

use crate::base::PositionEncoding;
use crate::proto::convert;
use crate::server::state::Shared;

pub const DEBUG_TEXT: &str = "seedLsp/debugText";
pub const STATUS: &str = "seedLsp/status";
pub const DEBUG_PANIC: &str = "seedLsp/debugPanic";
/// The environment variable that enables the debug requests meant for tests.
pub const DEBUG_ENV: &str = "SEED_LSP_DEBUG";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DebugTextParams {
    pub text_document: TextDocumentIdentifier,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct DebugText {
    pub uri: String,
    pub version: i32,
    pub text: String,
}

pub fn debug_text(shared: &Shared, params: DebugTextParams) -> Result<DebugText> {
    let uri = params.text_document.uri;
    let state = shared.lock();
    let doc = state
        .host
        .document(&convert::file_id(&uri))
        .ok_or_else(|| Error::invalid_params(format!("{} is not open", uri.as_str())))?;
    Ok(DebugText {
        uri: uri.as_str().to_string(),
        version: doc.version,
        text: doc.text(),
    })
}

/// What the transport replaces a malformed message with.
#[derive(Debug, Deserialize)]
pub struct MalformedParams {
    pub code: i64,
    pub message: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub indexing: bool,
    pub finding_near_misses: bool,
    pub indexed_files: usize,
    pub open_documents: usize,
    pub kb_entities: usize,
    pub kb_generation: u64,
    pub kb_files: Vec<String>,
    pub position_encoding: String,
}

pub fn status(shared: &Shared) -> Status {
    let state = shared.lock();
    let kb = state.host.kb();
    Status {
        indexing: state.indexing,
        finding_near_misses: state.finding_near_misses,
        indexed_files: state.host.indexed_notes(),
        open_documents: state.host.documents().count(),
        kb_entities: kb.kb.entities.len(),
        kb_generation: kb.generation,
        kb_files: state.kb_sources.files().map(|f| f.to_string()).collect(),
        position_encoding: match state.host.encoding() {
            PositionEncoding::Utf8 => "utf-8",
            PositionEncoding::Utf16 => "utf-16",
            PositionEncoding::Utf32 => "utf-32",
        }
        .into(),
    }
}
