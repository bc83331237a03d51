//! The one entry point of the core: text in, everything known about the note out.
//!
//! `analyze` runs, in order: layout ([`Structure`]) beside exact recognition, near-miss
//! detection (needs the workspace facts), sources, then every diagnostic rule. It is pure
//! and synchronous, and uses the rayon pool for what is independent (layout beside
//! recognition, source lines, rules; see ARCHITECTURE.md); the CLI calls it per file in parallel and the server per document
//! version. [`analyze_recognized`] starts from a recognition already made (the CLI recognises
//! every note once, for the workspace facts, and keeps it); [`analyze_with_memo`] recognises
//! only the lines that changed since the last analysis of the same note (the server, as the
//! user types).

use crate::config::Config;
use crate::diagnostics::{run_rules, Diagnostic, RuleContext};
use crate::kb::Kb;
use crate::recognize::memo::RecognitionMemo;
use crate::recognize::near_miss::Candidates;
use crate::recognize::{recognize, Recognition};
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
    recognition: Recognition,
    kb: &Kb,
    config: &Config,
    workspace: &WorkspaceFacts,
) -> Analysis {
    let (candidates, structure) = rayon::join(|| Candidates::find(kb, &recognition), || Structure::parse(text));
    analyze_candidates(text, structure, recognition, candidates, kb, config, workspace)
}

/// [`analyze`] of a note that keeps changing (an editor's open note): the lines the last
/// analysis recognised are taken from `memo` ([`RecognitionMemo`]); only changed lines are
/// recognised. `kb_generation` identifies `kb` to the memo.
pub fn analyze_with_memo(
    text: &str,
    kb: &Kb,
    kb_generation: u64,
    config: &Config,
    workspace: &WorkspaceFacts,
    memo: &mut RecognitionMemo,
) -> Analysis {
    let ((recognition, candidates), structure) =
        rayon::join(|| memo.recognize(text, kb, kb_generation), || Structure::parse(text));
    analyze_candidates(text, structure, recognition, candidates, kb, config, workspace)
}

/// The rest of the pipeline once the note is recognised and its near-miss candidates found.
fn analyze_candidates(
    text: &str,
    structure: Structure,
    mut recognition: Recognition,
    candidates: Candidates,
    kb: &Kb,
    config: &Config,
    workspace: &WorkspaceFacts,
) -> Analysis {
    let near_misses = candidates.weigh(text, kb, &recognition);
    near_misses.apply(kb, &mut recognition.mentions, &mut recognition.leftovers, workspace);
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
