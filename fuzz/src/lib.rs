//! What the fuzz targets share: text generators that favour the characters that make
//! positions hard (𠮷 outside the BMP, CRLF, lone CR, half-width kana, combining marks, ヴ
//! clusters, fences, brackets), and the invariants every target asserts on what the core
//! returns. A target fails on a panic anywhere in seed-lsp or on a broken invariant here.

use arbitrary::{Arbitrary, Unstructured};
use seed_lsp::analysis::recognize::Mention;
use seed_lsp::analysis::Analysis;
use seed_lsp::base::Fix;
use seed_lsp::base::{LineCol, LineIndex, PositionEncoding, TextRange};

/// Pieces of text that exercise boundaries: every kind of line end, non-BMP characters,
/// width variants, combining marks, the ヴ row, separators, brackets and fences.
pub const PIECES: &[&str] = &[
    "\n",
    "\r\n",
    "\r",
    "𠮷",
    "😀",
    "トカエフ",
    "カザフスタン",
    "ﾄｶｴﾌ",
    "ｶﾞ",
    "ヴォ",
    "ヴ",
    "ｳﾞｫ",
    "か\u{3099}",
    "e\u{0301}",
    "・",
    "＝",
    "=",
    "「",
    "」",
    "（",
    "）",
    "(",
    ")",
    "【",
    "】",
    "****見出し****",
    "******",
    "キエフ",
    "ゼレンスキー大統領",
    "NATO",
    "ＣＳＴＯ",
    "大統領",
    "https://example.com/a",
    "出典:",
    "Source link",
    "2023年10月21日",
    "。",
    " ",
    "\t",
    "a",
    "\u{feff}",
    "\u{0}",
];

/// A text mixing [`PIECES`] with arbitrary characters; at most `max_chars` pieces.
pub fn tricky_text(u: &mut Unstructured, max_pieces: usize) -> arbitrary::Result<String> {
    let n = u.int_in_range(0..=max_pieces)?;
    let mut text = String::new();
    for _ in 0..n {
        if u.is_empty() {
            break;
        }
        if u.ratio(3, 4)? {
            text.push_str(u.choose(PIECES)?);
        } else {
            text.push(char::arbitrary(u)?);
        }
    }
    Ok(text)
}

pub fn encoding(u: &mut Unstructured) -> arbitrary::Result<PositionEncoding> {
    Ok(*u.choose(&[PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32])?)
}

/// A position that is usually near the text (so edits hit it) and sometimes far outside.
pub fn position(u: &mut Unstructured, text: &str) -> arbitrary::Result<LineCol> {
    if u.ratio(1, 16)? {
        return Ok(LineCol {
            line: u32::arbitrary(u)?,
            col: u32::arbitrary(u)?,
        });
    }
    let lines = seed_lsp::base::LineIndex::new(text).line_count() as u32;
    let line = u.int_in_range(0..=lines)?;
    let col = u.int_in_range(0..=text.len() as u32 / lines + 4)?;
    Ok(LineCol { line, col })
}

/// `range` is a valid range of `text`: ordered, inside it, on char boundaries.
#[track_caller]
pub fn assert_range(text: &str, range: TextRange, what: &str) {
    assert!(range.start <= range.end, "{what}: inverted range {range:?}");
    assert!(
        range.end <= text.len(),
        "{what}: {range:?} past the end ({})",
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{what}: {range:?} splits a character"
    );
}

/// Mentions are non-empty, inside the text, sorted and non-overlapping.
#[track_caller]
pub fn assert_mentions(text: &str, mentions: &[Mention]) {
    for m in mentions {
        assert_range(text, m.range, "mention");
        assert!(!m.range.is_empty(), "empty mention {m:?}");
    }
    for pair in mentions.windows(2) {
        assert!(
            pair[0].range.end <= pair[1].range.start,
            "overlapping or unsorted mentions {:?} and {:?}",
            pair[0],
            pair[1]
        );
    }
}

/// Every range an analysis hands out is a valid range of the text it analysed, and every
/// fix can be applied.
#[track_caller]
pub fn assert_analysis(text: &str, analysis: &Analysis) {
    let s = &analysis.layout;
    for line in &s.lines {
        assert_range(text, *line, "line");
    }
    for p in &s.paragraphs {
        assert_range(text, p.range, "paragraph");
        assert!(p.lines.end <= s.lines.len(), "paragraph lines {:?}", p.lines);
    }
    for f in &s.fences {
        assert_range(text, f.range, "fence");
    }
    for b in &s.blocks {
        assert_range(text, b.range, "block");
        assert_range(text, b.body, "block body");
        assert_range(text, b.title, "block title");
        assert!(b.open < s.fences.len() && b.close.is_none_or(|c| c < s.fences.len()));
    }
    let r = &analysis.recognition;
    assert_mentions(text, &r.mentions);
    for l in &r.leftovers {
        assert_range(text, l.range, "leftover");
        assert!(l.normalized.end <= r.normalized.text.len(), "leftover {l:?}");
    }
    let sources = &analysis.sources;
    for src in &sources.sources {
        assert_range(text, src.range, "source");
        if let Some(o) = src.outlet_range {
            assert_range(text, o, "source outlet");
        }
    }
    assert!(sources.header.is_none_or(|h| h < sources.sources.len()));
    assert!(sources.trailer.is_none_or(|t| t < sources.sources.len()));
    assert_eq!(sources.paragraph_source.len(), s.paragraphs.len());
    assert_eq!(sources.block_source.len(), s.blocks.len());
    for i in sources.paragraph_source.iter().chain(&sources.block_source).flatten() {
        assert!(*i < sources.sources.len(), "source index {i}");
    }
    for d in &analysis.diagnostics {
        assert_range(text, d.range, "diagnostic");
        for related in &d.related {
            assert_range(text, related.range, "related information");
        }
        for fix in &d.fixes {
            apply_fix(text, fix);
        }
    }
}

/// The text after a fix; asserts its edits are valid and do not overlap (an editor applies
/// them all against the same original text).
#[track_caller]
pub fn apply_fix(text: &str, fix: &Fix) -> String {
    let mut edits: Vec<_> = fix.edits.iter().collect();
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    for e in &edits {
        assert_range(text, e.range, "fix edit");
    }
    for pair in edits.windows(2) {
        assert!(
            pair[0].range.end <= pair[1].range.start,
            "overlapping fix edits {:?}",
            fix.edits
        );
    }
    let mut out = text.to_string();
    for e in edits.iter().rev() {
        out.replace_range(e.range.start..e.range.end, &e.new_text);
    }
    out
}

/// True when byte `offset` sits between the `\r` and the `\n` of a CRLF: no LSP position
/// names it.
pub fn inside_crlf(text: &str, offset: usize) -> bool {
    offset > 0 && text.as_bytes().get(offset - 1) == Some(&b'\r') && text.as_bytes().get(offset) == Some(&b'\n')
}

/// Columns of one offset in every encoding: UTF-8 ≥ UTF-16 ≥ UTF-32, on the same line.
#[track_caller]
pub fn assert_encodings_agree(index: &LineIndex, text: &str, offset: usize) {
    let [u8, u16, u32] = [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32]
        .map(|e| index.line_col(text, offset, e));
    assert!(u8.line == u16.line && u16.line == u32.line, "{u8:?} {u16:?} {u32:?}");
    assert!(u8.col >= u16.col && u16.col >= u32.col, "{u8:?} {u16:?} {u32:?}");
}
