//! The `seed-lsp` command line (clap derive): `check`, `entities`, `kb check`, and the language server
//! (`seed-lsp`, `seed-lsp --stdio`, `seed-lsp serve`).
//!
//! Exit codes: 0 clean, 1 problems found (an error diagnostic, a KB error, a note that could
//! not be read; warnings too with `--deny warnings`), 2 usage errors.
//!
//! JSON output of `check` (`--format json`):
//! `{"files": [{"path", "uri", "diagnostics": [LSP Diagnostic…], "error"? | "warning"?}],
//!   "kbErrors": [{"path", "line", "column", "message"}], "summary": {…}}` — diagnostics are
//! LSP-shaped (0-based lines, UTF-16 columns, see [`lsp_json`]); a note that could not be
//! read carries an `error`, one skipped for its size a `warning`; `kbErrors` use 1-based
//! lines and columns in characters, like the human output.
//!
//! `--format sarif` writes SARIF 2.1.0 ([`sarif`]), `--format github` GitHub Actions annotations
//! ([`github`]). prh dictionaries named in `seed-lsp.toml` (`[prh] paths`) are checked as files too.

mod check;
mod entities;
mod kb_check;
mod output;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::analysis::rules::RULES;
use crate::base::Locale;

pub use check::Format;

#[derive(Debug, Parser)]
#[command(
    name = "seed-lsp",
    version,
    about = "Language server and checker for Japanese news-clipping notes (seeds)",
    long_about = None,
    args_conflicts_with_subcommands = true,
)]
struct Cli {
    /// Start the language server on stdin/stdout (also what `seed-lsp` alone does).
    /// May be repeated: some clients add their own `--stdio` to the configured arguments.
    #[arg(long, overrides_with = "stdio")]
    stdio: bool,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check notes and print diagnostics (default path: seeds/ if present, else .).
    Check(CheckArgs),
    /// Report the entities the notes mention (table, JSON or CSV) and draw who appears with whom.
    Entities(EntitiesArgs),
    /// Knowledge-base tools.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
    /// Start the language server on stdin/stdout.
    Serve {
        /// Accepted for editor clients that pass it; stdio is the only transport.
        #[arg(long, overrides_with = "stdio")]
        stdio: bool,
    },
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Notes or folders to check; `entities.toml` files found there extend the KB.
    paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Message language (overrides `locale` in seed-lsp.toml).
    #[arg(long, value_parser = parse_locale)]
    locale: Option<Locale>,

    /// Also fail (exit code 1) on diagnostics of this severity.
    #[arg(long, value_enum)]
    deny: Vec<Deny>,

    /// Print the quick fix of each diagnostic on the next line (human format).
    #[arg(long)]
    show_fixes: bool,

    /// Skip notes larger than this (e.g. 16M, 500K; 0 = no limit).
    #[arg(long, value_name = "SIZE", default_value = "16M", value_parser = parse_size_limit)]
    max_file_size: SizeLimit,

    /// Also read KB files and prh dictionaries (and their imports) under this file or folder,
    /// outside the current folder; may be repeated. Nothing else outside it is read.
    #[arg(long, value_name = "PATH")]
    allow_read: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct EntitiesArgs {
    /// Notes or folders (default: seeds/ if present, else .).
    paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = entities::ReportFormat::Table)]
    format: entities::ReportFormat,

    /// Also draw the co-occurrence graph (entities mentioned in the same paragraph) to this SVG file.
    #[arg(long, value_name = "OUT.svg", value_parser = parse_svg_path)]
    graph: Option<PathBuf>,

    /// How many of the most mentioned entities the graph shows.
    #[arg(long, value_name = "N", default_value_t = 30, value_parser = clap::value_parser!(u16).range(1..))]
    top: u16,

    /// Skip notes larger than this (e.g. 16M, 500K; 0 = no limit).
    #[arg(long, value_name = "SIZE", default_value = "16M", value_parser = parse_size_limit)]
    max_file_size: SizeLimit,

    /// Also read KB files and prh dictionaries (and their imports) under this file or folder,
    /// outside the current folder; may be repeated. Nothing else outside it is read.
    #[arg(long, value_name = "PATH")]
    allow_read: Vec<PathBuf>,
}

fn parse_svg_path(s: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(s);
    if entities::is_svg_path(&path) {
        Ok(path)
    } else {
        Err(format!("{s:?}: the graph is an SVG file; name it with .svg"))
    }
}

/// A size limit in bytes; `None`: no limit.
#[derive(Clone, Copy, Debug)]
struct SizeLimit(Option<u64>);

fn parse_size_limit(s: &str) -> Result<SizeLimit, String> {
    crate::project::read::parse_size(s).map(SizeLimit)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Deny {
    /// Fail on warnings as well as errors.
    Warnings,
}

#[derive(Debug, Subcommand)]
enum KbCommand {
    /// Validate KB files on top of the built-in KB (default: the workspace's entities.toml files).
    Check {
        /// KB files to check, on top of the built-in KB.
        files: Vec<PathBuf>,
    },
}

fn parse_locale(s: &str) -> Result<Locale, String> {
    Locale::parse(s).ok_or_else(|| format!("unknown locale {s:?} (expected ja or en)"))
}

/// The rule list shown by `--help`.
fn rules_help() -> String {
    let width = RULES.iter().map(|r| r.id.as_str().len()).max().unwrap_or(0);
    let mut help =
        String::from("Rules (set a severity per rule in seed-lsp.toml [rules]: off, hint, info, warning, error):\n");
    for rule in RULES {
        help.push_str(&format!(
            "  {:width$}  {:7}  {}\n",
            rule.id.as_str(),
            rule.default_severity.as_str(),
            rule.summary.en
        ));
    }
    help
}

fn command() -> clap::Command {
    let rules = rules_help();
    Cli::command()
        .after_help(rules.clone())
        .mut_subcommand("check", |check| check.after_help(rules))
}

/// Parse the arguments and run; what `main` returns.
pub fn main() -> ExitCode {
    let matches = command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let code = match cli.command {
        Some(Command::Check(args)) => check::run(&check::CheckOptions {
            paths: args.paths,
            format: args.format,
            locale: args.locale,
            deny_warnings: args.deny.contains(&Deny::Warnings),
            show_fixes: args.show_fixes,
            max_file_size: args.max_file_size.0,
            allow_read: args.allow_read,
        }),
        Some(Command::Entities(args)) => entities::run(&entities::EntitiesOptions {
            paths: args.paths,
            format: args.format,
            graph: args.graph,
            top: usize::from(args.top),
            max_file_size: args.max_file_size.0,
            allow_read: args.allow_read,
        }),
        Some(Command::Kb {
            command: KbCommand::Check { files },
        }) => kb_check::run(&files),
        Some(Command::Serve { stdio: _ }) | None => serve(),
    };
    ExitCode::from(code)
}

/// Start the language server on stdio.
fn serve() -> u8 {
    crate::server::run_stdio()
}

/// Write command output to stdout; a closed pipe (`seed-lsp check | head`) is not an error.
fn write_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("seed-lsp: cannot write output: {e}");
        }
    }
}
