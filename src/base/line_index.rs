//! The line index: byte offset ↔ (line, column) in UTF-8, UTF-16 or UTF-32 units.
//!
//! Japanese text makes bytes, chars and UTF-16 units all differ, and characters outside the
//! BMP (𠮷) make UTF-16 differ from chars. This is the only place that knows about that.
//! Lines end at `\n`; a `\r` before it belongs to the line terminator, not to the line.

/// How columns are counted, as negotiated with an LSP client (`positionEncoding`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum PositionEncoding {
    /// Columns in bytes.
    Utf8,
    /// Columns in UTF-16 code units (the LSP default).
    #[default]
    Utf16,
    /// Columns in Unicode scalar values (chars).
    Utf32,
}

impl PositionEncoding {
    /// The length of `s` in this encoding's units, counted from its bytes (a loop the
    /// compiler vectorises): every byte that starts a char is one unit, and in UTF-16 a
    /// four-byte char (outside the BMP) is two.
    fn units(self, s: &str) -> u32 {
        let starts_char = |b: u8| u32::from(b & 0xC0 != 0x80);
        match self {
            PositionEncoding::Utf8 => s.len() as u32,
            PositionEncoding::Utf16 => s.bytes().map(|b| starts_char(b) + u32::from(b >= 0xF0)).sum(),
            PositionEncoding::Utf32 => s.bytes().map(starts_char).sum(),
        }
    }

    fn width(self, c: char) -> u32 {
        match self {
            PositionEncoding::Utf8 => c.len_utf8() as u32,
            PositionEncoding::Utf16 => c.len_utf16() as u32,
            PositionEncoding::Utf32 => 1,
        }
    }
}

/// A zero-based line and a zero-based column in some [`PositionEncoding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Start offsets of every line of one text. Conversions take the same text again, so the
/// index stays small (one `u32` a line) and never disagrees with the text it was built from
/// as long as the caller rebuilds it after an edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        line_starts.extend(memchr_newlines(text).map(|i| (i + 1) as u32));
        LineIndex {
            line_starts,
            len: text.len() as u32,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where `line` starts (`None` past the last line).
    pub fn line_start(&self, line: u32) -> Option<usize> {
        self.line_starts.get(line as usize).map(|&s| s as usize)
    }

    /// Byte range of `line`'s content, without its terminator (`\n` or `\r\n`). A `\r` that
    /// ends the text is content: no `\n` follows it.
    pub fn line_range(&self, text: &str, line: u32) -> Option<std::ops::Range<usize>> {
        let start = self.line_start(line)?;
        let Some(next) = self.line_start(line + 1) else {
            return Some(start..self.len as usize);
        };
        let mut end = next - 1;
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        Some(start..end)
    }

    /// The line containing byte `offset` (offsets past the end clamp to the last line).
    pub fn line_of(&self, offset: usize) -> u32 {
        let offset = offset.min(self.len as usize) as u32;
        (self.line_starts.partition_point(|&s| s <= offset) - 1) as u32
    }

    /// Byte offset → line and column. Offsets inside a multi-byte char or past the end are
    /// clamped to the previous char boundary.
    pub fn line_col(&self, text: &str, offset: usize, enc: PositionEncoding) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_starts[line as usize] as usize;
        LineCol {
            line,
            col: enc.units(&text[start..offset]),
        }
    }

    /// Line and column → byte offset. A column past the end of its line clamps to the line's
    /// end (before the terminator), a column inside a surrogate pair or a multi-byte char
    /// clamps to the char's start, and a line past the end clamps to the end of the text —
    /// the forgiving behaviour LSP clients rely on.
    pub fn offset(&self, text: &str, pos: LineCol, enc: PositionEncoding) -> usize {
        let Some(range) = self.line_range(text, pos.line) else {
            return text.len();
        };
        let mut remaining = pos.col;
        for (i, c) in text[range.clone()].char_indices() {
            let w = enc.width(c);
            if remaining < w {
                return range.start + i;
            }
            remaining -= w;
        }
        range.end
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', text.as_bytes())
}

/// The largest char boundary ≤ `offset`.
fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_counted_from_bytes_are_units_counted_from_chars() {
        for s in [
            "",
            "abc",
            "トカエフ",
            "𠮷野家",
            "a𠮷b\r",
            "é\u{0301}ｶﾞ😀ー",
            "\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}",
        ] {
            for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
                assert_eq!(
                    enc.units(s),
                    s.chars().map(|c| enc.width(c)).sum::<u32>(),
                    "{s:?} in {enc:?}"
                );
            }
        }
    }

    const TEXT: &str = "a𠮷b\r\nトカエフ\nx";

    #[test]
    fn columns_differ_by_encoding_around_non_bmp_chars() {
        let idx = LineIndex::new(TEXT);
        let b = TEXT.find('b').unwrap();
        assert_eq!(
            idx.line_col(TEXT, b, PositionEncoding::Utf8),
            LineCol { line: 0, col: 5 }
        );
        assert_eq!(
            idx.line_col(TEXT, b, PositionEncoding::Utf16),
            LineCol { line: 0, col: 3 }
        );
        assert_eq!(
            idx.line_col(TEXT, b, PositionEncoding::Utf32),
            LineCol { line: 0, col: 2 }
        );
        for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
            let lc = idx.line_col(TEXT, b, enc);
            assert_eq!(idx.offset(TEXT, lc, enc), b, "{enc:?}");
        }
    }

    #[test]
    fn crlf_is_not_part_of_the_line() {
        let idx = LineIndex::new(TEXT);
        assert_eq!(idx.line_range(TEXT, 0), Some(0..6));
        let past_end = LineCol { line: 0, col: 99 };
        assert_eq!(idx.offset(TEXT, past_end, PositionEncoding::Utf16), 6);
    }

    #[test]
    fn a_carriage_return_ending_the_text_is_content() {
        // Found by the line_index fuzz target: the end of "\r" was (0, 1) but (0, 1) mapped
        // back to 0, before the \r.
        for text in ["\r", "a\nb\r"] {
            let idx = LineIndex::new(text);
            for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
                let end = idx.line_col(text, text.len(), enc);
                assert_eq!(idx.offset(text, end, enc), text.len(), "{text:?} {enc:?}");
            }
        }
        assert_eq!(LineIndex::new("a\r").line_range("a\r", 0), Some(0..2));
        assert_eq!(LineIndex::new("a\r\n").line_range("a\r\n", 0), Some(0..1));
    }

    #[test]
    fn a_column_inside_a_surrogate_pair_clamps_to_the_char_start() {
        let idx = LineIndex::new(TEXT);
        let inside = LineCol { line: 0, col: 2 };
        assert_eq!(idx.offset(TEXT, inside, PositionEncoding::Utf16), 1);
    }

    #[test]
    fn lines_past_the_end_clamp_to_the_end() {
        let idx = LineIndex::new(TEXT);
        assert_eq!(
            idx.offset(TEXT, LineCol { line: 9, col: 0 }, PositionEncoding::Utf16),
            TEXT.len()
        );
        assert_eq!(idx.line_of(TEXT.len() + 10), 2);
        let kana = TEXT.find('カ').unwrap();
        assert_eq!(
            idx.line_col(TEXT, kana, PositionEncoding::Utf16),
            LineCol { line: 1, col: 1 }
        );
    }
}
