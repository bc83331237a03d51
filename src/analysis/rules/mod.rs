//! The rule registry and what every rule reads.
//!
//! One file per rule (the way harper-core keeps one lint per file), each with its tests
//! beside it. A rule file declares everything about its rule in one [`Rule`] constant —
//! stable id, default severity, summary in English and Japanese, and its `check` function
//! — and one line of [`RULES`] names it: a new rule is one new file and one line.
//! A rule reads the already computed layout, mentions and sources through a [`RuleContext`]
//! and never re-scans the workspace or rebuilds matchers. Rule ids are stable (they appear
//! in `seed-lsp.toml`, in CLI output and as LSP codes).

use rayon::prelude::*;

use crate::analysis::facts::WorkspaceFacts;
use crate::analysis::layout::Layout;
use crate::analysis::prh::PrhRules;
use crate::analysis::recognize::Recognition;
use crate::analysis::settings::RuleSeverities;
use crate::analysis::sources::Sources;
use crate::base::{Diagnostic, Message, RuleId, Severity, TextRange};
use crate::kb::Kb;

pub mod deprecated_name;
pub mod duplicate_passage;
pub mod glued_entities;
pub mod misspelled_entity;
pub mod prh;
pub mod title_mismatch;
pub mod unattributed_clipping;
pub mod unknown_entity;
pub mod unmatched_bracket;

/// Every rule, in the order diagnostics at the same range are reported. A new rule is a new
/// file (declared above) and one line here.
pub const RULES: &[&Rule] = &[
    &misspelled_entity::RULE,
    &deprecated_name::RULE,
    &title_mismatch::RULE,
    &glued_entities::RULE,
    &unknown_entity::RULE,
    &unmatched_bracket::RULE,
    &duplicate_passage::RULE,
    &unattributed_clipping::RULE,
    &prh::RULE,
];

#[cfg(test)]
pub(crate) mod test_fixture;

/// What a rule checks a note for.
pub type Check = fn(&RuleContext, &mut Vec<Diagnostic>);

/// A one-line description of a rule in both message languages.
#[derive(Clone, Copy, Debug)]
pub struct Summary {
    pub en: &'static str,
    pub ja: &'static str,
}

/// Everything about one rule, declared in its file.
pub struct Rule {
    pub id: RuleId,
    pub default_severity: Severity,
    pub summary: Summary,
    pub check: Check,
}

impl Rule {
    /// A diagnostic of this rule at its default severity (configured severities are applied
    /// once every rule has run).
    pub fn diagnostic(&self, range: TextRange, message: Message) -> Diagnostic {
        Diagnostic::new(self.id, self.default_severity, range, message)
    }
}

/// The rule with id `id` (`None` for a name no rule has, from a user's settings).
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id.as_str() == id)
}

/// The registered rule of an id the program made.
pub fn rule(id: RuleId) -> &'static Rule {
    RULES
        .iter()
        .copied()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("rule {id} is not registered"))
}

/// Everything a rule may read. Built once per analysis.
pub struct RuleContext<'a> {
    pub text: &'a str,
    pub kb: &'a Kb,
    pub layout: &'a Layout,
    pub recognition: &'a Recognition,
    pub sources: &'a Sources,
    pub workspace: &'a WorkspaceFacts,
    /// The prh dictionaries' rules (loaded once per run, see [`crate::analysis::prh`]).
    pub prh: &'a PrhRules,
}

/// Run every enabled rule and apply the configured severities. Sorted by position, then by
/// registry order.
pub fn run_rules(cx: &RuleContext, severities: &RuleSeverities) -> Vec<Diagnostic> {
    run_rules_around(cx, severities, |_, check| check())
}

/// [`run_rules`], with each enabled rule's check run by `around(rule, check)` (the pipeline's
/// stage clock times the rules one by one this way).
pub fn run_rules_around(
    cx: &RuleContext,
    severities: &RuleSeverities,
    around: impl Fn(&'static Rule, &mut dyn FnMut()) + Sync,
) -> Vec<Diagnostic> {
    // Rules are independent of each other: they run side by side on the rayon pool (the
    // server's latency after a keystroke on a long note; in `check` every thread is already
    // busy with a note of its own and the rules run one after another).
    let found: Vec<(usize, Vec<Diagnostic>)> = RULES
        .par_iter()
        .enumerate()
        .filter_map(|(order, &rule)| {
            let severity = severities.get(rule.id)?;
            let mut found = Vec::new();
            around(rule, &mut || (rule.check)(cx, &mut found));
            for d in &mut found {
                debug_assert_eq!(d.rule, rule.id, "a rule reports under its own id");
                // A rule may report below its default severity (a KB deprecation with
                // `severity = "info"`); the configured severity then only lowers it further.
                d.severity = if d.severity > rule.default_severity {
                    d.severity.max(severity)
                } else {
                    severity
                };
            }
            Some((order, found))
        })
        .collect();
    let mut out: Vec<(usize, Diagnostic)> = found
        .into_iter()
        .flat_map(|(order, found)| found.into_iter().map(move |d| (order, d)))
        .collect();
    out.sort_by_key(|(order, d)| (d.range.start, d.range.end, *order));
    out.into_iter().map(|(_, d)| d).collect()
}
