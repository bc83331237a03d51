//! The rule registry and what every rule reads.
//!
//! One file per rule (the way harper-core keeps one lint per file), each with its tests
//! beside it. A rule file declares everything about its rule in one [`Rule`] constant —
//! stable id, default severity, summary in English and Japanese, and its `check` function
//! — and the [`registry!`] line below names it: a new rule is one new file and one line.
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
use crate::base::{Diagnostic, Locale, Message, RuleId, Severity, TextRange};
use crate::kb::Kb;

/// Declares the rule modules and lists their [`Rule`]s, in the order diagnostics at the same
/// range are reported.
macro_rules! registry {
    ($($rule:ident),* $(,)?) => {
        $(pub mod $rule;)*
        /// Every rule, in registry order.
        pub const RULES: &[&Rule] = &[$(&$rule::RULE),*];
    };
}

registry! {
    misspelled_entity,
    deprecated_name,
    title_mismatch,
    glued_entities,
    unknown_entity,
    unmatched_bracket,
    duplicate_passage,
    unattributed_clipping,
    prh,
}

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

impl Summary {
    pub fn get(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::En => self.en,
            Locale::Ja => self.ja,
        }
    }
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
                d.severity = severity;
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
