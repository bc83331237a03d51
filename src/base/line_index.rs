//! The line index: byte offset ↔ (line, column) in UTF-8, UTF-16 or UTF-32 units.
//!
//! Japanese text makes bytes, chars and UTF-16 units all differ, and characters outside the
//! BMP (𠮷) make UTF-16 differ from chars. This is the only place that knows about that.
//! Lines end at `\n`, `\r\n` or `\r`, as LSP 3.17 defines them (Neovim with `ff=mac` sends
//! `\r`-only notes); the terminator is not part of the line. Conversions cost a binary search
//! and at most a chunk's scan, whatever the length of the line.

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
    #[cfg(test)]
    fn units(self, s: &str) -> u32 {
        units_of(s.as_bytes(), self)
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

/// Bytes between two checkpoints of the unit counts.
const CHUNK: usize = 256;

/// Start offsets of every line of one text, and the UTF-16 and UTF-32 lengths of the text
/// up to every [`CHUNK`]-th byte, so that a column on a line of any length costs at most a
/// chunk's scan and a binary search — never the length of the line (a 3 MB line of
/// brackets has tens of thousands of diagnostics to convert). Conversions take the same text
/// again, so the index stays small (one `u32` a line, eight bytes a chunk) and never
/// disagrees with the text it was built from as long as the caller rebuilds it after an edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
    /// `(UTF-16, UTF-32)` units of `text[..k * CHUNK]`, for every `k` up to the end.
    checkpoints: Vec<(u32, u32)>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // `\r\n` is one break, after its `\n`; a lone `\r` is a break of its own (LSP 3.17).
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                line_starts.push((i + 1) as u32);
            }
        }
        let mut checkpoints = Vec::with_capacity(text.len() / CHUNK + 1);
        let (mut utf16, mut utf32) = (0u32, 0u32);
        checkpoints.push((0, 0));
        for chunk in bytes.chunks(CHUNK) {
            utf16 += units_of(chunk, PositionEncoding::Utf16);
            utf32 += units_of(chunk, PositionEncoding::Utf32);
            checkpoints.push((utf16, utf32));
        }
        LineIndex {
            line_starts,
            len: text.len() as u32,
            checkpoints,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where `line` starts (`None` past the last line).
    pub fn line_start(&self, line: u32) -> Option<usize> {
        self.line_starts.get(line as usize).map(|&s| s as usize)
    }

    /// Byte range of `line`'s content, without its terminator (`\n`, `\r\n` or `\r`).
    pub fn line_range(&self, text: &str, line: u32) -> Option<std::ops::Range<usize>> {
        let start = self.line_start(line)?;
        let Some(next) = self.line_start(line + 1) else {
            return Some(start..self.len as usize);
        };
        let bytes = text.as_bytes();
        let mut end = next - 1;
        if bytes[end] == b'\n' && end > start && bytes[end - 1] == b'\r' {
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
    /// clamped to the previous char boundary; the offset between the `\r` and `\n` of a CRLF
    /// is the end of its line.
    pub fn line_col(&self, text: &str, offset: usize, enc: PositionEncoding) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let range = self.line_range(text, line).expect("the line of an offset exists");
        let offset = offset.min(range.end);
        LineCol {
            line,
            col: self.units_before(text, offset, enc) - self.units_before(text, range.start, enc),
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
        if enc == PositionEncoding::Utf8 {
            let at = range.start.saturating_add(pos.col as usize);
            return if at >= range.end {
                range.end
            } else {
                floor_char_boundary(text, at)
            };
        }
        let target = u64::from(self.units_before(text, range.start, enc)) + u64::from(pos.col);
        if target >= u64::from(self.units_before(text, range.end, enc)) {
            return range.end;
        }
        let target = target as u32;
        // The last checkpoint inside the line at or before the target, then a scan of at most
        // a chunk.
        let first = range.start / CHUNK;
        let last = range.end / CHUNK;
        let k = first + self.checkpoints[first..=last].partition_point(|c| unit(*c, enc) <= target);
        let mut at = range.start.max(k.saturating_sub(1) * CHUNK);
        let mut units = self.units_before(text, at, enc);
        while !text.is_char_boundary(at) {
            at += 1;
        }
        for (i, c) in text[at..range.end].char_indices() {
            let w = enc.width(c);
            if units + w > target {
                return at + i;
            }
            units += w;
        }
        range.end
    }

    /// The length of `text[..offset]` in `enc`'s units.
    fn units_before(&self, text: &str, offset: usize, enc: PositionEncoding) -> u32 {
        if enc == PositionEncoding::Utf8 {
            return offset as u32;
        }
        let k = offset / CHUNK;
        unit(self.checkpoints[k], enc) + units_of(&text.as_bytes()[k * CHUNK..offset], enc)
    }
}

/// One encoding's count of a checkpoint.
fn unit((utf16, utf32): (u32, u32), enc: PositionEncoding) -> u32 {
    match enc {
        PositionEncoding::Utf8 => unreachable!("UTF-8 columns are bytes"),
        PositionEncoding::Utf16 => utf16,
        PositionEncoding::Utf32 => utf32,
    }
}

/// [`PositionEncoding::units`] of any run of bytes, even one that starts or ends inside a
/// char (each char counts at its first byte).
fn units_of(bytes: &[u8], enc: PositionEncoding) -> u32 {
    let starts_char = |b: &u8| u32::from(b & 0xC0 != 0x80);
    match enc {
        PositionEncoding::Utf8 => bytes.len() as u32,
        PositionEncoding::Utf16 => bytes.iter().map(|b| starts_char(b) + u32::from(*b >= 0xF0)).sum(),
        PositionEncoding::Utf32 => bytes.iter().map(starts_char).sum(),
    }
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
    fn a_lone_carriage_return_is_a_line_break() {
        // LSP 3.17: `\n`, `\r\n` and `\r` all end a line.
        let text = "トカエフ\rプーチン\r\nx\ny\r";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 5);
        let lines: Vec<&str> = (0..5).map(|l| &text[idx.line_range(text, l).unwrap()]).collect();
        assert_eq!(lines, ["トカエフ", "プーチン", "x", "y", ""]);
        let pu = text.find('プ').unwrap();
        for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
            assert_eq!(idx.line_col(text, pu, enc), LineCol { line: 1, col: 0 });
            assert_eq!(idx.offset(text, LineCol { line: 1, col: 0 }, enc), pu);
            // The end of a text that ends with `\r` is the start of the empty line after it
            // (found by the line_index fuzz target when `\r` was content: the end did not
            // round-trip).
            let end = idx.line_col(text, text.len(), enc);
            assert_eq!(end, LineCol { line: 4, col: 0 });
            assert_eq!(idx.offset(text, end, enc), text.len(), "{enc:?}");
        }
        // Between the `\r` and `\n` of a CRLF: the end of its line.
        let inside = text.find("\r\n").unwrap() + 1;
        assert_eq!(
            idx.line_col(text, inside, PositionEncoding::Utf16),
            LineCol { line: 1, col: 4 }
        );
        assert_eq!(LineIndex::new("a\r").line_range("a\r", 0), Some(0..1));
        assert_eq!(LineIndex::new("a\r\n").line_range("a\r\n", 0), Some(0..1));
        assert_eq!(LineIndex::new("\r\r\n\n").line_count(), 4);
    }

    #[test]
    fn columns_on_a_long_line_agree_with_counting_from_the_line_start() {
        // Chunk boundaries fall inside chars of every width, and a line starts mid-chunk.
        let line: String = "a𠮷「é".repeat(400);
        let text = format!("x\n{line}\r\n{line}");
        let idx = LineIndex::new(&text);
        for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32] {
            for line_no in 1..=2u32 {
                let range = idx.line_range(&text, line_no).unwrap();
                let mut col = 0;
                for (i, c) in text[range.clone()].char_indices() {
                    let offset = range.start + i;
                    assert_eq!(
                        idx.line_col(&text, offset, enc),
                        LineCol { line: line_no, col },
                        "{enc:?} {offset}"
                    );
                    assert_eq!(
                        idx.offset(&text, LineCol { line: line_no, col }, enc),
                        offset,
                        "{enc:?} {offset}"
                    );
                    if enc.width(c) > 1 && enc != PositionEncoding::Utf8 {
                        // Inside a surrogate pair: the char's start.
                        let inside = LineCol {
                            line: line_no,
                            col: col + 1,
                        };
                        assert_eq!(idx.offset(&text, inside, enc), offset);
                    }
                    col += enc.width(c);
                }
                let past = LineCol {
                    line: line_no,
                    col: col + 5,
                };
                assert_eq!(idx.offset(&text, past, enc), range.end);
            }
        }
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
