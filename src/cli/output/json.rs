//! `check --format json`: `{"files": [{"path", "uri", "diagnostics": [LSP Diagnostic…],
//! "error"? | "warning"?}], "kbErrors": [{"path", "line", "column", "message"}], "summary"}` —
//! diagnostics LSP-shaped (0-based lines, UTF-16 columns, see [`crate::proto::lsp_json`]).

use serde_json::{json, Value};

use super::{display_path, Counts, FileReport};
use crate::base::Locale;
use crate::project::kb::KbProblem;
use crate::proto::lsp_json;

#[cfg(test)] // `check` streams (`stream`); this renders all at once, its reference
pub fn render(reports: &[FileReport], kb_problems: &[KbProblem], counts: &Counts, locale: Locale) -> String {
    let files = reports.iter().map(|report| file(report, locale)).collect();
    let mut text =
        serde_json::to_string_pretty(&document(files, kb_problems, counts)).expect("JSON values always serialise");
    text.push('\n');
    text
}

/// One note's entry in `files`.
pub fn file(report: &FileReport, locale: Locale) -> Value {
    let path = display_path(&report.path);
    let uri = lsp_json::file_uri(&report.path);
    match &report.outcome {
        Ok(checked) => {
            let diagnostics = lsp_json::diagnostics_of_file(&checked.diagnostics, &checked.text, &report.path, locale);
            json!({ "path": path, "uri": uri, "diagnostics": diagnostics })
        }
        Err(problem) => {
            let key = if problem.is_error() { "error" } else { "warning" };
            json!({ "path": path, "uri": uri, key: problem.to_string(), "diagnostics": [] })
        }
    }
}

/// The whole document around `files`.
pub fn document(files: Vec<Value>, kb_problems: &[KbProblem], counts: &Counts) -> Value {
    let kb_errors: Vec<Value> = kb_problems
        .iter()
        .map(|p| {
            let (line, column) = p.position.unzip();
            json!({ "path": p.file, "line": line, "column": column, "message": p.message })
        })
        .collect();
    json!({
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
    })
}
