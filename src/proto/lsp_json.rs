//! Diagnostics in the LSP shape, shared by `seed-lsp check --format json` and the language
//! server: [`lsp_diagnostic`] builds the protocol's typed `Diagnostic` (what the server
//! publishes), and [`diagnostic`] is its JSON (what `check --format json` prints), so the two
//! cannot drift apart.
//!
//! Shape of one diagnostic (LSP 3.17 `Diagnostic`):
//! `{"range", "severity": 1–4, "code": rule id, "source": "seed-lsp", "message",
//!   "relatedInformation": [{"location": {"uri", "range"}, "message"}],
//!   "data": {"fixes": [{"title", "edits": [{"range", "newText"}]}]}}`.
//! Ranges are 0-based lines and columns in the given [`PositionEncoding`] (UTF-16 unless a
//! client negotiated otherwise). `relatedInformation` and `data.fixes` are always present,
//! possibly empty; code actions read the fixes back from `data`.

use std::path::Path;

use serde_json::{Map, Value};
use tower_lsp_server::ls_types::{self as lsp, Uri};

use crate::base::{Diagnostic, FileId, Locale};
use crate::base::{LineIndex, PositionEncoding, TextRange};

/// The name put in every diagnostic's `source`.
pub const SOURCE: &str = "seed-lsp";

/// One document's text with its line index, to turn byte ranges into positions.
#[derive(Clone, Copy)]
pub struct DocumentPositions<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub encoding: PositionEncoding,
}

impl DocumentPositions<'_> {
    /// The position of a byte offset.
    pub fn position(&self, offset: usize) -> lsp::Position {
        let lc = self.index.line_col(self.text, offset, self.encoding);
        lsp::Position {
            line: lc.line,
            character: lc.col,
        }
    }

    /// The range of a byte range.
    pub fn range(&self, range: TextRange) -> lsp::Range {
        lsp::Range {
            start: self.position(range.start),
            end: self.position(range.end),
        }
    }
}

/// One diagnostic of the document at `uri`, messages in `locale`, as the protocol's type.
pub fn lsp_diagnostic(d: &Diagnostic, doc: DocumentPositions, uri: &Uri, locale: Locale) -> lsp::Diagnostic {
    let range = doc.range(d.range);
    // Most fixes edit the diagnostic's own range: convert it once.
    let range_of = |r: TextRange| if r == d.range { range } else { doc.range(r) };
    let related = d
        .related
        .iter()
        .filter_map(|r| {
            let location = match &r.elsewhere {
                None => lsp::Location {
                    uri: uri.clone(),
                    range: range_of(r.range),
                },
                Some(other) => lsp::Location {
                    uri: other_uri(&other.file)?,
                    range: lsp::Range {
                        start: lsp::Position::new(other.first_line, 0),
                        end: lsp::Position::new(other.last_line + 1, 0),
                    },
                },
            };
            Some(lsp::DiagnosticRelatedInformation {
                location,
                message: r.message.get(locale).to_string(),
            })
        })
        .collect();
    let fixes = d
        .fixes
        .iter()
        .map(|fix| {
            let edits = fix
                .edits
                .iter()
                .map(|e| {
                    object([
                        ("range", range_value(range_of(e.range))),
                        ("newText", e.new_text.clone().into()),
                    ])
                })
                .collect();
            object([("title", fix.title.get(locale).into()), ("edits", Value::Array(edits))])
        })
        .collect();
    lsp::Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.rule.as_str().to_string())),
        code_description: None,
        source: Some(SOURCE.to_string()),
        message: d.message.get(locale).to_string(),
        related_information: Some(related),
        tags: None,
        data: Some(object([("fixes", Value::Array(fixes))])),
    }
}

/// One diagnostic of the document at `uri`, messages in `locale`, as JSON: exactly
/// [`lsp_diagnostic`] serialised.
pub fn diagnostic(d: &Diagnostic, doc: DocumentPositions, uri: &Uri, locale: Locale) -> Value {
    serde_json::to_value(lsp_diagnostic(d, doc, uri, locale)).expect("a diagnostic serialises")
}

fn severity(severity: crate::base::Severity) -> lsp::DiagnosticSeverity {
    use crate::base::Severity;
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Information => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<Map<_, _>>(),
    )
}

fn range_value(r: lsp::Range) -> Value {
    let position = |p: lsp::Position| object([("line", p.line.into()), ("character", p.character.into())]);
    object([("start", position(r.start)), ("end", position(r.end))])
}

/// Every diagnostic of the note at `path` with text `text`, as JSON in UTF-16 positions
/// (what `check --format json` prints).
pub fn diagnostics_of_file(diagnostics: &[Diagnostic], text: &str, path: &Path, locale: Locale) -> Vec<Value> {
    let index = LineIndex::new(text);
    let doc = DocumentPositions {
        text,
        index: &index,
        encoding: PositionEncoding::Utf16,
    };
    let uri: Uri = file_uri(path).parse().expect("file_uri percent-encodes a valid URI");
    diagnostics.iter().map(|d| diagnostic(d, doc, &uri, locale)).collect()
}

/// A `file://` URI for a path (made absolute against the current folder), with every byte
/// outside the URI's unreserved set percent-encoded, as LSP clients expect
/// (`/home/u/メモ.txt` → `file:///home/u/%E3%83%A1%E3%83%A2.txt`).
/// The URI of another note named in a diagnostic: a file's path, or the URI of a buffer.
fn other_uri(file: &FileId) -> Option<Uri> {
    let name = file.as_str();
    let is_uri = file.path().is_none() && name.split_once(':').is_some_and(|(scheme, _)| scheme.len() > 1);
    let uri = if is_uri {
        name.to_string()
    } else {
        file_uri(Path::new(name))
    };
    uri.parse().ok()
}

pub fn file_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let text = absolute.to_string_lossy();
    let mut path_part = if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    };
    if !path_part.starts_with('/') {
        // A Windows drive path `C:/x` becomes `/C:/x`.
        path_part.insert(0, '/');
    }
    let mut uri = String::with_capacity(path_part.len() + 8);
    uri.push_str("file://");
    for &b in path_part.as_bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/".contains(&b) || (cfg!(windows) && b == b':');
        if keep {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::{Edit, Message, Severity};

    #[test]
    fn positions_are_utf16_and_fixes_travel_in_data() {
        let text = "𠮷野家\nキエフで\n";
        let index = LineIndex::new(text);
        let start = text.find("キエフ").unwrap();
        let range = TextRange::new(start, start + "キエフ".len());
        let first = TextRange::new(0, "𠮷野家".len());
        let d = Diagnostic::new(
            crate::analysis::rules::deprecated_name::RULE.id,
            Severity::Warning,
            range,
            Message::new("old", "古い"),
        )
        .with_related(first, Message::new("here", "ここ"))
        .with_fix(
            Message::new("Replace with キーウ", "キーウに置換"),
            vec![Edit {
                range,
                new_text: "キーウ".into(),
            }],
        );
        let doc = DocumentPositions {
            text,
            index: &index,
            encoding: PositionEncoding::Utf16,
        };
        let uri: Uri = "file:///n.txt".parse().unwrap();
        let value = diagnostic(&d, doc, &uri, Locale::Ja);
        expect_test::expect![[r#"
            {
              "code": "deprecated-name",
              "data": {
                "fixes": [
                  {
                    "edits": [
                      {
                        "newText": "キーウ",
                        "range": {
                          "end": {
                            "character": 3,
                            "line": 1
                          },
                          "start": {
                            "character": 0,
                            "line": 1
                          }
                        }
                      }
                    ],
                    "title": "キーウに置換"
                  }
                ]
              },
              "message": "古い",
              "range": {
                "end": {
                  "character": 3,
                  "line": 1
                },
                "start": {
                  "character": 0,
                  "line": 1
                }
              },
              "relatedInformation": [
                {
                  "location": {
                    "range": {
                      "end": {
                        "character": 4,
                        "line": 0
                      },
                      "start": {
                        "character": 0,
                        "line": 0
                      }
                    },
                    "uri": "file:///n.txt"
                  },
                  "message": "ここ"
                }
              ],
              "severity": 2,
              "source": "seed-lsp"
            }"#]]
        .assert_eq(&serde_json::to_string_pretty(&value).unwrap());
    }

    /// The server publishes the typed diagnostic and `check --format json` prints the JSON: the
    /// JSON is the typed one serialised, it reads back as the same typed value, and it is the
    /// shape the protocol (and code actions, through `data.fixes`) expects, key for key.
    #[test]
    fn the_typed_and_json_diagnostics_agree() {
        let text = "𠮷野家\nキエフで　ゼレンスキ大統領\n";
        let index = LineIndex::new(text);
        let doc = DocumentPositions {
            text,
            index: &index,
            encoding: PositionEncoding::Utf16,
        };
        let at = |s: &str| {
            let start = text.find(s).unwrap();
            TextRange::new(start, start + s.len())
        };
        let d = Diagnostic::new(
            crate::analysis::rules::deprecated_name::RULE.id,
            Severity::Warning,
            at("キエフ"),
            Message::new("old", "古い"),
        )
        .with_related(at("𠮷野家"), Message::new("here", "ここ"))
        .with_fix(
            Message::new("Fix both", "両方を直す"),
            vec![
                Edit {
                    range: at("キエフ"),
                    new_text: "キーウ".into(),
                },
                Edit {
                    range: at("ゼレンスキ"),
                    new_text: "ゼレンスキー".into(),
                },
            ],
        );
        let uri: Uri = "file:///n.txt".parse().unwrap();
        let typed = lsp_diagnostic(&d, doc, &uri, Locale::En);
        let value = diagnostic(&d, doc, &uri, Locale::En);
        assert_eq!(serde_json::to_value(&typed).unwrap(), value);
        assert_eq!(serde_json::from_value::<lsp::Diagnostic>(value.clone()).unwrap(), typed);
        let range = |line: u32, start: u32, end: u32| serde_json::json!({ "start": { "line": line, "character": start }, "end": { "line": line, "character": end } });
        let expected = serde_json::json!({
            "range": range(1, 0, 3),
            "severity": 2,
            "code": "deprecated-name",
            "source": "seed-lsp",
            "message": "old",
            "relatedInformation": [{ "location": { "uri": "file:///n.txt", "range": range(0, 0, 4) }, "message": "here" }],
            "data": { "fixes": [{ "title": "Fix both", "edits": [
                { "range": range(1, 0, 3), "newText": "キーウ" },
                { "range": range(1, 5, 10), "newText": "ゼレンスキー" },
            ] }] },
        });
        assert_eq!(value, expected);
        // Without related information or fixes, both lists are still there, empty.
        let bare = Diagnostic::new(
            crate::analysis::rules::deprecated_name::RULE.id,
            Severity::Warning,
            at("キエフ"),
            Message::new("old", "古い"),
        );
        let value = diagnostic(&bare, doc, &uri, Locale::En);
        assert_eq!(value["relatedInformation"], serde_json::json!([]));
        assert_eq!(value["data"], serde_json::json!({ "fixes": [] }));
        assert_eq!(
            serde_json::to_value(lsp_diagnostic(&bare, doc, &uri, Locale::En)).unwrap(),
            value
        );
    }

    #[cfg(unix)]
    #[test]
    fn file_uris_are_percent_encoded() {
        assert_eq!(
            file_uri(Path::new("/home/u/メモ 1.txt")),
            "file:///home/u/%E3%83%A1%E3%83%A2%201.txt"
        );
        assert!(file_uri(Path::new("rel.txt")).starts_with("file:///"));
        // `check --format json` parses what `file_uri` makes.
        for path in ["/home/u/メモ 1.txt", "/a b/%#?[]@!$&'()*+,;=.txt", "rel.txt"] {
            let uri = file_uri(Path::new(path));
            assert_eq!(uri.parse::<Uri>().unwrap().as_str(), uri);
        }
    }
}
