//! seed-lsp: entity recognition, diagnostics and sources for Japanese news-clipping notes.
//!
//! Layers, bottom up — each imports only the layers below it (the tidy test in
//! `tests/it/tidy.rs` holds the code to this; ARCHITECTURE.md is the map):
//!
//! - [`base`]: byte ranges, the line index, normalisation, dates, the diagnostic data model;
//! - [`kb`]: the knowledge base — model, TOML schema, merge, spelling index, matchers;
//! - [`analysis`]: one note's text → everything known about it (recognition, layout,
//!   sources, facts, settings, the rules, the entity report);
//! - [`ide`]: the analysis host (changes in, snapshots out) and one module per editor feature;
//! - [`project`]: every file-system touch — reading policy, discovery, KB/prh/config
//!   loading, the one workspace pass;
//! - [`proto`]: conversion to and from LSP types;
//! - [`server`]: the language server; [`cli`]: the command line.
//!
//! Only `proto` and `server` name LSP types; nothing below `project` touches the disk.

pub mod analysis;
pub mod base;
pub mod cli;
pub mod ide;
pub mod kb;
pub mod project;
pub mod proto;
pub mod server;
