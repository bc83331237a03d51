//! `check --format human`: `path:line:col: severity[rule]: message` lines (1-based, columns
//! in characters), related places and fixes indented under them, then the summary line.

use super::{summary, Counts, FileReport};
use crate::base::{LineIndex, Locale, PositionEncoding};
use crate::project::kb::KbProblem;

#[cfg(test)] // `check` streams (`stream`); this renders all at once, its reference
pub fn render(
    reports: &[FileReport],
    kb_problems: &[KbProblem],
    counts: &Counts,
    locale: Locale,
    show_fixes: bool,
) -> String {
    let mut out = head(kb_problems);
    for report in reports {
        out.push_str(&file(report, locale, show_fixes));
    }
    out.push_str(&tail(counts, kb_problems.len()));
    out
}

/// What comes before the notes: the KB problems.
pub fn head(kb_problems: &[KbProblem]) -> String {
    let mut out = String::new();
    for problem in kb_problems {
        out.push_str(&problem.render("[kb]"));
        out.push('\n');
    }
    out
}

/// One note's lines.
pub fn file(report: &FileReport, locale: Locale, show_fixes: bool) -> String {
    let mut out = String::new();
    let path = super::display_path(&report.path);
    let checked = match &report.outcome {
        Ok(checked) => checked,
        Err(problem) => {
            let severity = if problem.is_error() { "error" } else { "warning" };
            out.push_str(&format!("{path}: {severity}: {problem}\n"));
            return out;
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
            let place = match &related.elsewhere {
                None => at(related.range.start),
                Some(other) => format!(
                    "{}:{}",
                    super::display_path(std::path::Path::new(other.file.as_str())),
                    other.first_line + 1
                ),
            };
            out.push_str(&format!("  {place}: note: {}\n", related.message.get(locale)));
        }
        if show_fixes {
            for fix in &d.fixes {
                out.push_str(&format!("  fix: {}\n", fix.title.get(locale)));
            }
        }
    }
    out
}

/// The summary line.
pub fn tail(counts: &Counts, kb_errors: usize) -> String {
    let mut out = summary(counts, kb_errors);
    out.push('\n');
    out
}
