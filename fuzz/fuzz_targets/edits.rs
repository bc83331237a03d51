//! Sequences of incremental edits applied the way the server applies them: each
//! `TextDocumentContentChangeEvent` goes through `ide::Document::apply` (after `proto::convert::text_change`) (the
//! rope, converting positions line by line) and, as a model, through a plain `String`
//! edited at offsets from a `LineIndex` of the whole text. Both must hold the same text
//! after every change, whatever the ranges: past the end, inverted, inside a surrogate
//! pair, across CRLFs, or whole-text replacements.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use seed_lsp::base::{LineIndex, PositionEncoding};
use seed_lsp::ide::{DocKind, Document};
use seed_lsp_fuzz::{encoding, position, tricky_text};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

/// The model: the edit applied to a `String` at whole-text offsets.
fn apply_to_string(text: &mut String, change: &TextDocumentContentChangeEvent, enc: PositionEncoding) {
    let Some(range) = change.range else {
        *text = change.text.clone();
        return;
    };
    let index = LineIndex::new(text);
    let at = |p: Position| index.offset(text, seed_lsp::proto::convert::line_col(p), enc);
    let (a, b) = (at(range.start), at(range.end));
    text.replace_range(a.min(b)..a.max(b), &change.text);
}

fn check(u: &mut Unstructured) -> arbitrary::Result<()> {
    let enc = encoding(u)?;
    let mut model = tricky_text(u, 64)?;
    let mut doc = Document::new(1, &model, DocKind::Note);
    let edits = u.int_in_range(1..=32)?;
    for step in 0..edits {
        if u.is_empty() {
            break;
        }
        let range = if u.ratio(1, 20)? {
            None
        } else {
            let start = position(u, &model)?;
            let end = if u.ratio(1, 2)? { start } else { position(u, &model)? };
            Some(Range::new(
                seed_lsp::proto::convert::position(start),
                seed_lsp::proto::convert::position(end),
            ))
        };
        let change = TextDocumentContentChangeEvent {
            range,
            range_length: None,
            text: tricky_text(u, 6)?,
        };
        doc.apply(&seed_lsp::proto::convert::text_change(change.clone()), enc);
        apply_to_string(&mut model, &change, enc);
        assert_eq!(doc.text(), model, "{enc:?} after edit {step}: {change:?}");
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = check(&mut Unstructured::new(data));
});
