//! Open documents: the editor's text on a rope, edited incrementally.
//!
//! Every LSP position of an edit is converted to a rope index through
//! [`crate::base::LineIndex`], applied to the one line the position is on, so conversions
//! cost the length of a line and not of the document. The rope breaks lines at `\n` only
//! (ropey is built without `unicode_lines`/`cr_lines`), exactly as `LineIndex` does.
//!
//! Edits are applied by [`super::ordered`] in the order the client sent them.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use crate::analysis::recognize::memo::RecognitionMemo;
use crate::base::{LineCol, LineIndex, PositionEncoding};
use crate::ide::OpenFile;
use crate::project::discover::is_kb_file;

/// What a document is to the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    /// A note: analysed, diagnosed, every feature.
    Seed,
    /// A knowledge-base file: parsed into the KB on every change.
    Kb,
    /// `seed-lsp.toml`: read as configuration on save (through the file watcher).
    Config,
}

impl DocKind {
    pub fn of(path: Option<&Path>, extra_kb_files: &[std::path::PathBuf]) -> DocKind {
        match path {
            Some(p) if is_kb_file(p) || extra_kb_files.iter().any(|k| k == p) => DocKind::Kb,
            Some(p)
                if p.file_name()
                    .is_some_and(|n| n == crate::analysis::settings::CONFIG_FILE) =>
            {
                DocKind::Config
            }
            _ => DocKind::Seed,
        }
    }
}

/// What an analysis was made from; it is current while all four still hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Stamp {
    pub version: i32,
    pub kb_generation: u64,
    pub config_generation: u64,
    pub facts_epoch: u64,
}

#[derive(Debug)]
pub struct Document {
    pub uri: Uri,
    pub version: i32,
    pub rope: Rope,
    pub kind: DocKind,
    /// The latest analysis (seeds), possibly of an older version.
    pub analysis: Option<Arc<OpenFile>>,
    /// What `analysis` was made from.
    pub analysed: Stamp,
    /// What the diagnostics last published for this document were made from.
    pub published: Option<Stamp>,
    /// The recognitions of its lines, for the next analysis to reuse (a lock of its own:
    /// analyses run outside the state lock; two of the same note take turns).
    pub memo: Arc<std::sync::Mutex<RecognitionMemo>>,
}

impl Document {
    pub fn new(uri: Uri, version: i32, text: &str, kind: DocKind) -> Self {
        Document {
            uri,
            version,
            rope: Rope::from_str(text),
            kind,
            analysis: None,
            analysed: Stamp::default(),
            published: None,
            memo: Arc::default(),
        }
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    /// Apply one change event: a range replacement, or the whole text when it has no range.
    pub fn apply(&mut self, change: &TextDocumentContentChangeEvent, encoding: PositionEncoding) {
        match change.range {
            None => self.rope = Rope::from_str(&change.text),
            Some(range) => {
                let start = rope_char(
                    &self.rope,
                    LineCol {
                        line: range.start.line,
                        col: range.start.character,
                    },
                    encoding,
                );
                let end = rope_char(
                    &self.rope,
                    LineCol {
                        line: range.end.line,
                        col: range.end.character,
                    },
                    encoding,
                );
                let (start, end) = (start.min(end), start.max(end));
                self.rope.remove(start..end);
                self.rope.insert(start, &change.text);
            }
        }
    }
}

/// The rope char index of a position; positions past a line's end clamp to it, lines past
/// the end clamp to the end of the text, as [`LineIndex::offset`] does.
pub fn rope_char(rope: &Rope, position: LineCol, encoding: PositionEncoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let line_start = rope.line_to_byte(line);
    let line_text: Cow<str> = rope.line(line).into();
    let index = LineIndex::new(&line_text);
    let offset = index.offset(
        &line_text,
        LineCol {
            line: 0,
            col: position.col,
        },
        encoding,
    );
    rope.byte_to_char(line_start + offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn change(range: ((u32, u32), (u32, u32)), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(range.0 .0, range.0 .1),
                Position::new(range.1 .0, range.1 .1),
            )),
            range_length: None,
            text: text.to_string(),
        }
    }

    fn edited(text: &str, encoding: PositionEncoding, edits: &[TextDocumentContentChangeEvent]) -> String {
        let uri: Uri = "file:///n.txt".parse().unwrap();
        let mut doc = Document::new(uri, 1, text, DocKind::Seed);
        for e in edits {
            doc.apply(e, encoding);
        }
        doc.text()
    }

    #[test]
    fn edits_after_a_non_bmp_char_in_every_encoding() {
        let text = "a𠮷b\r\nトカエフ\n";
        // Replace "b" (after 𠮷) with "c".
        assert_eq!(
            edited(text, PositionEncoding::Utf16, &[change(((0, 3), (0, 4)), "c")]),
            "a𠮷c\r\nトカエフ\n"
        );
        assert_eq!(
            edited(text, PositionEncoding::Utf8, &[change(((0, 5), (0, 6)), "c")]),
            "a𠮷c\r\nトカエフ\n"
        );
        assert_eq!(
            edited(text, PositionEncoding::Utf32, &[change(((0, 2), (0, 3)), "c")]),
            "a𠮷c\r\nトカエフ\n"
        );
    }

    #[test]
    fn positions_clamp_like_the_line_index() {
        let text = "ab\r\nカ\n";
        // Past the end of line 0: before the \r\n.
        assert_eq!(
            edited(text, PositionEncoding::Utf16, &[change(((0, 9), (0, 9)), "!")]),
            "ab!\r\nカ\n"
        );
        // Past the last line: at the end.
        assert_eq!(
            edited(text, PositionEncoding::Utf16, &[change(((7, 0), (7, 0)), "!")]),
            "ab\r\nカ\n!"
        );
        // Inside a surrogate pair: at the char start.
        let text = "𠮷x";
        assert_eq!(
            edited(text, PositionEncoding::Utf16, &[change(((0, 1), (0, 1)), "!")]),
            "!𠮷x"
        );
    }

    #[test]
    fn multi_line_edits_and_full_replacement() {
        let text = "一行目\n二行目\n三行目";
        let edits = [
            change(((0, 2), (2, 1)), "X"),
            TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "new".into(),
            },
            change(((0, 3), (0, 3)), "\n"),
        ];
        assert_eq!(edited(text, PositionEncoding::Utf16, &edits[..1]), "一行X行目");
        assert_eq!(edited(text, PositionEncoding::Utf16, &edits), "new\n");
    }
}
