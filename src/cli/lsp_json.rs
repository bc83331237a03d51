//! Diagnostics as LSP-shaped JSON (`serde_json` only, no LSP crate types), shared by
//! `seed-lsp check --format json` and anything else that wants the protocol's wire shape
//! (the language server may reuse it).
//!
//! Shape of one diagnostic (LSP 3.17 `Diagnostic`):
//! `{"range", "severity": 1–4, "code": rule id, "source": "seed-lsp", "message",
//!   "relatedInformation": [{"location": {"uri", "range"}, "message"}],
//!   "data": {"fixes": [{"title", "edits": [{"range", "newText"}]}]}}`.
//! Ranges are 0-based lines and columns in the given [`PositionEncoding`] (UTF-16 unless a
//! client negotiated otherwise).

use std::path::Path;

use serde_json::{json, Value};

use crate::diagnostics::{Diagnostic, Locale};
use crate::text::{LineIndex, PositionEncoding, TextRange};

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
    /// `{"line", "character"}` of a byte offset.
    pub fn position(&self, offset: usize) -> Value {
        let lc = self.index.line_col(self.text, offset, self.encoding);
        json!({ "line": lc.line, "character": lc.col })
    }

    /// `{"start", "end"}` of a byte range.
    pub fn range(&self, range: TextRange) -> Value {
        json!({ "start": self.position(range.start), "end": self.position(range.end) })
    }
}

/// One diagnostic of the document at `uri`, messages in `locale`.
pub fn diagnostic(d: &Diagnostic, doc: DocumentPositions, uri: &str, locale: Locale) -> Value {
    let related: Vec<Value> = d
        .related
        .iter()
        .map(|r| {
            json!({
                "location": { "uri": uri, "range": doc.range(r.range) },
                "message": r.message.get(locale),
            })
        })
        .collect();
    let fixes: Vec<Value> = d
        .fixes
        .iter()
        .map(|fix| {
            let edits: Vec<Value> = fix
                .edits
                .iter()
                .map(|e| json!({ "range": doc.range(e.range), "newText": e.new_text }))
                .collect();
            json!({ "title": fix.title.get(locale), "edits": edits })
        })
        .collect();
    json!({
        "range": doc.range(d.range),
        "severity": d.severity as u8,
        "code": d.rule.as_str(),
        "source": SOURCE,
        "message": d.message.get(locale),
        "relatedInformation": related,
        "data": { "fixes": fixes },
    })
}

/// A `file://` URI for a path (made absolute against the current folder), with every byte
/// outside the URI's unreserved set percent-encoded, as LSP clients expect
/// (`/home/u/メモ.txt` → `file:///home/u/%E3%83%A1%E3%83%A2.txt`).
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
    use crate::diagnostics::{Edit, Message, RuleId};

    #[test]
    fn positions_are_utf16_and_fixes_travel_in_data() {
        let text = "𠮷野家\nキエフで\n";
        let index = LineIndex::new(text);
        let start = text.find("キエフ").unwrap();
        let range = TextRange::new(start, start + "キエフ".len());
        let first = TextRange::new(0, "𠮷野家".len());
        let d = Diagnostic::new(RuleId::DeprecatedName, range, Message::new("old", "古い"))
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
        let value = diagnostic(&d, doc, "file:///n.txt", Locale::Ja);
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

    #[cfg(unix)]
    #[test]
    fn file_uris_are_percent_encoded() {
        assert_eq!(
            file_uri(Path::new("/home/u/メモ 1.txt")),
            "file:///home/u/%E3%83%A1%E3%83%A2%201.txt"
        );
        assert!(file_uri(Path::new("rel.txt")).starts_with("file:///"));
    }
}
