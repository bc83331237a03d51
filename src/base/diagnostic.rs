//! The diagnostic data model shared by the rules, the CLI and the server: a [`Diagnostic`]
//! is a byte range, the id of the rule that found it, a [`Severity`], a bilingual
//! [`Message`], [`Related`] places and quick [`Fix`]es as byte-range [`Edit`]s. Which rules
//! exist, their default severities and summaries, is the rule registry's business
//! (`analysis::rules`); here a rule is only its stable id.

use crate::base::FileId;
use std::fmt;

use serde::Serialize;

use super::TextRange;

/// A rule's stable identifier (`misspelled-entity`): what `seed-lsp.toml` names, what the
/// CLI prints and the LSP `code` of its diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(&'static str);

impl RuleId {
    pub const fn new(id: &'static str) -> Self {
        RuleId(id)
    }

    pub fn as_str(self) -> &'static str {
        self.0
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

/// Another place that explains a diagnostic: in the same document (the first copy of a
/// duplicated passage, the opening bracket of a mismatched pair), or in another note (the
/// other copy of a passage pasted into two notes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// The place in the same document (empty when the place is `elsewhere`).
    pub range: TextRange,
    pub message: Message,
    pub elsewhere: Option<Elsewhere>,
}

/// Whole lines of another note: its name and the first and last line (0-based), which need
/// neither its text nor a position encoding to be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Elsewhere {
    pub file: FileId,
    pub first_line: u32,
    pub last_line: u32,
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
    /// A diagnostic of `rule` at `severity` (the registry's `Rule::diagnostic` gives a
    /// rule's default; configured severities apply when the rules have run).
    pub fn new(rule: RuleId, severity: Severity, range: TextRange, message: Message) -> Self {
        Diagnostic {
            range,
            rule,
            severity,
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
        self.related.push(Related {
            range,
            message,
            elsewhere: None,
        });
        self
    }

    /// A related place in another note.
    pub fn with_related_elsewhere(mut self, elsewhere: Elsewhere, message: Message) -> Self {
        self.related.push(Related {
            range: TextRange::empty(0),
            message,
            elsewhere: Some(elsewhere),
        });
        self
    }
}
