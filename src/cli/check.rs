//! `seed-lsp check`: analyse every note under some paths and print the diagnostics.
//!
//! 1. Open the workspace of the current folder ([`Workspace`]: `seed-lsp.toml`, the notes
//!    under the paths, the KB — built-in, workspace `entities.toml` files, `kb.paths` — and
//!    the prh dictionaries).
//! 2. The one workspace pass ([`Pass`]): pass one reads and recognises every note to know
//!    what the workspace mentions; pass two analyses every note against the KB and those
//!    facts, from the recognition of pass one ([`analyze_recognized`]: each note is
//!    recognised once).
//! 3. Print, sorted by path, in one of the [`output`] formats, then a summary.
//!
//! prh dictionaries (`prh.paths`) are loaded once, before pass one, when the `prh` rule is on;
//! each dictionary file is reported like a note (its failing specs and unsupported features are
//! diagnostics on the YAML).
//!
//! A note that cannot be read or is not UTF-8 is reported on one line and fails the run; a
//! note over the size limit is skipped with a warning; every other note is still checked.

use std::path::{Path, PathBuf};

use super::output::{self, count, display_path, Checked, FileReport};
use crate::analysis::prh::PrhFile;
use crate::analysis::settings::ConfigError;
use crate::analysis::{analyze_recognized, Context};
use crate::base::{FileId, Locale};
use crate::project::batch::{self, Pass};
use crate::project::read::ReadProblem;
use crate::project::workspace::Workspace;

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
    /// Outside the current folder, KB files and dictionaries are read only under these.
    pub allow_read: Vec<PathBuf>,
}

/// Run `check` from the current folder; returns the process exit code.
pub fn run(options: &CheckOptions) -> u8 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut workspace = Workspace::open(&cwd, &options.paths, &options.allow_read);
    report_config_errors(&workspace.config_errors);
    if let Some(locale) = options.locale {
        workspace.config.locale = locale;
    }
    let prh = workspace.load_prh();
    let Workspace {
        config,
        unreadable,
        notes,
        kb_sources,
        kb,
        ..
    } = workspace;
    let mut reports: Vec<FileReport> = unreadable
        .into_iter()
        .map(|(path, problem)| FileReport {
            path,
            outcome: Err(problem),
        })
        .collect();
    let (prh_rules, dictionaries) = match prh {
        Some(loaded) => (loaded.rules, loaded.files),
        None => Default::default(),
    };
    reports.extend(dictionaries.into_iter().map(|f| dictionary_report(f, &cwd)));
    let kb_problems = kb_sources.all_problems();

    // The one workspace pass: recognitions are kept from pass one for pass two (about half
    // the size of the notes), so each note is recognised once.
    let read = batch::disk(options.max_file_size);
    let pass = Pass {
        kb: &kb,
        read: &read,
        progress: &batch::no_progress,
    };
    let analysed = pass
        .run(
            notes,
            |_, text, recognition| (text, recognition),
            |path, note, facts| {
                let file = FileId::from_path(&path);
                let cx = Context {
                    kb: &kb,
                    config: &config,
                    prh: &prh_rules,
                    facts,
                    file: Some(&file),
                };
                let outcome = note.map(|(text, recognition)| {
                    let diagnostics = analyze_recognized(&text, recognition, cx).diagnostics;
                    Checked { text, diagnostics }
                });
                FileReport { path, outcome }
            },
        )
        .expect("a pass without progress reporting runs to the end");
    reports.extend(analysed);
    reports.sort_by_cached_key(|r| display_path(&r.path));

    let counts = count(&reports);
    let locale = config.locale;
    let rendered = match options.format {
        Format::Human => output::human::render(&reports, &kb_problems, &counts, locale, options.show_fixes),
        Format::Json => output::json::render(&reports, &kb_problems, &counts, locale),
        Format::Sarif => output::sarif::render(&reports, &kb_problems, locale),
        Format::Github => output::github::render(&reports, &kb_problems, &counts, locale),
    };
    super::write_stdout(&rendered);

    let failed = !kb_problems.is_empty()
        || counts.unreadable > 0
        || counts.errors > 0
        || (options.deny_warnings && (counts.warnings > 0 || counts.too_large > 0));
    u8::from(failed)
}

/// A prh dictionary as a checked file (its path relative to `cwd` when under it): its problems,
/// or why it could not be read.
fn dictionary_report(file: PrhFile, cwd: &Path) -> FileReport {
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
            Err(ReadProblem::Io(std::io::Error::new(kind, reason)))
        }
    };
    let path = match file.path.strip_prefix(cwd) {
        Ok(relative) => relative.to_path_buf(),
        Err(_) => file.path,
    };
    FileReport { path, outcome }
}

pub(super) fn report_config_errors(errors: &[ConfigError]) {
    for e in errors {
        eprintln!("warning[config]: {}", e.message);
    }
}
