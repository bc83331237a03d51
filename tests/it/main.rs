//! The integration tests, one binary (`cargo test --test it`), one module per area. The
//! server and the command line are run as the built binary and spoken to as an editor or a
//! shell would; [`support::client`] is the one JSON-RPC client (the vault benchmark uses it
//! too). `tidy` holds `src/` to the layers and the size and header rules of ARCHITECTURE.md.

mod support;

mod cli;
mod cli_across_notes;
mod cli_reports;
mod faults_hostile;
mod faults_protocol;
mod faults_workspace;
mod hostile_cli;
mod hostile_input;
mod lsp_diagnostics;
mod lsp_features;
mod lsp_index_phases;
mod lsp_protocol;
mod lsp_warm_start;
mod lsp_workspace;
mod properties;
mod soak;
mod tidy;
mod unseen_notes;
