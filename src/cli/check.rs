//! `seed-lsp check`: analyse every note under some paths and print the diagnostics.
//!
//! 1. Open the workspace of the current folder ([`Workspace`]: `seed-lsp.toml`, the notes
//!    under the paths, the KB — built-in, workspace `entities.toml` files, `kb.paths` — and
//!    the prh dictionaries).
//! 2. Pass one of the workspace pass ([`Pass`]): every note read and recognised to know what
//!    the workspace mentions; nothing of a note is kept but whether it could be read.
//! 3. Pass two, in path order, a few notes per thread at a time: each note read again,
//!    analysed against the KB and those facts, rendered in one of the output formats and
//!    written at once ([`Stream`]), then the summary — memory holds the notes in flight, so
//!    a vault larger than memory can be checked (for a second recognition of each note).
//!
//! prh dictionaries (`prh.paths`) are loaded once, before pass one, when the `prh` rule is on;
//! each dictionary file is reported like a note (its failing specs and unsupported features are
//! diagnostics on the YAML).
//!
//! A note that cannot be read or is not UTF-8 is reported on one line and fails the run; a
//! note over the size limit is skipped with a warning; every other note is still checked.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::output::stream::{Kind, Piece, Renderer, Stream};
use super::output::{display_path, Checked, Counts, FileReport};
use crate::analysis::prh::PrhFile;
use crate::analysis::settings::ConfigError;
use crate::analysis::{analyze, Context};
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
    let mut done: Vec<FileReport> = unreadable
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
    done.extend(dictionaries.into_iter().map(|f| dictionary_report(f, &cwd)));
    let kb_problems = kb_sources.all_problems();

    // Pass one keeps nothing of a note but whether it could be read: the facts are all pass
    // two needs, and a vault larger than memory can be checked.
    let read = batch::disk(options.max_file_size);
    let pass = Pass {
        kb: &kb,
        read: &read,
        progress: &batch::no_progress,
    };
    let tally = pass
        .tally(notes, |_, _, _| ())
        .expect("a pass without progress reporting runs to the end");
    let mut items: Vec<Item> = done.into_iter().map(Item::Done).collect();
    items.extend(tally.notes.into_iter().map(|(path, kept)| match kept {
        Ok(()) => Item::Note(path),
        Err(problem) => Item::Done(FileReport {
            path,
            outcome: Err(problem),
        }),
    }));
    items.sort_by_cached_key(|item| display_path(item.path()));

    let locale = config.locale;
    let kind = match options.format {
        Format::Human => Kind::Human {
            show_fixes: options.show_fixes,
        },
        Format::Json => Kind::Json,
        Format::Sarif => Kind::Sarif { cwd: cwd.clone() },
        Format::Github => Kind::Github,
    };
    let failed: Vec<&FileReport> = items
        .iter()
        .filter_map(|item| match item {
            Item::Done(report) if report.outcome.is_err() => Some(report),
            _ => None,
        })
        .collect();
    let renderer = Renderer::new(kind, locale, &kb_problems, &failed);
    let cx = Context {
        kb: &kb,
        config: &config,
        prh: &prh_rules,
        facts: &tally.facts,
        file: None,
    };
    // Pass two, in order, a few notes per thread at a time: each note read again, analysed
    // and rendered on the pool, then written.
    let mut counts = Counts::default();
    let mut stream = Stream::new(std::io::stdout().lock(), &renderer);
    for chunk in items.chunks(rayon::current_num_threads() * 8) {
        let pieces: Vec<(Piece, Counts)> = chunk
            .par_iter()
            .map(|item| {
                let mut counts = Counts::default();
                let path = match item {
                    Item::Done(report) => {
                        counts.add(report);
                        return (renderer.piece(report), counts);
                    }
                    Item::Note(path) => path,
                };
                let report = check_note(path, &read, cx);
                if let Err(problem) = &report.outcome {
                    // Read in pass one, not now: it changed in between.
                    if renderer.lists_failures_first() {
                        eprintln!("seed-lsp: {}: {problem}", display_path(path));
                    }
                }
                counts.add(&report);
                (renderer.piece(&report), counts)
            })
            .collect();
        for (piece, note) in pieces {
            stream.piece(piece);
            counts.merge(&note);
        }
    }
    if let Err(e) = stream.finish(&counts) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("seed-lsp: cannot write output: {e}");
        }
    }

    let failed = !kb_problems.is_empty()
        || counts.unreadable > 0
        || counts.errors > 0
        || (options.deny_warnings && (counts.warnings > 0 || counts.too_large > 0));
    u8::from(failed)
}

/// A file of the output: a note to check in pass two, or a report made already.
enum Item {
    Note(PathBuf),
    Done(FileReport),
}

impl Item {
    fn path(&self) -> &Path {
        match self {
            Item::Note(path) => path,
            Item::Done(report) => &report.path,
        }
    }
}

/// A note read again and analysed against the facts.
fn check_note(path: &Path, read: batch::Reader, cx: Context) -> FileReport {
    let file = FileId::from_path(path);
    let cx = Context {
        file: Some(&file),
        ..cx
    };
    let outcome = read(path).map(|text| {
        let diagnostics = analyze(&text, cx).diagnostics;
        Checked { text, diagnostics }
    });
    FileReport {
        path: path.to_path_buf(),
        outcome,
    }
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
