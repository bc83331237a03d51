//! The one entry point of the core: text in, everything known about the note out.
//!
//! `analyze` runs, in order: layout ([`Structure`]), exact recognition, near-miss
//! detection (needs the workspace facts), sources, then every diagnostic rule. It is pure
//! and synchronous; the CLI calls it per file in parallel and the server per document
//! version. [`analyze_recognized`] starts from a recognition already made (the CLI recognises
//! every note once, for the workspace facts, and keeps it).

use crate::config::Config;
use crate::diagnostics::{run_rules, Diagnostic, RuleContext};
use crate::kb::Kb;
use crate::recognize::{near_miss, recognize, Recognition};
use crate::sources::{find_sources, Sources};
use crate::structure::Structure;
use crate::workspace::WorkspaceFacts;

#[derive(Debug)]
pub struct Analysis {
    pub structure: Structure,
    /// Mentions (exact and near misses), and what recognition left over.
    pub recognition: Recognition,
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn analyze(text: &str, kb: &Kb, config: &Config, workspace: &WorkspaceFacts) -> Analysis {
    analyze_recognized(text, recognize(text, kb), kb, config, workspace)
}

/// [`analyze`], given `recognize(text, kb)`.
pub fn analyze_recognized(
    text: &str,
    mut recognition: Recognition,
    kb: &Kb,
    config: &Config,
    workspace: &WorkspaceFacts,
) -> Analysis {
    let structure = Structure::parse(text);
    near_miss::add_near_misses(text, kb, &mut recognition, workspace);
    let sources = find_sources(text, &structure, &recognition.mentions, kb);
    let cx = RuleContext {
        text,
        kb,
        structure: &structure,
        recognition: &recognition,
        sources: &sources,
        workspace,
        prh: &config.prh,
    };
    let diagnostics = run_rules(&cx, &config.rules);
    Analysis {
        structure,
        recognition,
        sources,
        diagnostics,
    }
}
