//! seed-lsp: entity recognition, diagnostics and sources for Japanese news-clipping notes.
//!
//! The analysis core (everything but [`server`] and [`cli`]) is plain synchronous Rust over
//! `&str`: no LSP types, no async. The CLI and the language server both call it.
//! See ARCHITECTURE.md for the map.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod date;
pub mod diagnostics;
pub mod ide;
pub mod kb;
pub mod normalize;
pub mod prh;
pub mod recognize;
pub mod report;
pub mod server;
pub mod sources;
pub mod structure;
pub mod text;
pub mod workspace;

#[cfg(test)]
pub(crate) mod test_support;
