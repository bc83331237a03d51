//! `check`'s output written as the notes are checked, a few at a time, byte for byte what
//! each format's `render` of every report at once prints: memory holds the notes in flight,
//! not the vault's output.
//!
//! The line formats (human, GitHub) are a head, each note's lines, a tail. The JSON formats
//! stream one array (`files`, SARIF's `results`): the document is pretty-printed with a slot
//! in place of that array and cut there (see [`Spliced`]); each element is pretty-printed
//! alone and indented to the slot's depth, which is what serde_json's pretty printer writes
//! for the element inside the document.

use std::io::{self, Write};
use std::path::PathBuf;

use serde_json::Value;

use super::{github, human, json, sarif, Counts, FileReport};
use crate::base::Locale;
use crate::project::kb::KbProblem;

/// Which format, with what it needs to render one note.
pub enum Kind {
    Human {
        show_fixes: bool,
    },
    Json,
    /// The SARIF log of a run from `cwd`.
    Sarif {
        cwd: PathBuf,
    },
    Github,
}

/// Renders one note (`piece`, from any thread) for a [`Stream`].
pub struct Renderer<'a> {
    kind: Kind,
    locale: Locale,
    kb_problems: &'a [KbProblem],
    /// SARIF: the notifications of the notes that could not be read.
    notifications: Vec<Value>,
    /// The JSON formats: the document around the streamed array (JSON's with the counts
    /// still unknown: they come after `files`).
    spliced: Option<Spliced>,
}

/// One note's output: text for the line formats, the array's elements (indented) for JSON.
pub struct Piece(Vec<String>);

const SLOT: &str = "@@seed-lsp: the streamed array@@";

/// A pretty-printed document cut at the slot of its streamed array: `head` ends where the
/// first element starts, `indent` is that element's indentation, `tail` starts after it.
struct Spliced {
    head: String,
    indent: String,
    tail: String,
}

fn slot() -> Vec<Value> {
    vec![Value::String(SLOT.into())]
}

fn splice(document: &Value) -> Spliced {
    let text = serde_json::to_string_pretty(document).expect("JSON values always serialise");
    let quoted = format!("\"{SLOT}\"");
    let at = text.find(&quoted).expect("the slot is in the document");
    let line = text[..at].rfind('\n').map_or(0, |i| i + 1);
    Spliced {
        head: text[..at].to_string(),
        indent: text[line..at].to_string(),
        tail: text[at + quoted.len()..].to_string(),
    }
}

impl<'a> Renderer<'a> {
    /// `failed`: every note known not to be read before the notes are streamed (SARIF lists
    /// them before the results).
    pub fn new(kind: Kind, locale: Locale, kb_problems: &'a [KbProblem], failed: &[&FileReport]) -> Self {
        let notifications: Vec<Value> = match &kind {
            Kind::Sarif { cwd } => failed.iter().filter_map(|r| sarif::notification(r, cwd)).collect(),
            _ => Vec::new(),
        };
        let spliced = match &kind {
            Kind::Json => Some(splice(&json::document(slot(), kb_problems, &Counts::default()))),
            Kind::Sarif { cwd } => Some(splice(&sarif::document(
                notifications.clone(),
                kb_problems,
                slot(),
                cwd,
            ))),
            Kind::Human { .. } | Kind::Github => None,
        };
        Renderer {
            kind,
            locale,
            kb_problems,
            notifications,
            spliced,
        }
    }

    /// Whether a note that could not be read is listed before the notes rather than in place.
    pub fn lists_failures_first(&self) -> bool {
        matches!(self.kind, Kind::Sarif { .. })
    }

    pub fn piece(&self, report: &FileReport) -> Piece {
        let element = |value: &Value| {
            let indent = &self.spliced.as_ref().expect("JSON formats are spliced").indent;
            let text = serde_json::to_string_pretty(value).expect("JSON values always serialise");
            text.replace('\n', &format!("\n{indent}"))
        };
        Piece(match &self.kind {
            Kind::Human { show_fixes } => vec![human::file(report, self.locale, *show_fixes)],
            Kind::Github => vec![github::file(report, self.locale)],
            Kind::Json => vec![element(&json::file(report, self.locale))],
            Kind::Sarif { cwd } => sarif::results(report, self.locale, cwd).iter().map(element).collect(),
        })
    }
}

/// Writes pieces in order to `out`; a write that fails ends the writing (a closed pipe
/// silently), not the run.
pub struct Stream<'a, W: Write> {
    out: W,
    renderer: &'a Renderer<'a>,
    /// Elements of the streamed array written so far (JSON formats).
    elements: usize,
    failed: Option<io::Error>,
}

impl<'a, W: Write> Stream<'a, W> {
    /// A stream whose head (the line formats' KB problems) is written.
    pub fn new(out: W, renderer: &'a Renderer<'a>) -> Self {
        let mut stream = Stream {
            out,
            renderer,
            elements: 0,
            failed: None,
        };
        match renderer.kind {
            Kind::Human { .. } => stream.write(&human::head(renderer.kb_problems)),
            Kind::Github => stream.write(&github::head(renderer.kb_problems)),
            Kind::Json | Kind::Sarif { .. } => {}
        }
        stream
    }

    fn write(&mut self, text: &str) {
        if self.failed.is_none() {
            if let Err(e) = self.out.write_all(text.as_bytes()) {
                self.failed = Some(e);
            }
        }
    }

    pub fn piece(&mut self, piece: Piece) {
        let Some(spliced) = &self.renderer.spliced else {
            return piece.0.iter().for_each(|text| self.write(text));
        };
        for element in piece.0 {
            if self.elements == 0 {
                self.write(&spliced.head);
            } else {
                let separator = format!(",\n{}", spliced.indent);
                self.write(&separator);
            }
            self.write(&element);
            self.elements += 1;
        }
    }

    /// The tail (the summary); the error that stopped the writing, if any.
    pub fn finish(mut self, counts: &Counts) -> io::Result<()> {
        let renderer = self.renderer;
        let kb = renderer.kb_problems;
        let document = |array: Vec<Value>| match &renderer.kind {
            Kind::Json => json::document(array, kb, counts),
            Kind::Sarif { cwd } => sarif::document(renderer.notifications.clone(), kb, array, cwd),
            Kind::Human { .. } | Kind::Github => unreachable!("the line formats have no document"),
        };
        let tail = match &renderer.kind {
            Kind::Human { .. } | Kind::Github => human::tail(counts, kb.len()),
            _ if self.elements > 0 => {
                let spliced = splice(&document(slot()));
                debug_assert_eq!(Some(&spliced.head), renderer.spliced.as_ref().map(|s| &s.head));
                format!("{}\n", spliced.tail)
            }
            // An empty array is `[]`: the document printed whole.
            _ => {
                let whole = serde_json::to_string_pretty(&document(Vec::new())).expect("JSON values always serialise");
                format!("{whole}\n")
            }
        };
        self.write(&tail);
        if self.failed.is_none() {
            if let Err(e) = self.out.flush() {
                self.failed = Some(e);
            }
        }
        self.failed.map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::base::{Diagnostic, Message, Severity, TextRange};
    use crate::cli::output::{count, sarif::tests::sample, Checked};

    /// The sample of the SARIF tests (a note with a related place and a fix, one that could
    /// not be read) and a note with two diagnostics, one on a second line.
    fn reports() -> (Vec<FileReport>, Vec<KbProblem>) {
        let (mut reports, kb) = sample();
        let text = "一行目\n首都キエフで「引用".to_string();
        let diagnostic = |at: &str, severity| {
            let start = text.find(at).unwrap();
            Diagnostic::new(
                crate::analysis::rules::deprecated_name::RULE.id,
                severity,
                TextRange::new(start, start + at.len()),
                Message::new("old \"name\"", "旧表記"),
            )
        };
        let diagnostics = vec![
            diagnostic("キエフ", Severity::Warning),
            diagnostic("「", Severity::Hint),
        ];
        reports.push(FileReport {
            path: PathBuf::from("/w/b.txt"),
            outcome: Ok(Checked { text, diagnostics }),
        });
        (reports, kb)
    }

    /// What the stream writes for `reports`, one piece at a time.
    fn streamed(kind: Kind, reports: &[FileReport], kb: &[KbProblem]) -> String {
        let failed: Vec<&FileReport> = reports.iter().filter(|r| r.outcome.is_err()).collect();
        let renderer = Renderer::new(kind, Locale::En, kb, &failed);
        let mut out = Vec::new();
        let mut stream = Stream::new(&mut out, &renderer);
        for report in reports {
            stream.piece(renderer.piece(report));
        }
        stream.finish(&count(reports)).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_format_streams_byte_for_byte_what_it_renders_at_once() {
        let (all, kb) = reports();
        let cwd = Path::new("/w");
        for take in [vec![0, 1, 2], vec![1], vec![2, 0], vec![]] {
            let reports: Vec<FileReport> = take.iter().map(|&i| clone(&all[i])).collect();
            let counts = count(&reports);
            for kb in [&kb[..], &[]] {
                let case = format!("notes {take:?}, {} KB problems", kb.len());
                let human = human::render(&reports, kb, &counts, Locale::En, true);
                let show_fixes = Kind::Human { show_fixes: true };
                assert_eq!(streamed(show_fixes, &reports, kb), human, "human, {case}");
                let github = github::render(&reports, kb, &counts, Locale::En);
                assert_eq!(streamed(Kind::Github, &reports, kb), github, "github, {case}");
                let json = json::render(&reports, kb, &counts, Locale::En);
                assert_eq!(streamed(Kind::Json, &reports, kb), json, "json, {case}");
                let log = sarif::log(&reports, kb, Locale::En, cwd);
                let sarif = serde_json::to_string_pretty(&log).unwrap() + "\n";
                let kind = Kind::Sarif { cwd: cwd.into() };
                assert_eq!(streamed(kind, &reports, kb), sarif, "sarif, {case}");
            }
        }
    }

    fn clone(report: &FileReport) -> FileReport {
        let outcome = match &report.outcome {
            Ok(checked) => Ok(Checked {
                text: checked.text.clone(),
                diagnostics: checked.diagnostics.clone(),
            }),
            Err(problem) => Err(crate::project::read::ReadProblem::Io(std::io::Error::other(
                problem.to_string(),
            ))),
        };
        FileReport {
            path: report.path.clone(),
            outcome,
        }
    }
}
