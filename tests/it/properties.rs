//! Property tests (proptest) of what the server's view of a note rests on:
//! - any sequence of incremental edits, applied the way the server applies them
//!   (`ide::Document::apply`), gives the same text as the edits applied to a
//!   plain string, and — analysed after every edit with the note memo, as the server does —
//!   the same diagnostics, recognition, layout, sources and date as analysing the final text
//!   fresh (edits split and join lines and paragraphs, move source lines, open and close
//!   clipping blocks);
//! - position conversions round-trip in UTF-8, UTF-16 and UTF-32, around 𠮷 and CRLF, and
//!   positions outside the text clamp into it;
//! - normalisation maps every normalised range back to a valid original range, whose own
//!   normalisation is the normalised text it came from;
//! - recognition never returns overlapping or out-of-bounds mentions, and each exact mention
//!   is a spelling of its entity.
//!
//! Texts are drawn from pieces that make positions hard (non-BMP characters, every kind of
//! line end, half-width kana, combining marks, the ヴ row, fences, brackets) mixed with KB
//! spellings and arbitrary characters. `PROPTEST_CASES` raises the number of cases.

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use seed_lsp::analysis::facts::WorkspaceFacts;
use seed_lsp::analysis::pipeline::NoteMemo;
use seed_lsp::analysis::prh::PrhRules;
use seed_lsp::analysis::recognize::MentionForm;
use seed_lsp::analysis::settings::Config;
use seed_lsp::analysis::{analyze, analyze_with_memo, Context};
use seed_lsp::base::normalize::{normalize, NormalizedText};
use seed_lsp::base::{LineCol, LineIndex, PositionEncoding, TextRange};
use seed_lsp::ide::{DocKind, Document};
use seed_lsp::kb::Kb;
use seed_lsp::proto::convert::text_change;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

const PIECES: &[&str] = &[
    "\n",
    "\r\n",
    "\r\n",
    "\r",
    "𠮷",
    "😀",
    "ﾄｶｴﾌ",
    "ｶﾞ",
    "ヴォ",
    "ヴ",
    "ｳﾞｫ",
    "か\u{3099}",
    "e\u{0301}",
    "・",
    "＝",
    "「",
    "」",
    "（",
    "）",
    "【",
    "】",
    "****見出し****",
    "******",
    "大統領",
    "外相",
    "氏",
    "は",
    "、",
    "。",
    "NATO",
    "ＣＳＴＯ",
    "https://example.com/x",
    "【2023年10月21日 AFP】",
    "【4月9日 ロイター】",
    "（ロイター）",
    "出典：NHK",
    "Source link",
    " - TASS",
    "ロシア外務省の報道官は記者会見で次のように述べ",
    " ",
    "a",
    "ー",
];

fn encodings() -> [PositionEncoding; 3] {
    [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32]
}

fn any_encoding() -> impl Strategy<Value = PositionEncoding> {
    prop::sample::select(encodings().to_vec())
}

/// One piece of text: a tricky piece, a KB spelling, or any character.
fn piece() -> impl Strategy<Value = String> {
    let kb = Kb::builtin();
    let spellings: Vec<String> = kb.spellings.iter().map(|s| s.text.clone()).collect();
    prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(str::to_string),
        3 => prop::sample::select(spellings),
        2 => any::<char>().prop_map(String::from),
    ]
}

fn text(max_pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..max_pieces).prop_map(|p| p.concat())
}

/// A position given as fractions of the text, so that most land inside it and some
/// beyond: (line fraction, column), scaled by [`resolve`].
#[derive(Clone, Debug)]
struct RawPosition {
    line: u16,
    col: u16,
}

fn raw_position() -> impl Strategy<Value = RawPosition> {
    (any::<u16>(), any::<u16>()).prop_map(|(line, col)| RawPosition { line, col })
}

fn resolve(text: &str, p: &RawPosition) -> LineCol {
    let lines = lsp_line_starts(text).len() as u32;
    let line = u32::from(p.line) % (lines + 2);
    let col = u32::from(p.col) % (text.len() as u32 / lines + 6);
    LineCol { line, col }
}

#[derive(Clone, Debug)]
enum EditSpec {
    Range {
        start: RawPosition,
        end: RawPosition,
        text: String,
    },
    Whole(String),
}

fn edit() -> impl Strategy<Value = EditSpec> {
    prop_oneof![
        12 => (raw_position(), raw_position(), text(4)).prop_map(|(start, end, text)| EditSpec::Range { start, end, text }),
        4 => (raw_position(), text(4)).prop_map(|(at, text)| EditSpec::Range { start: at.clone(), end: at, text }),
        1 => text(12).prop_map(EditSpec::Whole),
    ]
}

fn lsp_position(lc: LineCol) -> Position {
    Position::new(lc.line, lc.col)
}

/// The change event an editor would send for `spec` against `text`.
fn change_event(text: &str, spec: &EditSpec) -> TextDocumentContentChangeEvent {
    match spec {
        EditSpec::Range { start, end, text: new } => TextDocumentContentChangeEvent {
            range: Some(Range::new(
                lsp_position(resolve(text, start)),
                lsp_position(resolve(text, end)),
            )),
            range_length: None,
            text: new.clone(),
        },
        EditSpec::Whole(new) => TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: new.clone(),
        },
    }
}

/// Where lines start by LSP 3.17's definition, written here from the specification and
/// independent of `LineIndex` and of the rope: a line ends at `\n`, `\r\n` or `\r`.
fn lsp_line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 1;
            }
            b'\r' | b'\n' => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

/// The offset of an LSP position, from [`lsp_line_starts`] and the columns counted char by
/// char; positions clamp as clients expect (past a line's end: its end; inside a char: its
/// start; past the last line: the end of the text).
fn lsp_offset(text: &str, p: Position, enc: PositionEncoding) -> usize {
    let starts = lsp_line_starts(text);
    let Some(&start) = starts.get(p.line as usize) else {
        return text.len();
    };
    let end = match starts.get(p.line as usize + 1) {
        Some(&next) if text[..next].ends_with("\r\n") && next >= start + 2 => next - 2,
        Some(&next) => next - 1,
        None => text.len(),
    };
    let mut remaining = p.character;
    for (i, c) in text[start..end].char_indices() {
        let width = match enc {
            PositionEncoding::Utf8 => c.len_utf8() as u32,
            PositionEncoding::Utf16 => c.len_utf16() as u32,
            PositionEncoding::Utf32 => 1,
        };
        if remaining < width {
            return start + i;
        }
        remaining -= width;
    }
    end
}

/// The model: the change applied to a string at offsets found by LSP's own definition of
/// lines and columns ([`lsp_offset`]).
fn apply_to_string(text: &mut String, change: &TextDocumentContentChangeEvent, enc: PositionEncoding) {
    let Some(range) = change.range else {
        *text = change.text.clone();
        return;
    };
    let (a, b) = (lsp_offset(text, range.start, enc), lsp_offset(text, range.end, enc));
    text.replace_range(a.min(b)..a.max(b), &change.text);
}

/// `text` with every line break made `ending`.
fn with_line_endings(text: &str, ending: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n").replace('\n', ending)
}

fn inside_crlf(text: &str, offset: usize) -> bool {
    offset > 0 && text.as_bytes().get(offset - 1) == Some(&b'\r') && text.as_bytes().get(offset) == Some(&b'\n')
}

#[track_caller]
fn assert_valid_range(text: &str, range: TextRange) {
    assert!(
        range.start <= range.end && range.end <= text.len(),
        "{range:?} in {}",
        text.len()
    );
    assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(cases),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn incremental_edits_give_the_text_and_diagnostics_of_a_fresh_open(
        initial in text(30),
        ending in prop::sample::select(&["\n", "\r\n", "\r"][..]),
        edits in prop::collection::vec(edit(), 1..24),
        enc in any_encoding(),
    ) {
        // Notes written with one kind of line end (Neovim's `ff=mac` sends `\r` only), edited
        // with pieces of every kind.
        let initial = with_line_endings(&initial, ending);
        let mut doc = Document::new(1, &initial, DocKind::Note);
        let mut model = initial.clone();
        let kb = Kb::builtin();
        let facts = WorkspaceFacts::new(&kb);
        let config = Config::default();
        let prh = PrhRules::default();
        let cx = Context { kb: &kb, config: &config, prh: &prh, facts: &facts, file: None };
        // Analysed after every edit as the server does: changed lines only, with the memo.
        let mut memo = NoteMemo::default();
        analyze_with_memo(&doc.text(), cx, 1, &mut memo);
        let mut edited = None;
        for spec in &edits {
            let change = change_event(&model, spec);
            doc.apply(&text_change(change.clone()), enc);
            apply_to_string(&mut model, &change, enc);
            prop_assert_eq!(doc.text(), model.clone(), "after {:?}", change);
            edited = Some(analyze_with_memo(&doc.text(), cx, 1, &mut memo));
        }
        let edited = edited.unwrap();
        let fresh = analyze(&model, cx);
        prop_assert_eq!(edited.diagnostics, fresh.diagnostics);
        prop_assert_eq!(edited.recognition.mentions, fresh.recognition.mentions);
        prop_assert_eq!(edited.recognition.leftovers, fresh.recognition.leftovers);
        prop_assert_eq!(edited.recognition.normalized.text, fresh.recognition.normalized.text);
        prop_assert_eq!(edited.layout, fresh.layout);
        prop_assert_eq!(edited.sources, fresh.sources);
        prop_assert_eq!(edited.dating, fresh.dating);
    }

    #[test]
    fn every_offset_round_trips_in_every_encoding(text in text(40)) {
        let index = LineIndex::new(&text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let [u8, u16, u32] = encodings().map(|e| index.line_col(&text, offset, e));
            prop_assert!(u8.line == u16.line && u16.line == u32.line);
            prop_assert!(u8.col >= u16.col && u16.col >= u32.col, "{:?} {:?} {:?}", u8, u16, u32);
            for (enc, lc) in encodings().into_iter().zip([u8, u16, u32]) {
                let back = index.offset(&text, lc, enc);
                // Between the \r and \n of a CRLF there is no position: before the \r.
                let expected = if inside_crlf(&text, offset) { offset - 1 } else { offset };
                prop_assert_eq!(back, expected, "{:?} {} → {:?}", enc, offset, lc);
                // Lines as LSP defines them: `\n`, `\r\n` and `\r` all end one.
                prop_assert_eq!(lsp_offset(&text, lsp_position(lc), enc), back, "{:?} {:?}", enc, lc);
            }
        }
    }

    #[test]
    fn positions_outside_the_text_clamp_into_it(
        text in text(30),
        positions in prop::collection::vec(raw_position(), 1..16),
        far in (any::<u32>(), any::<u32>()),
        enc in any_encoding(),
    ) {
        let index = LineIndex::new(&text);
        let mut all: Vec<LineCol> = positions.iter().map(|p| resolve(&text, p)).collect();
        all.push(LineCol { line: far.0, col: far.1 });
        for p in all {
            let offset = index.offset(&text, p, enc);
            prop_assert!(offset <= text.len() && text.is_char_boundary(offset));
            prop_assert!(!inside_crlf(&text, offset));
            let back = index.line_col(&text, offset, enc);
            if (p.line as usize) < index.line_count() {
                prop_assert_eq!(back.line, p.line);
                prop_assert!(back.col <= p.col, "{:?} → {} → {:?}", p, offset, back);
            } else {
                prop_assert_eq!(offset, text.len());
            }
        }
    }

    #[test]
    fn normalised_ranges_map_back_to_valid_original_ranges(
        text in text(40),
        cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..12),
    ) {
        let n = NormalizedText::new(&text);
        let boundaries: Vec<usize> = (0..=text.len()).filter(|&o| text.is_char_boundary(o)).collect();
        for (a, b) in cuts {
            // Any normalised offsets, even inside a character: a valid original range.
            let raw = n.original_range(a.index(n.text.len() + 2), b.index(n.text.len() + 2));
            assert_valid_range(&text, raw);
            // Offsets at cluster starts: the original range normalises to the same text.
            let (a, b) = (a.get(&boundaries), b.get(&boundaries));
            let (na, nb) = (n.normalized_offset(*a.min(b)), n.normalized_offset(*a.max(b)));
            prop_assert!(na <= nb && nb <= n.text.len());
            let original = n.original_range(na, nb);
            assert_valid_range(&text, original);
            if na < nb {
                prop_assert_eq!(normalize(original.slice(&text)), &n.text[na..nb]);
            }
        }
    }

    #[test]
    fn recognition_returns_sorted_disjoint_mentions_inside_the_text(text in text(40), mentioned in any::<bool>()) {
        let kb = Kb::builtin();
        let mut facts = WorkspaceFacts::new(&kb);
        if mentioned {
            facts.add_mentions(0..kb.entities.len(), false);
        }
        let cx = Context { kb: &kb, config: &Config::default(), prh: &PrhRules::default(), facts: &facts, file: None };
        let analysis = analyze(&text, cx);
        let mentions = &analysis.recognition.mentions;
        for m in mentions {
            assert_valid_range(&text, m.range);
            prop_assert!(!m.range.is_empty());
            if let MentionForm::Spelling(s) = m.form {
                let spelling = &kb.spellings[s];
                prop_assert_eq!(spelling.entity, m.entity);
                prop_assert!(
                    normalize(m.range.slice(&text)).contains(&spelling.normalized),
                    "{:?} is not {:?}", m.range.slice(&text), spelling.text
                );
            }
        }
        for pair in mentions.windows(2) {
            prop_assert!(pair[0].range.end <= pair[1].range.start, "{:?} / {:?}", pair[0], pair[1]);
        }
        for l in &analysis.recognition.leftovers {
            assert_valid_range(&text, l.range);
        }
        for d in &analysis.diagnostics {
            assert_valid_range(&text, d.range);
            for fix in &d.fixes {
                for e in &fix.edits {
                    assert_valid_range(&text, e.range);
                }
            }
        }
    }
}

/// The cases every run checks, whatever proptest draws: 𠮷 is two UTF-16 units and one
/// UTF-32 unit, CRLF is not part of the line, a column inside the surrogate pair clamps to
/// the character's start.
#[test]
fn known_positions_around_non_bmp_characters_and_crlf() {
    let text = "𠮷a\r\n𠮷𠮷\r\nb";
    let index = LineIndex::new(text);
    let b = text.rfind('b').unwrap();
    let second_line_end = text.rfind("\r\n").unwrap();
    let cases = [
        (PositionEncoding::Utf8, 5, 8),
        (PositionEncoding::Utf16, 3, 4),
        (PositionEncoding::Utf32, 2, 2),
    ];
    for (enc, a_end, line_1_end) in cases {
        assert_eq!(index.line_col(text, 5, enc), LineCol { line: 0, col: a_end }, "{enc:?}");
        assert_eq!(
            index.line_col(text, second_line_end, enc),
            LineCol {
                line: 1,
                col: line_1_end
            },
            "{enc:?}"
        );
        assert_eq!(index.line_col(text, b, enc), LineCol { line: 2, col: 0 });
        // Past the end of a line: before its CRLF.
        assert_eq!(index.offset(text, LineCol { line: 1, col: 99 }, enc), second_line_end);
    }
    // Inside the surrogate pair of the first 𠮷 (UTF-16) or its bytes (UTF-8).
    assert_eq!(
        index.offset(text, LineCol { line: 0, col: 1 }, PositionEncoding::Utf16),
        0
    );
    assert_eq!(
        index.offset(text, LineCol { line: 0, col: 3 }, PositionEncoding::Utf8),
        0
    );
}
