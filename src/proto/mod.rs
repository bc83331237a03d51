//! Conversion between the core's types and the LSP's (`tower_lsp_server::ls_types`):
//! URIs and file ids, positions, ranges, workspace edits, kinds and diagnostics — the
//! shape the server publishes and `seed-lsp check --format json` prints.

pub mod convert;
pub mod lsp_json;
