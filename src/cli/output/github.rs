//! `seed-lsp check --format github`: GitHub Actions workflow commands, one annotation per
//! diagnostic, shown on the pull request's diff:
//!
//! `::warning file=seeds/a.txt,line=3,col=5,endLine=3,endColumn=8,title=deprecated-name::message`
//!
//! Errors are `::error`, warnings `::warning`, infos and hints `::notice`. Lines and columns are
//! 1-based, columns in characters, the end column exclusive; columns are given only when the
//! range stays on one line (GitHub ignores them otherwise). Escaping follows the Actions
//! toolkit: in the message `%`, CR and LF are percent-encoded; in properties also `:` and `,`.
//! Unreadable notes and KB problems are `::error` annotations too; the summary line ends the
//! output as plain log text.

use std::fmt::Write;

use super::{display_path, FileReport};
use crate::base::{LineIndex, PositionEncoding};
use crate::base::{Locale, Severity};
use crate::project::kb::KbProblem;

/// The annotations of a `check` run, then its summary line.
#[cfg(test)] // `check` streams (`stream`); this renders all at once, its reference
pub fn render(reports: &[FileReport], kb_problems: &[KbProblem], counts: &super::Counts, locale: Locale) -> String {
    let mut out = head(kb_problems);
    for report in reports {
        out.push_str(&file(report, locale));
    }
    out.push_str(&super::human::tail(counts, kb_problems.len()));
    out
}

/// What comes before the notes: the KB problems' annotations.
pub fn head(kb_problems: &[KbProblem]) -> String {
    let mut out = String::new();
    for problem in kb_problems {
        let mut properties = vec![("file", problem.file.clone())];
        if let Some((line, column)) = problem.position {
            properties.push(("line", line.to_string()));
            properties.push(("col", column.to_string()));
        }
        properties.push(("title", "kb".to_string()));
        command(&mut out, "error", &properties, &problem.message);
    }
    out
}

/// One note's annotations.
pub fn file(report: &FileReport, locale: Locale) -> String {
    let mut out = String::new();
    let path = display_path(&report.path);
    let checked = match &report.outcome {
        Ok(checked) => checked,
        Err(problem) => {
            let level = if problem.is_error() { "error" } else { "warning" };
            command(&mut out, level, &[("file", path.clone())], &problem.to_string());
            return out;
        }
    };
    let text = checked.text.as_str();
    let index = LineIndex::new(text);
    for d in &checked.diagnostics {
        let start = index.line_col(text, d.range.start, PositionEncoding::Utf32);
        let end = index.line_col(text, d.range.end, PositionEncoding::Utf32);
        let mut properties = vec![("file", path.clone()), ("line", (start.line + 1).to_string())];
        if start.line == end.line {
            properties.push(("col", (start.col + 1).to_string()));
            properties.push(("endLine", (end.line + 1).to_string()));
            properties.push(("endColumn", (end.col + 1).to_string()));
        } else {
            properties.push(("endLine", (end.line + 1).to_string()));
        }
        properties.push(("title", d.rule.as_str().to_string()));
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information | Severity::Hint => "notice",
        };
        command(&mut out, level, &properties, d.message.get(locale));
    }
    out
}

/// One `::level key=value,…::message` line.
fn command(out: &mut String, level: &str, properties: &[(&str, String)], message: &str) {
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    let _ = writeln!(out, "::{level} {}::{}", properties.join(","), escape_data(message));
}

/// The Actions toolkit's `escapeData`: `%`, CR, LF.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// The Actions toolkit's `escapeProperty`: `escapeData` plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::base::TextRange;
    use crate::base::{Diagnostic, Message};
    use crate::cli::output::{count, Checked};

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(escape_data("100% done\r\nnext: a,b"), "100%25 done%0D%0Anext: a,b");
        assert_eq!(escape_property("dir:a,b/100%\n.txt"), "dir%3Aa%2Cb/100%25%0A.txt");
    }

    #[test]
    fn annotations_with_columns_in_characters() {
        let text = "𠮷野家\n首都キエフで「引用\n続き」".to_string();
        let kiev = text.find("キエフ").unwrap();
        let quote = text.find('「').unwrap();
        let mut multi_line = Diagnostic::new(
            crate::analysis::rules::unmatched_bracket::RULE.id,
            Severity::Warning,
            TextRange::new(quote, text.len()),
            Message::new("spans lines, 50%", "複数行"),
        );
        multi_line.severity = Severity::Information;
        let reports = vec![FileReport {
            path: PathBuf::from("./notes/a,b:c.txt"),
            outcome: Ok(Checked {
                text: text.clone(),
                diagnostics: vec![
                    Diagnostic::new(
                        crate::analysis::rules::deprecated_name::RULE.id,
                        Severity::Warning,
                        TextRange::new(kiev, kiev + "キエフ".len()),
                        Message::new("\"キエフ\" is old:\nuse キーウ", "旧表記"),
                    ),
                    multi_line,
                ],
            }),
        }];
        let kb = vec![KbProblem {
            file: "kb/entities.toml".into(),
            range: None,
            position: Some((2, 1)),
            message: "bad".into(),
        }];
        expect_test::expect![[r#"
            ::error file=kb/entities.toml,line=2,col=1,title=kb::bad
            ::warning file=notes/a%2Cb%3Ac.txt,line=2,col=3,endLine=2,endColumn=6,title=deprecated-name::"キエフ" is old:%0Ause キーウ
            ::notice file=notes/a%2Cb%3Ac.txt,line=2,endLine=3,title=unmatched-bracket::spans lines, 50%25
            1 file checked: 0 errors, 1 warning, 1 info (1 KB error)
        "#]]
        .assert_eq(&render(&reports, &kb, &count(&reports), Locale::En));
    }
}
