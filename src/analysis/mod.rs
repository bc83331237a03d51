//! One note's text → everything known about it, against a knowledge base, the user's
//! settings and what the rest of the workspace mentions. Pure and synchronous: no I/O, no
//! LSP types, no async (rayon is used for what is independent inside one analysis).
//!
//! - [`recognize`]: entity mentions (exact, glued, near misses) and what is left over;
//! - [`layout`]: lines, paragraphs, fences and clipping blocks;
//! - [`sources`]: source attributions and the source covering each paragraph;
//! - [`note_date`]: the note's own date, from what it says (for undated paragraphs);
//! - [`facts`]: what the workspace mentions (near misses are confirmed by it);
//! - [`settings`]: the user's configuration (`seed-lsp.toml`, editor settings);
//! - [`rules`]: the rule registry and one file per rule;
//! - [`prh`]: prh.yml proofreading dictionaries;
//! - [`report`]: the entity report and its co-occurrence graph;
//! - [`pieces`]: the per-piece memo of an edited note (lines, paragraphs);
//! - [`pipeline`]: the order in which the above run ([`analyze`]).

pub mod facts;
pub mod layout;
pub mod note_date;
pub mod pieces;
pub mod pipeline;
pub mod prh;
pub mod recognize;
pub mod report;
pub mod rules;
pub mod settings;
pub mod sources;

#[cfg(test)]
pub(crate) mod test_support;

pub use pipeline::{analyze, analyze_recognized, analyze_with_memo, Analysis, Context};
