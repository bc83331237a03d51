//! Diagnostics: the rule registry, the diagnostic data model and the shared rule context.
//!
//! One file per rule (the way harper-core keeps one lint per file), each with its tests
//! beside it. A rule is a function `check(&RuleContext, &mut Vec<Diagnostic>)`; it reads the
//! already computed structure, mentions and sources and never re-scans the workspace.
//! Rule ids are stable (they appear in `seed-lsp.toml`, in CLI output and as LSP codes).

mod deprecated_name;
mod duplicate_passage;
mod glued_entities;
mod misspelled_entity;
mod prh;
mod title_mismatch;
mod unattributed_clipping;
mod unknown_entity;
mod unmatched_bracket;

use std::fmt;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::RuleSeverities;
use crate::kb::Kb;
use crate::prh::PrhRules;
use crate::recognize::Recognition;
use crate::sources::Sources;
use crate::structure::Structure;
use crate::text::TextRange;
use crate::workspace::WorkspaceFacts;

/// Stable rule identifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleId {
    MisspelledEntity,
    DeprecatedName,
    TitleMismatch,
    GluedEntities,
    UnknownEntity,
    UnmatchedBracket,
    DuplicatePassage,
    UnattributedClipping,
    Prh,
}

impl RuleId {
    pub const ALL: [RuleId; 9] = [
        RuleId::MisspelledEntity,
        RuleId::DeprecatedName,
        RuleId::TitleMismatch,
        RuleId::GluedEntities,
        RuleId::UnknownEntity,
        RuleId::UnmatchedBracket,
        RuleId::DuplicatePassage,
        RuleId::UnattributedClipping,
        RuleId::Prh,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::MisspelledEntity => "misspelled-entity",
            RuleId::DeprecatedName => "deprecated-name",
            RuleId::TitleMismatch => "title-mismatch",
            RuleId::GluedEntities => "glued-entities",
            RuleId::UnknownEntity => "unknown-entity",
            RuleId::UnmatchedBracket => "unmatched-bracket",
            RuleId::DuplicatePassage => "duplicate-passage",
            RuleId::UnattributedClipping => "unattributed-clipping",
            RuleId::Prh => "prh",
        }
    }

    pub fn parse(s: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            RuleId::UnknownEntity | RuleId::DuplicatePassage | RuleId::UnattributedClipping => Severity::Information,
            _ => Severity::Warning,
        }
    }

    /// One line describing the rule (for `--help`-style listings and the README).
    pub fn summary(self) -> &'static str {
        match self {
            RuleId::MisspelledEntity => "a near miss of a known name (トカレフ for トカエフ)",
            RuleId::DeprecatedName => "an outdated spelling (キエフ → キーウ)",
            RuleId::TitleMismatch => "a title the person did not hold at the note's date, or a broken title",
            RuleId::GluedEntities => "two known names run together with no separator",
            RuleId::UnknownEntity => {
                "a name-like word (katakana name with a title, Latin acronym) the KB does not know"
            }
            RuleId::UnmatchedBracket => "an opening bracket or quote never closed, a closing one never opened",
            RuleId::DuplicatePassage => "a paragraph repeated in the same note",
            RuleId::UnattributedClipping => "a ****title**** clipping block with no source line",
            RuleId::Prh => "a rule of a prh.yml proofreading dictionary (prh.paths in seed-lsp.toml)",
        }
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// LSP-compatible severities (1 = error … 4 = hint).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Severity {
    Error = 1,
    Warning = 2,
    Information = 3,
    Hint = 4,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "info",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "error" => Severity::Error,
            "warning" | "warn" => Severity::Warning,
            "info" | "information" => Severity::Information,
            "hint" => Severity::Hint,
            _ => return None,
        })
    }
}

/// Message language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    #[default]
    En,
    Ja,
}

impl Locale {
    pub fn parse(s: &str) -> Option<Locale> {
        match s.to_ascii_lowercase().as_str() {
            "en" | "en-us" | "en-gb" | "english" => Some(Locale::En),
            "ja" | "ja-jp" | "japanese" => Some(Locale::Ja),
            _ => None,
        }
    }
}

/// A message in both supported languages; pick one with [`Message::get`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub en: String,
    pub ja: String,
}

impl Message {
    pub fn new(en: impl Into<String>, ja: impl Into<String>) -> Self {
        Message {
            en: en.into(),
            ja: ja.into(),
        }
    }

    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::En => &self.en,
            Locale::Ja => &self.ja,
        }
    }
}

/// A replacement of `range` by `new_text` in the document the diagnostic is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

/// A quick fix: a title and the edits that apply it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: Message,
    pub edits: Vec<Edit>,
}

/// Another place in the same document that explains a diagnostic (the first copy of a
/// duplicated passage, the opening bracket of a mismatched pair).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub range: TextRange,
    pub message: Message,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub range: TextRange,
    pub rule: RuleId,
    pub severity: Severity,
    pub message: Message,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    /// A diagnostic with the rule's default severity (configuration applies later).
    pub fn new(rule: RuleId, range: TextRange, message: Message) -> Self {
        Diagnostic {
            range,
            rule,
            severity: rule.default_severity(),
            message,
            related: Vec::new(),
            fixes: Vec::new(),
        }
    }

    pub fn with_fix(mut self, title: Message, edits: Vec<Edit>) -> Self {
        self.fixes.push(Fix { title, edits });
        self
    }

    pub fn with_related(mut self, range: TextRange, message: Message) -> Self {
        self.related.push(Related { range, message });
        self
    }
}

/// Everything a rule may read. Built once per analysis.
pub struct RuleContext<'a> {
    pub text: &'a str,
    pub kb: &'a Kb,
    pub structure: &'a Structure,
    pub recognition: &'a Recognition,
    pub sources: &'a Sources,
    pub workspace: &'a WorkspaceFacts,
    /// The prh dictionaries' rules (loaded once per run, see [`crate::prh`]).
    pub prh: &'a PrhRules,
}

/// The signature every rule module exports as `check`.
type RuleCheck = fn(&RuleContext, &mut Vec<Diagnostic>);

/// Run every enabled rule and apply the configured severities. Sorted by position.
pub fn run_rules(cx: &RuleContext, severities: &RuleSeverities) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let rules: [(RuleId, RuleCheck); 9] = [
        (RuleId::MisspelledEntity, misspelled_entity::check),
        (RuleId::DeprecatedName, deprecated_name::check),
        (RuleId::TitleMismatch, title_mismatch::check),
        (RuleId::GluedEntities, glued_entities::check),
        (RuleId::UnknownEntity, unknown_entity::check),
        (RuleId::UnmatchedBracket, unmatched_bracket::check),
        (RuleId::DuplicatePassage, duplicate_passage::check),
        (RuleId::UnattributedClipping, unattributed_clipping::check),
        (RuleId::Prh, prh::check),
    ];
    // Rules are independent of each other: they run side by side on the rayon pool (the
    // server's latency after a keystroke on a long note; in `check` every thread is already
    // busy with a note of its own and the rules run one after another).
    let found: Vec<Vec<Diagnostic>> = rules
        .par_iter()
        .filter_map(|&(rule, check)| {
            let severity = severities.get(rule)?;
            let mut found = Vec::new();
            check(cx, &mut found);
            for d in &mut found {
                debug_assert_eq!(d.rule, rule, "a rule reports under its own id");
                d.severity = severity;
            }
            Some(found)
        })
        .collect();
    out.extend(found.into_iter().flatten());
    out.sort_by_key(|d| (d.range.start, d.range.end, d.rule));
    out
}

#[cfg(test)]
pub(crate) mod test_fixture;
