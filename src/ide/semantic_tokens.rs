//! Semantic tokens with a legend of standard token types, so ordinary themes colour a plain
//! `.txt` note: entity mentions by kind (people as `function`, organisations as `class`,
//! places as `enumMember`, media as `macro`, events as `property`, others as `variable`),
//! wrong or outdated spellings with the `deprecated` modifier, source attributions as
//! `comment`, quotes 「…」 『…』 “…” as `string`, `【…】` headings and clipping-block titles as
//! `keyword` (their `****` fences as `operator`).
//!
//! Tokens never overlap (a mention inside a quote splits the quote) and never span lines;
//! positions and lengths are in the world's encoding.

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
fn flatten(mut paints: Vec<Paint>) -> Vec<(TextRange, u32, u32)> {
    paints.retain(|p| !p.range.is_empty());
    paints.sort_by_key(|p| (p.range.start, std::cmp::Reverse(p.range.end)));
    let mut bounds: Vec<usize> = paints.iter().flat_map(|p| [p.range.start, p.range.end]).collect();
    bounds.sort_unstable();
    bounds.dedup();
    let mut out: Vec<(TextRange, u32, u32, usize)> = Vec::new();
    let mut active: Vec<usize> = Vec::new();
    let mut next = 0;
    for pair in bounds.windows(2) {
        let (start, end) = (pair[0], pair[1]);
        active.retain(|&i| paints[i].range.end > start);
        while next < paints.len() && paints[next].range.start <= start {
            if paints[next].range.end > start {
                active.push(next);
            }
            next += 1;
        }
        let Some(&winner) = active
            .iter()
            .max_by_key(|&&i| (paints[i].priority, std::cmp::Reverse(i)))
        else {
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

/// Balanced 「…」, 『…』 and “…” within each paragraph.
fn quotes(file: &OpenFile) -> Vec<Paint> {
    let mut out = Vec::new();
    for paragraph in &file.analysis.layout.paragraphs {
        let mut stack: Vec<(char, usize)> = Vec::new();
        for (i, c) in paragraph.range.slice(&file.text).char_indices() {
            let at = paragraph.range.start + i;
            match c {
                '「' | '『' | '“' => stack.push((c, at)),
                '」' | '』' | '”' => {
                    let open = match c {
                        '」' => '「',
                        '』' => '『',
                        _ => '“',
                    };
                    if let Some(pos) = stack.iter().rposition(|&(o, _)| o == open) {
                        let (_, start) = stack[pos];
                        stack.truncate(pos);
                        let end = at + c.len_utf8();
                        out.push(Paint {
                            range: TextRange::new(start, end),
                            priority: 0,
                            token_type: STRING,
                            modifiers: 0,
                        });
                    }
                }
                _ => {}
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
}
