//! The analysis host and the IDE features — what the language server answers — as plain
//! Rust: no LSP types, no async, no I/O. The [`AnalysisHost`] (`host.rs`) takes changes (open
//! documents and their edits, a new KB, the configuration, notes read from disk) and hands
//! out [`World`] snapshots; every feature is a function over a snapshot. The server converts
//! protocol values to and from the small types defined here.
//!
//! Conventions shared by every feature:
//! - Positions come in and go out as [`LineCol`] in the world's [`PositionEncoding`]; the
//!   conversion to and from byte offsets happens here, always through
//!   [`crate::base::LineIndex`] (or through spans precomputed with it for files that are
//!   not open).
//! - A file is named by a [`FileId`]: the absolute path of a file on disk, or the URI of a
//!   document that has none.
//! - Workspace-wide features take a [`Cancel`] token and stop early when it fires.
//!
//! One module per feature: [`hover`], [`definition`], [`references`] (with document
//! highlights), [`rename`], [`code_actions`], [`completion`], [`symbols`] (document and
//! workspace), [`semantic_tokens`], [`folding`], [`links`], [`code_lens`], [`inlay_hints`].
//! The snapshot itself is in `world.rs` (open notes, the index of closed notes, what the
//! workspace mentions), `document.rs` (an open document's text and kind), `kb_set.rs` (the
//! knowledge base with the texts its entries point into) and `summary.rs` (the compact
//! per-note record kept for every note of the workspace).

pub mod code_actions;
pub mod code_lens;
pub mod completion;
pub mod definition;
pub mod diagnostics;
pub mod document;
pub mod folding;
pub mod host;
pub mod hover;
pub mod inlay_hints;
mod kb_set;
pub mod links;
pub mod references;
pub mod rename;
mod romaji;
pub mod semantic_tokens;
pub mod summary;
pub mod symbols;
mod world;

#[cfg(test)]
mod across_notes_tests;
#[cfg(test)]
mod fixture;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub use document::{DocKind, Document, TextChange};
pub use host::{AnalysisHost, AnalysisJob, Applied, Change, Stamp};
pub use kb_set::{EntityKey, KbSet, KbText, Keys, SpellingKey};
pub use summary::{FileSummary, Index, IndexedMention, MentionKind};
pub use world::{Inputs, OpenFile, SeedView, World};

pub use crate::base::{FileId, LineCol, PositionEncoding};

/// A range of lines and columns, in the world's position encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: LineCol,
    pub end: LineCol,
}

impl Span {
    pub fn at(position: LineCol) -> Self {
        Span {
            start: position,
            end: position,
        }
    }
}

/// A span in some file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: FileId,
    pub span: Span,
}

/// Replace `span` by `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpanEdit {
    pub span: Span,
    pub new_text: String,
}

/// Edits to several files, and files to create first (a new `entities.toml`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkspaceChange {
    pub create: Vec<FileId>,
    /// Edits per file, files in a stable order.
    pub edits: Vec<(FileId, Vec<SpanEdit>)>,
}

/// How hover text is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Markup {
    #[default]
    Markdown,
    PlainText,
}

/// A request was cancelled by the client; the partial answer is dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled;

/// Fires when the client cancels a workspace-wide request (or the server drops it).
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Self {
        Cancel::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// `Err(Cancelled)` once cancelled; call it between files.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }
}
