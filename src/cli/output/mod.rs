//! What `check` prints, in four formats: human lines ([`human`]), LSP-shaped JSON
//! ([`json`]), SARIF 2.1.0 ([`sarif`]) and GitHub workflow commands ([`github`]). All render
//! the same [`FileReport`]s: one per note (or prh dictionary), sorted by path. `check` writes
//! them as it goes ([`stream`]), a few notes at a time, byte for byte what `render` of all
//! of them at once would print.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod stream;

use std::path::{Component, Path, PathBuf};

use crate::base::{Diagnostic, Severity};
use crate::project::read::ReadProblem;

/// The outcome of one note (or prh dictionary).
pub struct FileReport {
    pub path: PathBuf,
    pub outcome: Result<Checked, ReadProblem>,
}

pub struct Checked {
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Default)]
pub struct Counts {
    pub checked: usize,
    /// Notes that could not be read or decoded (errors).
    pub unreadable: usize,
    /// Notes skipped for their size (warnings).
    pub too_large: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub hints: usize,
}

#[cfg(test)] // `check` counts as it streams (`Counts::add`)
pub fn count(reports: &[FileReport]) -> Counts {
    let mut counts = Counts::default();
    for report in reports {
        counts.add(report);
    }
    counts
}

impl Counts {
    /// Count one more note.
    pub fn add(&mut self, report: &FileReport) {
        match &report.outcome {
            Ok(checked) => {
                self.checked += 1;
                for d in &checked.diagnostics {
                    match d.severity {
                        Severity::Error => self.errors += 1,
                        Severity::Warning => self.warnings += 1,
                        Severity::Information => self.infos += 1,
                        Severity::Hint => self.hints += 1,
                    }
                }
            }
            Err(problem) if problem.is_error() => self.unreadable += 1,
            Err(_) => self.too_large += 1,
        }
    }

    /// Add another tally.
    pub fn merge(&mut self, other: &Counts) {
        self.checked += other.checked;
        self.unreadable += other.unreadable;
        self.too_large += other.too_large;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.hints += other.hints;
    }
}

/// A path as the user would type it: `./seeds/a.txt` → `seeds/a.txt`.
pub fn display_path(path: &Path) -> String {
    let mut components = path.components();
    if path.components().next() == Some(Component::CurDir) && path.components().count() > 1 {
        components.next();
    }
    components.as_path().display().to_string()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `5 files checked: 2 errors, 17 warnings, 9 infos`, plus hints, unreadable files and KB
/// errors when there are any.
pub fn summary(counts: &Counts, kb_errors: usize) -> String {
    let mut line = format!(
        "{} checked: {}, {}, {}",
        plural(counts.checked, "file", "files"),
        plural(counts.errors, "error", "errors"),
        plural(counts.warnings, "warning", "warnings"),
        plural(counts.infos, "info", "infos"),
    );
    if counts.hints > 0 {
        line.push_str(&format!(", {}", plural(counts.hints, "hint", "hints")));
    }
    let mut extra = Vec::new();
    let not_checked = counts.unreadable + counts.too_large;
    if not_checked > 0 {
        extra.push(format!("{} not checked", plural(not_checked, "file", "files")));
    }
    if kb_errors > 0 {
        extra.push(plural(kb_errors, "KB error", "KB errors"));
    }
    if !extra.is_empty() {
        line.push_str(&format!(" ({})", extra.join(", ")));
    }
    line
}
