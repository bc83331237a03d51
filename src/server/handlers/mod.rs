//! Request handlers: protocol params → `ide` feature → protocol answer. Navigation
//! (hover, definition, references, highlights, rename) in [`navigation`]; editing help
//! (code actions, completion) in [`editing`]; what the editor displays (symbols, semantic
//! tokens, folding, links, code lenses, inlay hints) in [`display`]; pull diagnostics
//! (`textDocument/diagnostic`, `workspace/diagnostic`) in [`diagnostics`]; the server's own
//! requests (`seedLsp/debugText`, `seedLsp/status`) in [`custom`].
//!
//! Features on one document run inline under [`guard`] (they take well under a
//! millisecond); workspace-wide ones run on a blocking thread with a [`Cancel`] token that
//! fires when the request is cancelled (`$/cancelRequest` drops the handler's future, which
//! drops the [`CancelOnDrop`] guard).

pub mod custom;
pub mod diagnostics;
pub mod display;
pub mod editing;
pub mod navigation;

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;

use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{Uri, WorkspaceEdit};

use super::panic_message;
use super::state::Shared;
use crate::ide::{Cancel, FileId, WorkspaceChange, World};
use crate::proto::convert;

fn internal(message: String) -> Error {
    tracing::error!("{message}");
    Error {
        code: ErrorCode::InternalError,
        message: message.into(),
        data: None,
    }
}

/// Run a feature, turning a panic into an internal error for this request only.
pub fn guard<T>(feature: impl FnOnce() -> T) -> Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(feature))
        .map_err(|panic| internal(format!("internal error: {}", panic_message(&*panic))))
}

/// Run a feature on a blocking thread (workspace-wide work), panics becoming errors.
pub async fn blocking<T: Send + 'static>(feature: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(feature).await.map_err(|e| {
        if e.is_panic() {
            internal(format!("internal error: {}", panic_message(&*e.into_panic())))
        } else {
            Error::request_cancelled()
        }
    })
}

/// Cancels its token when dropped — when the request's future is dropped on cancellation.
pub struct CancelOnDrop(pub Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// Names files the way the client does: the URI a document was opened with, else a
/// `file:` URI made from the path.
pub struct Uris(HashMap<FileId, Uri>);

impl Uris {
    pub fn of(shared: &Shared) -> Self {
        Uris(shared.lock().uris.clone())
    }

    pub fn get(&self, file: &FileId) -> Option<Uri> {
        self.0.get(file).cloned().or_else(|| convert::uri_of(file))
    }
}

/// A [`WorkspaceChange`] for the client: versioned `documentChanges` when it supports them
/// (versions of the open notes the edits were computed on, from `world`).
pub fn workspace_edit(shared: &Shared, world: &World, change: &WorkspaceChange) -> WorkspaceEdit {
    let uris = Uris::of(shared);
    let versioned = shared.lock().client.document_changes;
    let version = |f: &FileId| world.open.get(f).map(|file| file.version());
    convert::workspace_edit(
        change,
        |f| uris.get(f),
        versioned.then_some(&version as &convert::VersionOf),
    )
}
