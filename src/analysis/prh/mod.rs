//! prh proofreading dictionaries (`prh.yml`): the rules Japanese writers already keep, read as
//! extra rules for notes (diagnostic `prh`, see [`crate::analysis::rules::prh`]).
//!
//! # What is read
//! - `version` (1), `imports` (a path, or a list of paths or `{path, disableImports, ignoreRules}`;
//!   paths relative to the importing file), `rules` (a string `expected`, or a mapping), `meta`
//!   (metadata, as in prh: no effect).
//! - Per rule: `expected`, `pattern` / `patterns` (a string or a list; `/regex/flags` or plain
//!   text; prh uses `pattern` when both are given), `regexpMustEmpty: $N`,
//!   `options.wordBoundary`, `specs` (`from` / `to`) and `prh` (a note shown with the
//!   diagnostic). Compiled and applied as prh does ([`rule`]); JavaScript regexes are translated
//!   ([`js_regex`]).
//! - Merging follows prh: a file's own rules first, then each import's (minus its
//!   `ignoreRules`, named by `expected` or by the pattern as prh prints it, `/…/gmu`, or as
//!   written), and a rule whose `expected` is already present is not added again.
//!
//! # What is reported (diagnostics on the YAML file, at the line concerned)
//! - Errors: YAML syntax, a file that cannot be read or imported, a rule without `expected`, an
//!   empty or untranslatable pattern, a bad `regexpMustEmpty`, and every **failing spec** (run at
//!   load time, like prh; the rule is still applied, so the note and the spec can be compared).
//! - Warnings: what is not supported and therefore has no effect — `targets` (rules apply to the
//!   whole note), regex flags prh drops or does not accept, unknown keys, an `ignoreRules` entry
//!   that names no rule, an import cycle.
//!
//! Loading reads files through [`DictionaryFiles`] (`project::prh` reads the disk, and may
//! prefer unsaved editor buffers); everything else here is pure. Load once per run, not per
//! note, and pass the rules to the analysis ([`crate::analysis::Context::prh`]); report
//! [`LoadedPrh::files`]' diagnostics on the dictionaries and watch [`PrhRules::files`]
//! (imports included) to reload.
//!
//! Applying them follows prh's engine: a note is matched paragraph by paragraph, with prh's
//! `prh:disable` pragmas, and the changes of all rules are resolved as prh resolves them
//! ([`engine`]); what is reported leaves out the context a rule keeps (`$1`, [`Hit::change`]).
//! `.ci/prh-diff.sh` holds the result equal to prh 5.4.4's on the dictionaries prh ships.
//!
//! Files: [`loader`] (reading a dictionary and its imports, prh's merge), [`dictionary`] (one
//! file's YAML → its rules, imports and problems), [`rule_entry`] (one entry of `rules`: its
//! fields, its patterns compiled, its specs run), [`rule`] (a compiled rule applied to a note),
//! [`engine`] (prh's paragraphs, pragmas and overlap resolution), [`clock`] (the thread CPU
//! time the rules' budgets are counted in),
//! [`js_regex`] (JavaScript regexes → `fancy-regex`), [`yaml`] (YAML with positions).

mod clock;
mod dictionary;
mod engine;
mod js_regex;
mod loader;
mod rule;
mod rule_entry;
#[cfg(test)]
pub(crate) mod tests;
mod yaml;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use clock::thread_time;
pub use engine::{paragraphs, resolve, Paragraph};
pub use loader::load_with;
pub use rule::{Hit, Rule, RuleOrigin, Stopped};

use crate::base::{Diagnostic, Message, Severity, TextRange};

/// The merged rules of the configured dictionaries; cheap to clone. Two sets are equal when
/// they were loaded from the same files with the same contents.
#[derive(Clone, Default)]
pub struct PrhRules {
    rules: Arc<Vec<Rule>>,
    /// Every file read, with its text (`None`: unreadable), in reading order.
    sources: Arc<Vec<(PathBuf, Option<String>)>>,
}

impl PrhRules {
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The files the rules were read from (dictionaries and their imports): what to watch.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.sources.iter().map(|(p, _)| p.as_path())
    }
}

impl PartialEq for PrhRules {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.sources, &other.sources) || self.sources == other.sources
    }
}

impl Eq for PrhRules {}

impl fmt::Debug for PrhRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrhRules")
            .field("rules", &self.rules.len())
            .field("files", &self.sources.iter().map(|(p, _)| p).collect::<Vec<_>>())
            .finish()
    }
}

/// A dictionary file as read: its text (or why it could not be read) and its problems.
#[derive(Clone, Debug)]
pub struct PrhFile {
    pub path: PathBuf,
    pub text: Result<String, String>,
    /// Problems found in it (rule `prh`, ranges in `text`).
    pub diagnostics: Vec<Diagnostic>,
}

/// The result of [`load_with`].
#[derive(Clone, Debug, Default)]
pub struct LoadedPrh {
    pub rules: PrhRules,
    /// Every file read (configured or imported), in reading order.
    pub files: Vec<PrhFile>,
}

/// How the loader reaches dictionary files; the file system is `project`'s business
/// (`project::prh`), tests give texts of their own.
pub trait DictionaryFiles {
    /// The key that identifies the file `path` names (its canonical path), so that a file
    /// imported twice, or through another path, is read once.
    fn key(&self, path: &Path) -> PathBuf;
    /// The file's text.
    fn read(&self, path: &Path) -> std::io::Result<String>;
}

/// A problem found in a dictionary file (rule `prh`, ranges in the file's text).
fn problem(range: TextRange, severity: Severity, en: impl Into<String>, ja: impl Into<String>) -> Diagnostic {
    Diagnostic::new(
        crate::analysis::rules::prh::RULE.id,
        severity,
        range,
        Message::new(en, ja),
    )
}
