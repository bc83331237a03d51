//! The line index and position conversions in all three encodings, on texts full of 𠮷,
//! CRLF, lone CR and multi-byte characters:
//! - every char-boundary offset round-trips offset → line/col → offset (an offset between
//!   a CRLF's `\r` and `\n` has no position and maps to before the `\r`);
//! - any line/col, however far outside, clamps to a char boundary inside the text, never
//!   between `\r` and `\n`, on the requested line when it exists and never past the column;
//! - columns agree across encodings (UTF-8 ≥ UTF-16 ≥ UTF-32) and order is preserved;
//! - the server's per-line conversion on the rope (`ide::document::rope_char`) gives
//!   the same offset as the whole-text index.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use ropey::Rope;
use seed_lsp::base::{LineCol, LineIndex};
use seed_lsp::ide::document::rope_char;
use seed_lsp_fuzz::{assert_encodings_agree, encoding, inside_crlf, position, tricky_text};

fn check(u: &mut Unstructured) -> arbitrary::Result<()> {
    let text = tricky_text(u, 200)?;
    let enc = encoding(u)?;
    let index = LineIndex::new(&text);
    // Lines end at `\n`, `\r\n` or `\r` (LSP 3.17): one more line than breaks.
    let breaks = text.matches('\n').count() + text.matches('\r').count() - text.matches("\r\n").count();
    assert_eq!(index.line_count(), breaks + 1);
    let mut previous: Option<LineCol> = None;
    for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
        let lc = index.line_col(&text, offset, enc);
        let back = index.offset(&text, lc, enc);
        let expected = if inside_crlf(&text, offset) { offset - 1 } else { offset };
        assert_eq!(back, expected, "{enc:?} offset {offset} → {lc:?} → {back} in {text:?}");
        assert_eq!(index.line_of(offset), lc.line);
        if let Some(p) = previous {
            assert!(
                p < lc || inside_crlf(&text, offset),
                "order lost at {offset}: {p:?} then {lc:?}"
            );
        }
        previous = Some(lc);
        assert_encodings_agree(&index, &text, offset);
    }
    let rope = Rope::from_str(&text);
    for _ in 0..16 {
        let p = position(u, &text)?;
        let offset = index.offset(&text, p, enc);
        assert!(
            offset <= text.len() && text.is_char_boundary(offset),
            "{p:?} → {offset}"
        );
        assert!(!inside_crlf(&text, offset), "{p:?} → {offset} between CR and LF");
        let lc = index.line_col(&text, offset, enc);
        if (p.line as usize) < index.line_count() {
            assert_eq!(lc.line, p.line, "{p:?} → {offset} → {lc:?}");
            assert!(lc.col <= p.col, "{p:?} → {offset} → {lc:?}");
        } else {
            assert_eq!(offset, text.len());
        }
        let char_index = rope_char(&rope, p, enc);
        assert_eq!(
            rope.char_to_byte(char_index),
            offset,
            "rope and index disagree on {p:?}"
        );
    }
    // Offsets inside a character or past the end clamp.
    let wild = usize::from(u.arbitrary::<u16>()?);
    let lc = index.line_col(&text, wild, enc);
    assert!(index.offset(&text, lc, enc) <= wild.min(text.len()));
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = check(&mut Unstructured::new(data));
});
