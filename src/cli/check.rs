//! `seed-lsp check`: analyse every note under some paths and print the diagnostics.
//!
//! 1. Load `seed-lsp.toml` from the current folder (the workspace root), discover notes
//!    under the paths and `entities.toml` files in the workspace, build the KB (built-in +
//!    workspace files + `kb.paths`).
//! 2. Pass one, in parallel: read every note and recognise its exact mentions, to fill the
//!    [`WorkspaceFacts`] (which entities the workspace mentions; near misses need them).
//! 3. Pass two, in parallel: analyse every note against the KB and the facts, from the
//!    recognition of pass one ([`analyze_recognized`]: each note is recognised once).
//! 4. Print, sorted by path: human lines, LSP-shaped JSON, SARIF 2.1.0 ([`super::sarif`]) or
//!    GitHub workflow commands ([`super::github`]), then a summary.
//!
//! prh dictionaries (`prh.paths`) are loaded once, before pass one, when the `prh` rule is on;
//! each dictionary file is reported like a note (its failing specs and unsupported features are
//! diagnostics on the YAML).
//!
//! A note that cannot be read or is not UTF-8 is reported on one line and fails the run; a
//! note over the size limit is skipped with a warning; every other note is still checked.

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use serde_json::{json, Value};
use tower_lsp_server::ls_types::Uri;

use super::input::{read_note, InputProblem};
use super::kb_files::{self, KbProblem};
use super::lsp_json::{self, DocumentPositions};
use crate::analysis::analyze_recognized;
use crate::config::{Config, ConfigError};
use crate::diagnostics::{Diagnostic, Locale, RuleId, Severity};
use crate::kb::{Kb, SpellingKind};
use crate::prh;
use crate::recognize::{recognize, MentionForm, Recognition};
use crate::text::{LineIndex, PositionEncoding};
use crate::workspace::{discover, WorkspaceFacts};

/// Output format of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path:line:col: severity[rule]: message` lines and a summary.
    Human,
    /// `{"files":[{"path", "diagnostics":[LSP Diagnostic…]}], …}`.
    Json,
    /// SARIF 2.1.0 for code-scanning UIs (columns in Unicode code points).
    Sarif,
    /// GitHub Actions workflow commands: `::warning file=…,line=…::message` annotations.
    Github,
}

/// What `check` was asked to do.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub format: Format,
    pub locale: Option<Locale>,
    pub deny_warnings: bool,
    pub show_fixes: bool,
    /// Notes larger than this (bytes) are skipped; `None`: no limit.
    pub max_file_size: Option<u64>,
}

/// A note read and recognised in pass one.
type Recognised = (String, Recognition);

/// The outcome of one note (or prh dictionary).
pub(super) struct FileReport {
    pub path: PathBuf,
    pub outcome: Result<Checked, InputProblem>,
}

pub(super) struct Checked {
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Default)]
pub(super) struct Counts {
    checked: usize,
    /// Notes that could not be read or decoded (errors).
    unreadable: usize,
    /// Notes skipped for their size (warnings).
    too_large: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    hints: usize,
}

/// Run `check` from the current folder; returns the process exit code.
pub fn run(options: &CheckOptions) -> u8 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let (mut config, config_errors) = Config::load_from_dir(&cwd);
    report_config_errors(&config_errors);
    if let Some(locale) = options.locale {
        config.locale = locale;
    }
    let roots = if options.paths.is_empty() {
        default_roots(&cwd)
    } else {
        options.paths.clone()
    };

    let mut reports = Vec::new();
    let existing: Vec<PathBuf> = roots
        .into_iter()
        .filter(|root| {
            let exists = root.exists();
            if !exists {
                let error = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder");
                reports.push(FileReport {
                    path: root.clone(),
                    outcome: Err(InputProblem::Io(error)),
                });
            }
            exists
        })
        .collect();
    let found = discover(&existing, &config.include, &config.exclude);
    let kb_paths: Vec<PathBuf> = workspace_kb_files(&cwd, found.kb_files)
        .into_iter()
        .chain(config.kb_paths.iter().cloned())
        .collect();
    let loaded = kb_files::load(&kb_paths);
    let kb = &loaded.kb;
    if config.rules.get(RuleId::Prh).is_some() && !config.prh_paths.is_empty() {
        let dictionaries = prh::load(&config.prh_paths);
        config.prh = dictionaries.rules;
        reports.extend(dictionaries.files.into_iter().map(|f| dictionary_report(f, &cwd)));
    }
    let config = config;

    // Pass one: read and recognise, to know what the workspace mentions. The recognitions
    // are kept for pass two (about half the size of the notes).
    let notes: Vec<(PathBuf, Result<Recognised, InputProblem>)> = found
        .seeds
        .into_par_iter()
        .map(|path| {
            let note = read_note(&path, options.max_file_size).map(|text| {
                let recognition = recognize(&text, kb);
                (text, recognition)
            });
            (path, note)
        })
        .collect();
    let mut facts = WorkspaceFacts::new(kb);
    for (_, note) in &notes {
        if let Ok((_, recognition)) = note {
            facts.add_mentions(exact_entities(recognition, kb), false);
        }
    }

    // Pass two: analyse each note.
    reports.par_extend(notes.into_par_iter().map(|(path, note)| {
        let outcome = note.map(|(text, recognition)| {
            let diagnostics = analyze_recognized(&text, recognition, kb, &config, &facts).diagnostics;
            Checked { text, diagnostics }
        });
        FileReport { path, outcome }
    }));
    reports.sort_by_cached_key(|r| display_path(&r.path));

    let counts = count(&reports);
    let output = match options.format {
        Format::Human => render_human(&reports, &loaded.problems, &counts, config.locale, options.show_fixes),
        Format::Json => render_json(&reports, &loaded.problems, &counts, config.locale),
        Format::Sarif => super::sarif::render(&reports, &loaded.problems, config.locale),
        Format::Github => super::github::render(&reports, &loaded.problems, &counts, config.locale),
    };
    super::write_stdout(&output);

    let failed = !loaded.problems.is_empty()
        || counts.unreadable > 0
        || counts.errors > 0
        || (options.deny_warnings && (counts.warnings > 0 || counts.too_large > 0));
    u8::from(failed)
}

/// A prh dictionary as a checked file (its path relative to `cwd` when under it): its problems,
/// or why it could not be read.
fn dictionary_report(file: prh::PrhFile, cwd: &Path) -> FileReport {
    let outcome = match file.text {
        Ok(text) => Ok(Checked {
            text,
            diagnostics: file.diagnostics,
        }),
        Err(reason) => {
            let kind = if reason == "not found" {
                std::io::ErrorKind::NotFound
            } else {
                std::io::ErrorKind::Other
            };
            Err(InputProblem::Io(std::io::Error::new(kind, reason)))
        }
    };
    let path = match file.path.strip_prefix(cwd) {
        Ok(relative) => relative.to_path_buf(),
        Err(_) => file.path,
    };
    FileReport { path, outcome }
}

/// `seeds/` when the current folder has one, else the current folder.
pub(super) fn default_roots(cwd: &Path) -> Vec<PathBuf> {
    if cwd.join("seeds").is_dir() {
        vec![PathBuf::from("seeds")]
    } else {
        vec![PathBuf::from(".")]
    }
}

/// When the current folder is a workspace (it has a `seed-lsp.toml`, an `entities.toml` or is
/// a git checkout), it is treated as an editor opened there: its `entities.toml` files apply
/// whichever notes are checked, and so do those under checked folders outside it. Elsewhere
/// (checking `/tmp/note.txt` from a home folder) only the KB files under the checked paths
/// apply, and the current folder is not walked. `under_roots` are the KB files found under
/// the checked paths.
pub(super) fn workspace_kb_files(cwd: &Path, under_roots: Vec<PathBuf>) -> Vec<PathBuf> {
    let is_workspace = [crate::config::CONFIG_FILE, crate::workspace::KB_FILE_NAME, ".git"]
        .iter()
        .any(|marker| cwd.join(marker).exists());
    let tidy = |p: PathBuf| p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p);
    if !is_workspace {
        return under_roots.into_iter().map(tidy).collect();
    }
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let cwd = absolute(cwd);
    let mut files: Vec<PathBuf> = discover(&[PathBuf::from(".")], &[], &[])
        .kb_files
        .into_iter()
        .map(tidy)
        .collect();
    files.extend(under_roots.into_iter().filter(|p| !absolute(p).starts_with(&cwd)));
    files
}

/// Entities a note names with a KB spelling that is not a known misspelling: the evidence
/// near-miss detection may use from other notes.
pub(super) fn exact_mentions(text: &str, kb: &Kb) -> Vec<usize> {
    exact_entities(&recognize(text, kb), kb).collect()
}

/// [`exact_mentions`] of a recognition already made.
fn exact_entities<'a>(recognition: &'a Recognition, kb: &'a Kb) -> impl Iterator<Item = usize> + 'a {
    recognition
        .mentions
        .iter()
        .filter(|m| match m.form {
            MentionForm::Spelling(s) => kb.spellings[s].kind != SpellingKind::Misspelling,
            MentionForm::NearMiss { .. } => false,
        })
        .map(|m| m.entity)
}

pub(super) fn report_config_errors(errors: &[ConfigError]) {
    for e in errors {
        eprintln!("warning[config]: {}", e.message);
    }
}

pub(super) fn count(reports: &[FileReport]) -> Counts {
    let mut counts = Counts::default();
    for report in reports {
        match &report.outcome {
            Ok(checked) => {
                counts.checked += 1;
                for d in &checked.diagnostics {
                    match d.severity {
                        Severity::Error => counts.errors += 1,
                        Severity::Warning => counts.warnings += 1,
                        Severity::Information => counts.infos += 1,
                        Severity::Hint => counts.hints += 1,
                    }
                }
            }
            Err(problem) if problem.is_error() => counts.unreadable += 1,
            Err(_) => counts.too_large += 1,
        }
    }
    counts
}

/// A path as the user would type it: `./seeds/a.txt` → `seeds/a.txt`.
pub(super) fn display_path(path: &Path) -> String {
    let mut components = path.components();
    if path.components().next() == Some(Component::CurDir) && path.components().count() > 1 {
        components.next();
    }
    components.as_path().display().to_string()
}

fn render_human(
    reports: &[FileReport],
    kb_problems: &[KbProblem],
    counts: &Counts,
    locale: Locale,
    show_fixes: bool,
) -> String {
    let mut out = String::new();
    for problem in kb_problems {
        out.push_str(&problem.render("[kb]"));
        out.push('\n');
    }
    for report in reports {
        let path = display_path(&report.path);
        let checked = match &report.outcome {
            Ok(checked) => checked,
            Err(problem) => {
                let severity = if problem.is_error() { "error" } else { "warning" };
                out.push_str(&format!("{path}: {severity}: {problem}\n"));
                continue;
            }
        };
        let text = checked.text.as_str();
        let index = LineIndex::new(text);
        let at = |offset: usize| {
            let lc = index.line_col(text, offset, PositionEncoding::Utf32);
            format!("{path}:{}:{}", lc.line + 1, lc.col + 1)
        };
        for d in &checked.diagnostics {
            out.push_str(&format!(
                "{}: {}[{}]: {}\n",
                at(d.range.start),
                d.severity.as_str(),
                d.rule,
                d.message.get(locale)
            ));
            for related in &d.related {
                out.push_str(&format!(
                    "  {}: note: {}\n",
                    at(related.range.start),
                    related.message.get(locale)
                ));
            }
            if show_fixes {
                for fix in &d.fixes {
                    out.push_str(&format!("  fix: {}\n", fix.title.get(locale)));
                }
            }
        }
    }
    out.push_str(&summary(counts, kb_problems.len()));
    out.push('\n');
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `5 files checked: 2 errors, 17 warnings, 9 infos`, plus hints, unreadable files and KB
/// errors when there are any.
pub(super) fn summary(counts: &Counts, kb_errors: usize) -> String {
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

fn render_json(reports: &[FileReport], kb_problems: &[KbProblem], counts: &Counts, locale: Locale) -> String {
    let files: Vec<Value> = reports
        .iter()
        .map(|report| {
            let path = display_path(&report.path);
            let uri = lsp_json::file_uri(&report.path);
            match &report.outcome {
                Ok(checked) => {
                    let index = LineIndex::new(&checked.text);
                    let doc = DocumentPositions {
                        text: &checked.text,
                        index: &index,
                        encoding: PositionEncoding::Utf16,
                    };
                    let lsp_uri: Uri = uri.parse().expect("file_uri percent-encodes a valid URI");
                    let diagnostics: Vec<Value> = checked
                        .diagnostics
                        .iter()
                        .map(|d| lsp_json::diagnostic(d, doc, &lsp_uri, locale))
                        .collect();
                    json!({ "path": path, "uri": uri, "diagnostics": diagnostics })
                }
                Err(problem) => {
                    let key = if problem.is_error() { "error" } else { "warning" };
                    json!({ "path": path, "uri": uri, key: problem.to_string(), "diagnostics": [] })
                }
            }
        })
        .collect();
    let kb_errors: Vec<Value> = kb_problems
        .iter()
        .map(|p| {
            let (line, column) = p.position.unzip();
            json!({ "path": p.path, "line": line, "column": column, "message": p.message })
        })
        .collect();
    let value = json!({
        "files": files,
        "kbErrors": kb_errors,
        "summary": {
            "checked": counts.checked,
            "notChecked": counts.unreadable + counts.too_large,
            "errors": counts.errors,
            "warnings": counts.warnings,
            "infos": counts.infos,
            "hints": counts.hints,
        },
    });
    let mut text = serde_json::to_string_pretty(&value).expect("JSON values always serialise");
    text.push('\n');
    text
}
