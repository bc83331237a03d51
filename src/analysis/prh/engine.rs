//! prh's engine over one note (its `Engine.makeChangeSet`), apart from the rules themselves:
//!
//! - [`paragraphs`]: the note cut where prh cuts it, at each run of two or more `\n` (`\r\n`
//!   breaks do not cut: prh's pattern is `/([^]*?)\n{2,}/`). Every rule matches each paragraph
//!   on its own ([`super::Rule::hits_in`]): `^` is a paragraph's start, a look-behind does not
//!   see the paragraph before, and no match crosses a blank line.
//! - `prh:disable` pragmas (prh's `Paragraph`): a line holding `prh:disable` turns every rule
//!   off in its paragraph; `prh:disable:PATTERN` drops the paragraph's changes whose matched
//!   text the JavaScript regex `(PATTERN)` finds, and those that overlap the pragma itself.
//! - [`resolve`]: the changes of all rules, resolved as prh's `ChangeSet` does before it reports
//!   or applies them (so that no two edits overlap): sorted by start, then end; of two that start
//!   together the longer is kept; one that starts inside the one before it is dropped.

use fancy_regex::Regex;

use super::js_regex;
use super::rule::Hit;
use crate::base::TextRange;

const PRAGMA: &str = "prh:disable";

/// One of prh's paragraphs of a note, with its pragmas.
#[derive(Clone, Debug)]
pub struct Paragraph {
    pub range: TextRange,
    /// A bare `prh:disable` line: no rule applies here.
    ignore_all: bool,
    /// Each `prh:disable:PATTERN` from its line's start to the pattern's end (in the note).
    pragmas: Vec<TextRange>,
    /// The patterns of those pragmas, as `(PATTERN)`.
    ignore: Vec<Regex>,
}

impl Paragraph {
    pub(super) fn ignores_all(&self) -> bool {
        self.ignore_all
    }

    /// Whether a hit in this paragraph survives its pragmas (`text`: the note).
    pub(super) fn keeps<'a>(&'a self, text: &'a str) -> impl Fn(&Hit) -> bool + 'a {
        move |hit: &Hit| {
            !self.pragmas.iter().any(|&p| collide(hit.range, p))
                && !self
                    .ignore
                    .iter()
                    .any(|re| re.is_match(hit.range.slice(text)).unwrap_or(false))
        }
    }
}

/// prh's paragraphs of `text`, in order, covering it but for the blank-line runs between them.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find("\n\n") {
        let end = at + found;
        out.push(paragraph(text, TextRange::new(at, end)));
        at = end + text[end..].bytes().take_while(|&b| b == b'\n').count();
    }
    out.push(paragraph(text, TextRange::new(at, text.len())));
    out
}

/// A paragraph and its pragmas: on each line (JavaScript's `^…` with the `m` flag), the first
/// `prh:disable`, then `:` and a run of anything but whitespace.
fn paragraph(text: &str, range: TextRange) -> Paragraph {
    let mut p = Paragraph {
        range,
        ignore_all: false,
        pragmas: Vec::new(),
        ignore: Vec::new(),
    };
    let body = range.slice(text);
    if !body.contains(PRAGMA) {
        return p;
    }
    let mut line_start = 0;
    loop {
        let line_end = body[line_start..]
            .find(['\n', '\r', '\u{2028}', '\u{2029}'])
            .map_or(body.len(), |i| line_start + i);
        let line = &body[line_start..line_end];
        if let Some(found) = line.find(PRAGMA) {
            let after = &line[found + PRAGMA.len()..];
            let pattern = after.strip_prefix(':').map_or("", |rest| {
                let end = rest.find(is_js_space).unwrap_or(rest.len());
                &rest[..end]
            });
            if pattern.is_empty() {
                p.ignore_all = true;
            } else {
                let start = range.start + line_start;
                let end = start + found + PRAGMA.len() + 1 + pattern.len();
                p.pragmas.push(TextRange::new(start, end));
                // prh compiles `(PATTERN)` with the `g` flag alone; one it cannot compile
                // would stop prh, and one not translated here ignores nothing.
                let translated = js_regex::translate(&format!("({pattern})"));
                if let Ok(Ok(re)) = translated.map(|t| Regex::new(&t)) {
                    p.ignore.push(re);
                }
            }
        }
        match body[line_end..].chars().next() {
            Some(terminator) => line_start = line_end + terminator.len_utf8(),
            None => break,
        }
    }
    p
}

/// JavaScript's `\s`.
fn is_js_space(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}'
}

/// prh's `Diff.isCollide`: one starts strictly inside the other.
fn collide(a: TextRange, b: TextRange) -> bool {
    (b.start < a.start && a.start < b.end) || (a.start < b.start && b.start < a.end)
}

/// prh's `ChangeSet._prepare` over the hits of all rules (each with its rule's index, in rule
/// order): sorted by start, then end, then rule; a hit is dropped when the next one starts with
/// it and ends later, and then when it starts before the end of the one before it (the one
/// before it in the sorted list, kept or not, exactly as prh compares them).
pub fn resolve(mut hits: Vec<(usize, Hit)>) -> Vec<(usize, Hit)> {
    hits.sort_by_key(|(rule, hit)| (hit.range.start, hit.range.end, *rule));
    let ranges: Vec<TextRange> = hits.iter().map(|(_, h)| h.range).collect();
    let longest: Vec<bool> = (0..ranges.len())
        .map(|i| {
            ranges
                .get(i + 1)
                .is_none_or(|next| !(ranges[i].start == next.start && ranges[i].end < next.end))
        })
        .collect();
    let mut first: Vec<(usize, Hit)> = hits
        .into_iter()
        .zip(longest)
        .filter_map(|(hit, keep)| keep.then_some(hit))
        .collect();
    let ends: Vec<usize> = first.iter().map(|(_, h)| h.range.end).collect();
    let mut i = 0;
    first.retain(|(_, hit)| {
        i += 1;
        i == 1 || hit.range.start >= ends[i - 2]
    });
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(ps: &[Paragraph], text: &str) -> Vec<String> {
        ps.iter().map(|p| p.range.slice(text).to_string()).collect()
    }

    #[test]
    fn paragraphs_are_cut_at_runs_of_two_or_more_line_feeds() {
        let text = "a\nb\n\nc\n\n\n\nd\r\n\r\ne\n\n";
        assert_eq!(ranges(&paragraphs(text), text), ["a\nb", "c", "d\r\n\r\ne", ""]);
        assert_eq!(ranges(&paragraphs("\n\nx"), "\n\nx"), ["", "x"]);
        assert_eq!(ranges(&paragraphs(""), ""), [""]);
    }

    fn hit(start: usize, end: usize) -> Hit {
        Hit {
            range: TextRange::new(start, end),
            replacement: String::new(),
            kept: (0, 0),
        }
    }

    #[test]
    fn overlaps_are_resolved_as_prh_does() {
        let resolved = |hits: Vec<(usize, Hit)>| -> Vec<(usize, usize, usize)> {
            resolve(hits)
                .into_iter()
                .map(|(r, h)| (r, h.range.start, h.range.end))
                .collect()
        };
        // Same start: the longer wins, whatever the rule order.
        assert_eq!(resolved(vec![(0, hit(3, 5)), (1, hit(3, 8))]), [(1, 3, 8)]);
        // Same range: the first rule's.
        assert_eq!(resolved(vec![(0, hit(3, 5)), (1, hit(3, 5))]), [(0, 3, 5)]);
        // Starting inside the one before: dropped; and prh compares with the one before in the
        // sorted list even when that one was dropped ([6, 9) is dropped by the dropped [4, 7)).
        assert_eq!(
            resolved(vec![(0, hit(0, 5)), (1, hit(4, 7)), (2, hit(6, 9)), (3, hit(9, 10))]),
            [(0, 0, 5), (3, 9, 10)]
        );
        // Touching is not overlapping.
        assert_eq!(resolved(vec![(1, hit(5, 6)), (0, hit(2, 5))]), [(0, 2, 5), (1, 5, 6)]);
    }

    #[test]
    fn pragmas_turn_rules_off_in_their_paragraph() {
        let text = "良い事\nprh:disable\n\n良い事\u{2028}x prh:disable:事|物 y\n\n良い事";
        let ps = paragraphs(text);
        assert!(ps[0].ignores_all() && !ps[1].ignores_all() && !ps[2].ignores_all());
        let at = |s: &str, nth: usize| text.match_indices(s).nth(nth).unwrap().0;
        let keeps = ps[1].keeps(text);
        let koto = at("事", 1);
        assert!(!keeps(&hit(koto, koto + "事".len())), "the pattern finds 事");
        assert!(keeps(&hit(at("良い", 1), at("良い", 1) + "良い".len())));
        // The pragma runs from its line's start (after U+2028) to the pattern's end: a hit
        // starting strictly inside it is dropped, one starting with it or after it is not.
        let line = at("x prh", 0);
        assert!(!keeps(&hit(line + 3, line + 5)));
        assert!(keeps(&hit(line, line + 1)));
        let y = at(" y", 0);
        assert!(keeps(&hit(y, y + 2)));
        assert!(!keeps(&hit(y - "物".len(), y + 2)));
        assert!(ps[2].keeps(text)(&hit(at("事", 3), at("事", 3) + 3)));
        assert!(
            paragraphs("prh:disable: x\n")[0].ignores_all(),
            "an empty pattern is a bare pragma"
        );
    }
}
