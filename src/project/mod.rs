//! Every touch of the file system: the one reading policy ([`read`]) and what may be read
//! beyond the notes ([`scope`]: the workspace, and what the user allowed), discovery of notes
//! and KB files ([`discover`]), loading the KB ([`kb`], [`kb_sources`]), prh dictionaries
//! and `seed-lsp.toml` ([`config`]), and the one workspace pass that the CLI, the server's
//! indexing, the test fixtures and the benchmark all use.

pub mod batch;
pub mod builtin_copy;
pub mod cache;
pub mod config;
pub mod discover;
pub mod kb;
pub mod prh;
pub mod read;
pub mod scope;
pub mod workspace;
