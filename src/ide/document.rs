//! An open document: the editor's text on a rope, edited incrementally, and what kind of
//! document it is — a note (analysed, diagnosed, every feature), a knowledge-base file
//! (parsed into the KB on every change) or `seed-lsp.toml`.
//!
//! Every position of an edit is converted to a rope index with the rope's own indexes
//! (line → char → UTF-16 unit, each O(log n)), so conversions cost neither the length of the
//! document nor that of a line. The rope breaks lines at `\n`, `\r\n` and `\r` (ropey's
//! `cr_lines`), exactly as [`crate::base::LineIndex`] does, and clamps as it does.
//!
//! Edits are applied in the order the client sent them (the server applies document sync
//! before it reads the next message).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ropey::Rope;

use super::Span;
use crate::analysis::pipeline::NoteMemo;
use crate::analysis::settings::CONFIG_FILE;
use crate::base::{LineCol, PositionEncoding};
use crate::kb::is_kb_file;

/// What a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    /// A note: analysed, diagnosed, every feature.
    Note,
    /// A knowledge-base file: parsed into the KB on every change.
    Kb,
    /// `seed-lsp.toml`: read as configuration on save (through the file watcher).
    Config,
}

impl DocKind {
    /// The kind of the document at `path`, given the KB files the configuration names.
    pub fn of(path: Option<&Path>, extra_kb_files: &[PathBuf]) -> DocKind {
        match path {
            Some(p) if is_kb_file(p) || extra_kb_files.iter().any(|k| k == p) => DocKind::Kb,
            Some(p) if p.file_name().is_some_and(|n| n == CONFIG_FILE) => DocKind::Config,
            _ => DocKind::Note,
        }
    }
}

/// One change of a document's text: the text of `span` replaced, or the whole text when
/// there is no span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextChange {
    pub span: Option<Span>,
    pub text: String,
}

/// An open document.
#[derive(Debug)]
pub struct Document {
    /// The version the client gave its latest text.
    pub version: i32,
    rope: Rope,
    pub kind: DocKind,
    /// The recognitions of its lines, for the next analysis to reuse (a lock of its own:
    /// analyses run outside the host's lock; two of the same note take turns).
    pub(super) memo: Arc<Mutex<NoteMemo>>,
}

impl Document {
    pub fn new(version: i32, text: &str, kind: DocKind) -> Self {
        Document {
            version,
            rope: Rope::from_str(text),
            kind,
            memo: Arc::default(),
        }
    }

    /// The current text (one copy of the rope).
    pub fn text(&self) -> String {
        String::from(&self.rope)
    }

    pub fn len(&self) -> usize {
        self.rope.len_bytes()
    }

    pub fn is_empty(&self) -> bool {
        self.rope.len_bytes() == 0
    }

    /// Apply one change: a range replacement, or the whole text when it has no range.
    pub fn apply(&mut self, change: &TextChange, encoding: PositionEncoding) {
        match change.span {
            None => self.rope = Rope::from_str(&change.text),
            Some(span) => {
                let start = rope_char(&self.rope, span.start, encoding);
                let end = rope_char(&self.rope, span.end, encoding);
                let (start, end) = (start.min(end), start.max(end));
                self.rope.remove(start..end);
                self.rope.insert(start, &change.text);
            }
        }
    }
}

/// The rope char index of a position; positions past a line's end clamp to it (before its
/// terminator), columns inside a char or a surrogate pair to the char's start, lines past the
/// end to the end of the text, as [`crate::base::LineIndex::offset`] does.
pub fn rope_char(rope: &Rope, position: LineCol, encoding: PositionEncoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let start = rope.line_to_char(line);
    let end = if line + 1 < rope.len_lines() {
        let next = rope.line_to_char(line + 1);
        let crlf = next >= start + 2 && rope.char(next - 1) == '\n' && rope.char(next - 2) == '\r';
        next - if crlf { 2 } else { 1 }
    } else {
        rope.len_chars()
    };
    let col = position.col as usize;
    match encoding {
        PositionEncoding::Utf32 => start.saturating_add(col).min(end),
        PositionEncoding::Utf8 => {
            let at = rope.char_to_byte(start).saturating_add(col);
            if at >= rope.char_to_byte(end) {
                end
            } else {
                rope.byte_to_char(at)
            }
        }
        PositionEncoding::Utf16 => {
            let at = rope.char_to_utf16_cu(start).saturating_add(col);
            if at >= rope.char_to_utf16_cu(end) {
                end
            } else {
                rope.utf16_cu_to_char(at)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(range: ((u32, u32), (u32, u32)), text: &str) -> TextChange {
        let at = |(line, col)| LineCol { line, col };
        TextChange {
            span: Some(Span {
                start: at(range.0),
                end: at(range.1),
            }),
            text: text.to_string(),
        }
    }

    fn edited(text: &str, encoding: PositionEncoding, edits: &[TextChange]) -> String {
        let mut doc = Document::new(1, text, DocKind::Note);
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
            TextChange {
                span: None,
                text: "new".into(),
            },
            change(((0, 3), (0, 3)), "\n"),
        ];
        assert_eq!(edited(text, PositionEncoding::Utf16, &edits[..1]), "一行X行目");
        assert_eq!(edited(text, PositionEncoding::Utf16, &edits), "new\n");
    }
}
