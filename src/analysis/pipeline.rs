//! The one entry point of the core: text in, everything known about the note out.
//!
//! `analyze` runs, in order: layout ([`Layout`]) beside exact recognition, near-miss
//! detection (needs the workspace facts), sources, then every diagnostic rule. It is pure
//! and synchronous, and uses the rayon pool for what is independent (layout beside
//! recognition, source lines, rules; see ARCHITECTURE.md); the CLI calls it per file in parallel and the server per document
//! version. [`analyze_recognized`] starts from a recognition already made (the CLI recognises
//! every note once, for the workspace facts, and keeps it); [`analyze_with_memo`] recognises
//! only the lines that changed since the last analysis of the same note (the server, as the
//! user types).

use crate::analysis::facts::WorkspaceFacts;
use crate::analysis::layout::Layout;
use crate::analysis::prh::PrhRules;
use crate::analysis::recognize::memo::RecognitionMemo;
use crate::analysis::recognize::near_miss::Candidates;
use crate::analysis::recognize::{recognize, Recognition};
use crate::analysis::rules::{run_rules, RuleContext};
use crate::analysis::settings::Config;
use crate::analysis::sources::{find_sources, Sources};
use crate::base::Diagnostic;
use crate::kb::Kb;

/// What a note is analysed against: everything but its own text.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub kb: &'a Kb,
    pub config: &'a Config,
    /// The rules of the configured prh dictionaries (empty when there are none).
    pub prh: &'a PrhRules,
    /// What the rest of the workspace mentions.
    pub facts: &'a WorkspaceFacts,
}

#[derive(Debug)]
pub struct Analysis {
    pub layout: Layout,
    /// Mentions (exact and near misses), and what recognition left over.
    pub recognition: Recognition,
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn analyze(text: &str, cx: Context) -> Analysis {
    analyze_recognized(text, recognize(text, cx.kb), cx)
}

/// [`analyze`], given `recognize(text, kb)`.
pub fn analyze_recognized(text: &str, recognition: Recognition, cx: Context) -> Analysis {
    let (candidates, layout) = rayon::join(|| Candidates::find(cx.kb, &recognition), || Layout::parse(text));
    analyze_candidates(text, layout, recognition, candidates, cx)
}

/// [`analyze`] of a note that keeps changing (an editor's open note): the lines the last
/// analysis recognised are taken from `memo` ([`RecognitionMemo`]); only changed lines are
/// recognised. `kb_generation` identifies `kb` to the memo.
pub fn analyze_with_memo(text: &str, cx: Context, kb_generation: u64, memo: &mut RecognitionMemo) -> Analysis {
    let ((recognition, candidates), layout) =
        rayon::join(|| memo.recognize(text, cx.kb, kb_generation), || Layout::parse(text));
    analyze_candidates(text, layout, recognition, candidates, cx)
}

/// The rest of the pipeline once the note is recognised and its near-miss candidates found.
fn analyze_candidates(
    text: &str,
    layout: Layout,
    mut recognition: Recognition,
    candidates: Candidates,
    cx: Context,
) -> Analysis {
    let kb = cx.kb;
    let near_misses = candidates.weigh(text, kb, &recognition);
    near_misses.apply(kb, &mut recognition.mentions, &mut recognition.leftovers, cx.facts);
    let sources = find_sources(text, &layout, &recognition.mentions, kb);
    let rules = RuleContext {
        text,
        kb,
        layout: &layout,
        recognition: &recognition,
        sources: &sources,
        workspace: cx.facts,
        prh: cx.prh,
    };
    let diagnostics = run_rules(&rules, &cx.config.rules);
    Analysis {
        layout,
        recognition,
        sources,
        diagnostics,
    }
}
