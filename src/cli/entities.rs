//! `seed-lsp entities [PATHS]`: the entity report of [`crate::report`] printed as a table, JSON
//! or CSV, and with `--graph out.svg` the co-occurrence graph written as SVG.
//!
//! Notes are found and analysed as `check` does (the same [`Workspace`] and workspace
//! [`Pass`]); a note that cannot be read is reported on stderr and left out (exit code 1).
//!
//! - Table: `name  kind  mentions  files  first  last`, aligned for Japanese (full-width
//!   characters count two columns); dates in Japanese with the outlet (`2023年11月9日 日本経済新聞`).
//! - JSON: `{"notes", "entities": [{"id", "name", "en", "kind", "mentions", "files", "first",
//!   "last"}], "pairs": [{"a", "b", "paragraphs"}]}` with dates as ISO 8601 (`2023-11-09`,
//!   year-less `--04-02`) and `first`/`last` as `{"date", "outlet", "file", "line"}` or null.
//! - CSV (RFC 4180): `id,name,en,kind,mentions,files,first_date,first_outlet,first_file,
//!   first_line,last_date,last_outlet,last_file,last_line`.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::check::report_config_errors;
use super::output::display_path;
use crate::analysis::prh::PrhRules;
use crate::analysis::report::graph::{self, GraphOptions};
use crate::analysis::report::{entity_report, iso_date, DatedSource, EntityReport, NoteInput};
use crate::analysis::{analyze_recognized, Analysis, Context};
use crate::base::FileId;
use crate::project::batch::{self, Pass};
use crate::project::workspace::Workspace;

/// Output format of `entities`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// An aligned table.
    Table,
    /// `{"notes", "entities": […], "pairs": […]}`.
    Json,
    /// One row per entity, with a header line.
    Csv,
}

#[derive(Clone, Debug)]
pub struct EntitiesOptions {
    pub paths: Vec<PathBuf>,
    pub format: ReportFormat,
    /// Write the co-occurrence graph (SVG) here.
    pub graph: Option<PathBuf>,
    /// How many entities the graph shows.
    pub top: usize,
    pub max_file_size: Option<u64>,
    /// Outside the current folder, KB files and dictionaries are read only under these.
    pub allow_read: Vec<PathBuf>,
}

/// Run `entities`; returns the exit code.
pub fn run(options: &EntitiesOptions) -> u8 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let workspace = Workspace::open(&cwd, &options.paths, &options.allow_read);
    report_config_errors(&workspace.config_errors);
    let mut failed = false;
    for (root, problem) in &workspace.unreadable {
        eprintln!("{}: error: {problem}", display_path(root));
        failed = true;
    }
    for problem in workspace.kb_sources.all_problems() {
        eprintln!("{}", problem.render("[kb]"));
        failed = true;
    }
    let kb = &workspace.kb;
    // The report reads mentions and sources, not diagnostics: no prh dictionaries.
    let prh = PrhRules::default();
    let read = batch::disk(options.max_file_size);
    let pass = Pass {
        kb,
        read: &read,
        progress: &batch::no_progress,
    };
    let analysed = pass
        .run(
            workspace.notes,
            |_, text, recognition| (text, recognition),
            |path, note, facts| {
                let file = FileId::from_path(&path);
                let cx = Context {
                    kb,
                    config: &workspace.config,
                    prh: &prh,
                    facts,
                    file: Some(&file),
                };
                let note = note.map(|(text, recognition)| {
                    let analysis = analyze_recognized(&text, recognition, cx);
                    (text, analysis)
                });
                (path, note)
            },
        )
        .expect("a pass without progress reporting runs to the end");
    let mut notes: Vec<(String, String, Analysis)> = Vec::new();
    for (path, note) in analysed {
        match note {
            Ok((text, analysis)) => notes.push((display_path(&path), text, analysis)),
            Err(problem) => {
                eprintln!(
                    "{}: {}: {problem}",
                    display_path(&path),
                    if problem.is_error() { "error" } else { "warning" }
                );
                failed |= problem.is_error();
            }
        }
    }
    notes.sort_by(|a, b| a.0.cmp(&b.0));
    let inputs: Vec<NoteInput> = notes
        .iter()
        .map(|(name, text, analysis)| NoteInput { name, text, analysis })
        .collect();
    let report = entity_report(&inputs, kb);

    let output = match options.format {
        ReportFormat::Table => table(&report, notes.len()),
        ReportFormat::Json => render_json(&report, notes.len(), kb),
        ReportFormat::Csv => csv(&report),
    };
    super::write_stdout(&output);
    if let Some(path) = &options.graph {
        let svg = graph::svg(
            &report,
            &GraphOptions {
                top: options.top,
                ..GraphOptions::default()
            },
        );
        if let Err(e) = std::fs::write(path, svg) {
            eprintln!("{}: error: cannot write the graph: {e}", path.display());
            return 2;
        }
    }
    u8::from(failed)
}

/// Columns a string takes in a terminal: two for East Asian wide and full-width characters.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let wide = matches!(c as u32,
                0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
                | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
                | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

fn dated(d: &Option<DatedSource>) -> String {
    match d {
        Some(d) => match &d.outlet {
            Some(outlet) => format!("{} {outlet}", d.date),
            None => d.date.to_string(),
        },
        None => "-".to_string(),
    }
}

/// The aligned table and a closing count.
fn table(report: &EntityReport, notes: usize) -> String {
    let header = ["name", "kind", "mentions", "files", "first", "last"];
    let mut rows: Vec<[String; 6]> = vec![header.map(str::to_string)];
    for r in &report.rows {
        rows.push([
            r.name.clone(),
            r.kind.as_str().to_string(),
            r.mentions.to_string(),
            r.files.to_string(),
            dated(&r.first),
            dated(&r.last),
        ]);
    }
    let mut widths = [0usize; 6];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(display_width(cell));
        }
    }
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[i] - display_width(cell));
            // Numbers are right-aligned.
            if i == 2 || i == 3 {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if i + 1 < row.len() {
                    line.push_str(&pad);
                }
            }
            if i + 1 < row.len() {
                line.push_str("  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&format!(
        "{} {} in {} {}\n",
        report.rows.len(),
        if report.rows.len() == 1 { "entity" } else { "entities" },
        notes,
        if notes == 1 { "note" } else { "notes" }
    ));
    out
}

fn dated_json(d: &Option<DatedSource>) -> Value {
    match d {
        Some(d) => json!({ "date": iso_date(&d.date), "outlet": d.outlet, "file": d.file, "line": d.line }),
        None => Value::Null,
    }
}

fn render_json(report: &EntityReport, notes: usize, kb: &crate::kb::Kb) -> String {
    let entities: Vec<Value> = report
        .rows
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "en": r.en,
                "kind": r.kind.as_str(),
                "mentions": r.mentions,
                "files": r.files,
                "first": dated_json(&r.first),
                "last": dated_json(&r.last),
            })
        })
        .collect();
    let pairs: Vec<Value> = report
        .pairs
        .iter()
        .map(|p| json!({ "a": kb.entity(p.a).id, "b": kb.entity(p.b).id, "paragraphs": p.paragraphs }))
        .collect();
    let mut text = serde_json::to_string_pretty(&json!({ "notes": notes, "entities": entities, "pairs": pairs }))
        .expect("JSON serialises");
    text.push('\n');
    text
}

/// An RFC 4180 field: quoted when it holds a comma, a quote or a line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv(report: &EntityReport) -> String {
    let mut out = String::from(
        "id,name,en,kind,mentions,files,first_date,first_outlet,first_file,first_line,last_date,last_outlet,last_file,last_line\r\n",
    );
    let source = |d: &Option<DatedSource>| -> [String; 4] {
        match d {
            Some(d) => [
                iso_date(&d.date),
                d.outlet.clone().unwrap_or_default(),
                d.file.clone(),
                d.line.to_string(),
            ],
            None => Default::default(),
        }
    };
    for r in &report.rows {
        let mut fields = vec![
            r.id.clone(),
            r.name.clone(),
            r.en.clone().unwrap_or_default(),
            r.kind.as_str().to_string(),
            r.mentions.to_string(),
            r.files.to_string(),
        ];
        fields.extend(source(&r.first));
        fields.extend(source(&r.last));
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Whether `path` names an SVG file (for the `--graph` argument's check).
pub fn is_svg_path(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_csv_quoting() {
        assert_eq!(display_width("トカエフ"), 8);
        assert_eq!(display_width("AFP"), 3);
        assert_eq!(display_width("ＮＡＴＯ"), 8);
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("キーウ"), "キーウ");
        assert!(is_svg_path(Path::new("out.SVG")) && !is_svg_path(Path::new("out.png")));
    }
}
