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

use crate::analysis::facts::{PassageIndex, WorkspaceFacts};
use crate::analysis::layout::Layout;
use crate::analysis::note_date::Dating;
use crate::analysis::prh::PrhRules;
use crate::analysis::recognize::Recognition;
use crate::analysis::settings::RuleSeverities;
use crate::analysis::sources::Sources;
use crate::base::{Diagnostic, FileId, Message, RuleId, Severity, TextRange};
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

/// The first `max` characters of `chars` for a message, with `…` when there were more.
pub(crate) fn shortened(mut chars: impl Iterator<Item = char>, max: usize) -> String {
    let mut quoted: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() {
        quoted.push('…');
    }
    quoted
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
    /// The note's own date ([`crate::analysis::note_date`]).
    pub dating: &'a Dating,
    pub workspace: &'a WorkspaceFacts,
    /// The prh dictionaries' rules (loaded once per run, see [`crate::analysis::prh`]).
    pub prh: &'a PrhRules,
    /// The note's name, when it has one.
    pub file: Option<&'a FileId>,
    /// Every note's paragraph fingerprints, when passages are compared across notes.
    pub passages: Option<&'a PassageIndex>,
    /// The comparison key of each of the note's paragraphs (`duplicate-passage`).
    pub passage_keys: &'a duplicate_passage::PassageKeys<'a>,
}

/// The most diagnostics reported for one note: the first ones by position, then one more
/// that says how many were left out. A note of 200,000 unmatched brackets is a pasted dump,
/// not 200,000 things to fix; each diagnostic costs kilobytes in the editor and in JSON.
pub const MAX_DIAGNOSTICS_PER_NOTE: usize = 1000;

/// Run every enabled rule and apply the configured severities. Sorted by position, then by
/// registry order; at most [`MAX_DIAGNOSTICS_PER_NOTE`] and one that counts the rest.
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
    let found: Vec<(usize, Vec<Diagnostic>, LeftOut)> = RULES
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
            // Only the first of a rule's diagnostics can be among the note's first.
            found.sort_by_key(|d| (d.range.start, d.range.end));
            let left_out = LeftOut::of(found.split_off(found.len().min(MAX_DIAGNOSTICS_PER_NOTE)));
            Some((order, found, left_out))
        })
        .collect();
    let mut left_out = LeftOut::default();
    let mut out: Vec<(usize, Diagnostic)> = Vec::new();
    for (order, found, rest) in found {
        out.extend(found.into_iter().map(|d| (order, d)));
        left_out.add(rest);
    }
    out.sort_by_key(|(order, d)| (d.range.start, d.range.end, *order));
    let kept = out.len().min(MAX_DIAGNOSTICS_PER_NOTE);
    left_out.add(LeftOut::of(out.split_off(kept).into_iter().map(|(_, d)| d).collect()));
    let mut out: Vec<Diagnostic> = out.into_iter().map(|(_, d)| d).collect();
    out.extend(left_out.diagnostic());
    out
}

/// The diagnostics of a note past [`MAX_DIAGNOSTICS_PER_NOTE`], counted: how many, where the
/// first is, how severe the worst is (so a run still fails on an error left out), and which
/// rule found most of them.
#[derive(Default)]
struct LeftOut {
    count: usize,
    first: Option<usize>,
    worst: Option<Severity>,
    by_rule: Vec<(RuleId, usize)>,
}

impl LeftOut {
    fn of(diagnostics: Vec<Diagnostic>) -> LeftOut {
        let mut left_out = LeftOut::default();
        for d in &diagnostics {
            left_out.count += 1;
            left_out.first = Some(left_out.first.map_or(d.range.start, |f| f.min(d.range.start)));
            left_out.worst = Some(left_out.worst.map_or(d.severity, |w| w.min(d.severity)));
            match left_out.by_rule.iter_mut().find(|(r, _)| *r == d.rule) {
                Some((_, n)) => *n += 1,
                None => left_out.by_rule.push((d.rule, 1)),
            }
        }
        left_out
    }

    fn add(&mut self, other: LeftOut) {
        self.count += other.count;
        self.first = self.first.into_iter().chain(other.first).min();
        self.worst = self.worst.into_iter().chain(other.worst).min();
        for (rule, n) in other.by_rule {
            match self.by_rule.iter_mut().find(|(r, _)| *r == rule) {
                Some((_, m)) => *m += n,
                None => self.by_rule.push((rule, n)),
            }
        }
    }

    /// One diagnostic at the first one left out, under the rule that found most of them.
    fn diagnostic(&self) -> Option<Diagnostic> {
        let (first, worst) = (self.first?, self.worst?);
        let &(rule, _) = self.by_rule.iter().max_by_key(|(_, n)| *n)?;
        let n = self.count;
        let max = MAX_DIAGNOSTICS_PER_NOTE;
        Some(Diagnostic::new(
            rule,
            worst,
            TextRange::empty(first),
            Message::new(
                format!("{n} more diagnostics in this note are not shown (at most {max} are reported per note)"),
                format!("このメモにはほかに{n}件の問題があります（1つのメモにつき{max}件まで表示します）"),
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::{analyze_alone, test_kb};

    #[test]
    fn a_note_gets_at_most_a_thousand_diagnostics_and_one_that_counts_the_rest() {
        let text = "「\n".repeat(5000);
        let diagnostics = analyze_alone(&text, &test_kb()).diagnostics;
        assert_eq!(diagnostics.len(), MAX_DIAGNOSTICS_PER_NOTE + 1);
        assert!(diagnostics.windows(2).all(|w| w[0].range.start <= w[1].range.start));
        let last = diagnostics.last().unwrap();
        assert_eq!(
            last.message.en,
            "4000 more diagnostics in this note are not shown (at most 1000 are reported per note)"
        );
        assert_eq!(last.rule, unmatched_bracket::RULE.id);
        assert_eq!(
            last.severity, diagnostics[0].severity,
            "as severe as the worst left out"
        );
        assert_eq!(last.range, TextRange::empty("「\n".len() * MAX_DIAGNOSTICS_PER_NOTE));
        // A note under the limit is untouched.
        assert_eq!(analyze_alone(&"「\n".repeat(10), &test_kb()).diagnostics.len(), 10);
    }
}
