//! Semantic tokens with a legend of standard token types, so ordinary themes colour a plain
//! `.txt` note: entity mentions by kind (people as `function`, organisations as `class`,
//! places as `enumMember`, media as `macro`, events as `property`, others as `variable`),
//! wrong or outdated spellings with the `deprecated` modifier, source attributions as
//! `comment`, quotes 「…」 『…』 “…” as `string`, `【…】` headings and clipping-block titles as
//! `keyword` (their `****` fences as `operator`).
//!
//! Tokens never overlap (a mention inside a quote splits the quote) and never span lines;
//! positions and lengths are in the world's encoding.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::{MentionKind, OpenFile, Span, World};
use crate::analysis::layout::FenceKind;
use crate::base::TextRange;
use crate::kb::EntityKind;

pub const TOKEN_TYPES: &[&str] = &[
    "function",
    "class",
    "enumMember",
    "macro",
    "property",
    "variable",
    "comment",
    "string",
    "keyword",
    "operator",
];
pub const TOKEN_MODIFIERS: &[&str] = &["deprecated"];

const COMMENT: u32 = 6;
const STRING: u32 = 7;
const KEYWORD: u32 = 8;
const OPERATOR: u32 = 9;
const DEPRECATED: u32 = 1;

fn entity_type(kind: EntityKind) -> u32 {
    match kind {
        EntityKind::Person => 0,
        EntityKind::Organization => 1,
        EntityKind::Place => 2,
        EntityKind::Media => 3,
        EntityKind::Event => 4,
        EntityKind::Other => 5,
    }
}

/// One token, in absolute line and column (the server delta-encodes them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SemanticToken {
    pub line: u32,
    pub start: u32,
    pub length: u32,
    pub token_type: u32,
    pub modifiers: u32,
}

/// A coloured interval before flattening; higher `priority` wins where intervals overlap.
struct Paint {
    range: TextRange,
    priority: u8,
    token_type: u32,
    modifiers: u32,
}

/// Tokens of the note, or of the lines `span` touches.
pub fn semantic_tokens(world: &World, file: &OpenFile, span: Option<Span>) -> Vec<SemanticToken> {
    let window = span.map(|s| file.range(s, world.encoding));
    let analysis = &file.analysis;
    let mut paints = quotes(file);
    for fence in &analysis.layout.fences {
        match fence.kind {
            FenceKind::Open { title, .. } => {
                paints.push(Paint {
                    range: fence.range,
                    priority: 1,
                    token_type: OPERATOR,
                    modifiers: 0,
                });
                paints.push(Paint {
                    range: title,
                    priority: 2,
                    token_type: KEYWORD,
                    modifiers: 0,
                });
            }
            FenceKind::Close => paints.push(Paint {
                range: fence.range,
                priority: 1,
                token_type: OPERATOR,
                modifiers: 0,
            }),
        }
    }
    for heading in super::symbols::heading_lines(file) {
        paints.push(Paint {
            range: heading,
            priority: 2,
            token_type: KEYWORD,
            modifiers: 0,
        });
    }
    for source in &analysis.sources.sources {
        paints.push(Paint {
            range: source.range,
            priority: 3,
            token_type: COMMENT,
            modifiers: 0,
        });
    }
    let kb = &world.kb.kb;
    for (m, indexed) in analysis.recognition.mentions.iter().zip(&file.summary.mentions) {
        let wrong = matches!(
            indexed.kind,
            MentionKind::Deprecated | MentionKind::Misspelling | MentionKind::NearMiss
        );
        paints.push(Paint {
            range: m.range,
            priority: 4,
            token_type: entity_type(kb.entity(m.entity).kind),
            modifiers: if wrong { DEPRECATED } else { 0 },
        });
    }
    if let Some(w) = window {
        paints.retain(|p| p.range.start <= w.end && w.start <= p.range.end);
    }
    let mut tokens = Vec::new();
    for (range, token_type, modifiers) in flatten(paints) {
        split_lines(file, world, range, |line, start, length| {
            tokens.push(SemanticToken {
                line,
                start,
                length,
                token_type,
                modifiers,
            });
        });
    }
    if let Some(w) = window {
        let (first, last) = (file.line_index.line_of(w.start), file.line_index.line_of(w.end));
        tokens.retain(|t| first <= t.line && t.line <= last);
    }
    tokens
}

/// Non-overlapping pieces, the highest priority winning, adjacent pieces of one paint merged.
/// A sweep over the paints' bounds with the paints covering the current piece in a heap
/// (highest priority, then first in order, on top; paints that have ended are dropped when
/// they reach the top): O(n log n), however deeply quotes nest.
fn flatten(mut paints: Vec<Paint>) -> Vec<(TextRange, u32, u32)> {
    paints.retain(|p| !p.range.is_empty());
    paints.sort_by_key(|p| (p.range.start, std::cmp::Reverse(p.range.end)));
    let mut bounds: Vec<usize> = paints.iter().flat_map(|p| [p.range.start, p.range.end]).collect();
    bounds.sort_unstable();
    bounds.dedup();
    let mut out: Vec<(TextRange, u32, u32, usize)> = Vec::new();
    let mut active: BinaryHeap<(u8, Reverse<usize>)> = BinaryHeap::new();
    let mut next = 0;
    for pair in bounds.windows(2) {
        let (start, end) = (pair[0], pair[1]);
        while next < paints.len() && paints[next].range.start <= start {
            if paints[next].range.end > start {
                active.push((paints[next].priority, Reverse(next)));
            }
            next += 1;
        }
        while active
            .peek()
            .is_some_and(|&(_, Reverse(i))| paints[i].range.end <= start)
        {
            active.pop();
        }
        let Some(&(_, Reverse(winner))) = active.peek() else {
            continue;
        };
        let p = &paints[winner];
        match out.last_mut() {
            Some(last) if last.3 == winner && last.0.end == start => last.0.end = end,
            _ => out.push((TextRange::new(start, end), p.token_type, p.modifiers, winner)),
        }
    }
    out.into_iter().map(|(r, t, m, _)| (r, t, m)).collect()
}

/// Call `emit(line, start column, length)` for the part of `range` on each line.
fn split_lines(file: &OpenFile, world: &World, range: TextRange, mut emit: impl FnMut(u32, u32, u32)) {
    let index = &file.line_index;
    for line in index.line_of(range.start)..=index.line_of(range.end) {
        let Some(content) = index.line_range(&file.text, line) else {
            continue;
        };
        let start = range.start.max(content.start);
        let end = range.end.min(content.end);
        if start >= end {
            continue;
        }
        let a = file.line_col(start, world.encoding);
        let b = file.line_col(end, world.encoding);
        emit(line, a.col, b.col - a.col);
    }
}

/// Balanced 「…」, 『…』 and “…” within each paragraph. A closing quote closes the innermost
/// open quote of its kind and drops the unclosed ones inside it; each kind keeps the places
/// of its open quotes in the stack, so that finding one costs nothing, however many others
/// are open.
fn quotes(file: &OpenFile) -> Vec<Paint> {
    const OPEN: [char; 3] = ['「', '『', '“'];
    const CLOSE: [char; 3] = ['」', '』', '”'];
    let mut out = Vec::new();
    for paragraph in &file.analysis.layout.paragraphs {
        // Open quotes (kind, offset), and for each kind the indices of its entries in `stack`.
        let mut stack: Vec<(usize, usize)> = Vec::new();
        let mut by_kind: [Vec<usize>; 3] = Default::default();
        for (i, c) in paragraph.range.slice(&file.text).char_indices() {
            let at = paragraph.range.start + i;
            if let Some(kind) = OPEN.iter().position(|&o| o == c) {
                by_kind[kind].push(stack.len());
                stack.push((kind, at));
            } else if let Some(kind) = CLOSE.iter().position(|&o| o == c) {
                let Some(&pos) = by_kind[kind].last() else { continue };
                let (_, start) = stack[pos];
                for (kind, _) in stack.drain(pos..) {
                    by_kind[kind].pop();
                }
                out.push(Paint {
                    range: TextRange::new(start, at + c.len_utf8()),
                    priority: 0,
                    token_type: STRING,
                    modifiers: 0,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;
    use crate::ide::fixture::Fixture;
    use crate::ide::PositionEncoding;

    /// The tokens of the note, each as `line:start+length type[+deprecated]`.
    fn tokens(note: &str, encoding: PositionEncoding) -> String {
        let fixture = Fixture::parse_in(encoding, note);
        let world = fixture.world();
        semantic_tokens(&world, fixture.note(&world), None)
            .into_iter()
            .map(|t| {
                let modifier = if t.modifiers & DEPRECATED != 0 {
                    "+deprecated"
                } else {
                    ""
                };
                format!(
                    "{}:{}+{} {}{modifier}\n",
                    t.line, t.start, t.length, TOKEN_TYPES[t.token_type as usize]
                )
            })
            .collect()
    }

    fn check(note: &str, expect: Expect) {
        expect.assert_eq(&tokens(note, PositionEncoding::Utf16));
    }

    #[test]
    fn mentions_split_quotes_and_tokens_stay_on_their_line() {
        check(
            "「𠮷トカエフ氏」、キエフ\n****見出し****\n",
            expect![[r#"
                0:0+3 string
                0:3+4 function
                0:7+2 string
                0:10+3 enumMember+deprecated
                1:0+4 operator
                1:4+3 keyword
                1:7+4 operator
            "#]],
        );
    }

    #[test]
    fn lengths_follow_the_encoding() {
        assert_eq!(tokens("𠮷ロシア", PositionEncoding::Utf8), "0:4+9 enumMember\n");
        assert_eq!(tokens("𠮷ロシア", PositionEncoding::Utf32), "0:1+3 enumMember\n");
    }

    #[test]
    fn deeply_nested_quotes_on_one_long_line_are_one_token_each_piece() {
        // 20,000 quotes open and closed on one line, then a mention 60 KB along the line.
        let note = format!(
            "{}{}、{}トカエフ\n",
            "「".repeat(20_000),
            "」".repeat(20_000),
            "あ".repeat(20_000)
        );
        let found = tokens(&note, PositionEncoding::Utf16);
        assert_eq!(found, "0:0+40000 string\n0:60001+4 function\n");
        // A closing quote of another kind does not look through every open one.
        let mixed = format!("{}{}」\n", "「", "『".repeat(20_000));
        assert_eq!(tokens(&mixed, PositionEncoding::Utf32), "0:0+20002 string\n");
    }

    /// The winner of each piece, found by looking at every paint.
    fn flatten_naive(paints: &[Paint]) -> Vec<(TextRange, u32, u32)> {
        let mut bounds: Vec<usize> = paints.iter().flat_map(|p| [p.range.start, p.range.end]).collect();
        bounds.sort_unstable();
        bounds.dedup();
        let mut order: Vec<usize> = (0..paints.len()).filter(|&i| !paints[i].range.is_empty()).collect();
        order.sort_by_key(|&i| (paints[i].range.start, Reverse(paints[i].range.end)));
        let mut out: Vec<(TextRange, u32, u32, usize)> = Vec::new();
        for pair in bounds.windows(2) {
            let winner = order
                .iter()
                .enumerate()
                .filter(|(_, &i)| paints[i].range.start <= pair[0] && paints[i].range.end > pair[0])
                .max_by_key(|(rank, &i)| (paints[i].priority, Reverse(*rank)));
            let Some((rank, &i)) = winner else { continue };
            match out.last_mut() {
                Some(last) if last.3 == rank && last.0.end == pair[0] => last.0.end = pair[1],
                _ => out.push((
                    TextRange::new(pair[0], pair[1]),
                    paints[i].token_type,
                    paints[i].modifiers,
                    rank,
                )),
            }
        }
        out.into_iter().map(|(r, t, m, _)| (r, t, m)).collect()
    }

    proptest::proptest! {
        #[test]
        fn the_sweep_paints_what_looking_at_every_paint_paints(
            raw in proptest::collection::vec((0usize..40, 0usize..12, 0u8..5), 0..40),
        ) {
            let paints = || raw.iter().enumerate().map(|(i, &(start, len, priority))| Paint {
                range: TextRange::new(start, start + len),
                priority,
                token_type: i as u32,
                modifiers: 0,
            });
            let naive = flatten_naive(&paints().collect::<Vec<_>>());
            proptest::prop_assert_eq!(flatten(paints().collect()), naive);
        }
    }
}
