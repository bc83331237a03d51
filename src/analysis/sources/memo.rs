//! The sources of an edited note without scanning every line again: [`SourceMemo`] keeps
//! what each scanned line held.
//!
//! Scanning is line-local: every form is read inside one physical line (a bracket, a credit
//! or a date never crosses a line break), from the line's text and the media mentions inside
//! it. So a line whose text and media mentions (relative to its start) are those of a line
//! scanned for an earlier version holds the same sources, shifted. Which lines are scanned and
//! what covers each paragraph ([`super::Coverage`]) are decided again on every call, from the
//! layout: that is linear in the paragraphs and needs no text. The property tests
//! (`tests/it/properties.rs`) hold [`super::find_sources_with_memo`] to [`super::find_sources`].

use std::sync::Arc;

use super::parse::{Found, Scanner};
use crate::analysis::pieces::PieceMemo;
use crate::base::TextRange;
use crate::kb::EntityId;

/// What one line was found to hold, relative to its start.
#[derive(Debug)]
struct LineSources {
    /// The media mentions the line was scanned with.
    media: Vec<(TextRange, EntityId)>,
    found: Vec<Found>,
}

/// The per-line sources of one note (the server keeps one per open note, in
/// [`crate::analysis::pipeline::NoteMemo`]).
#[derive(Debug, Default)]
pub struct SourceMemo {
    lines: PieceMemo<Arc<LineSources>>,
}

impl SourceMemo {
    /// What `scanner` finds on `lines` (content ranges of `text`), in order; lines scanned for
    /// an earlier call with the same text and media mentions are not scanned again.
    pub(super) fn scan(&mut self, text: &str, lines: &[TextRange], scanner: &Scanner) -> Vec<Found> {
        let texts: Vec<&str> = lines.iter().map(|l| l.slice(text)).collect();
        let holds = |i: usize, known: &Arc<LineSources>| {
            let line = lines[i];
            let mut media = scanner.media_in(line);
            known
                .media
                .iter()
                .all(|&(r, e)| media.next() == Some(&(r.shifted(line.start), e)))
                && media.next().is_none()
        };
        let make = |i: usize| {
            let line = lines[i];
            let mut found = Vec::new();
            scanner.scan_line(line, &mut found);
            Arc::new(LineSources {
                media: scanner
                    .media_in(line)
                    .map(|&(r, e)| (unshifted(r, line.start), e))
                    .collect(),
                found: found.into_iter().map(|f| f.shifted(0, line.start)).collect(),
            })
        };
        let known = self.lines.values(&texts, holds, make);
        let mut found = Vec::new();
        for (line, known) in lines.iter().zip(known) {
            found.extend(known.found.iter().map(|f| f.clone().shifted(line.start, 0)));
        }
        found
    }

    /// How many lines the last call scanned (the others were remembered).
    pub fn scanned(&self) -> usize {
        self.lines.made()
    }

    /// Forget every line (a new KB: its entity ids mean other entities).
    pub fn clear(&mut self) {
        self.lines.clear();
    }
}

fn unshifted(range: TextRange, by: usize) -> TextRange {
    TextRange::new(range.start - by, range.end - by)
}

impl Found {
    /// The same source found `plus - minus` bytes further on.
    fn shifted(mut self, plus: usize, minus: usize) -> Found {
        fn shift(r: TextRange, plus: usize, minus: usize) -> TextRange {
            unshifted(r.shifted(plus), minus)
        }
        self.source.range = shift(self.source.range, plus, minus);
        self.source.outlet_range = self.source.outlet_range.map(|r| shift(r, plus, minus));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::layout::Layout;
    use crate::analysis::recognize::recognize;
    use crate::analysis::sources::{find_sources, find_sources_with_memo, Sources};
    use crate::kb::Kb;

    const NOTE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/002_b7666d67213713ef.txt"));

    /// The note's sources with the memo, which are those found afresh.
    fn sources(text: &str, kb: &Kb, memo: &mut SourceMemo) -> Sources {
        let layout = Layout::parse(text);
        let mentions = recognize(text, kb).mentions;
        let remembered = find_sources_with_memo(text, &layout, &mentions, kb, memo);
        assert_eq!(remembered, find_sources(text, &layout, &mentions, kb));
        remembered
    }

    #[test]
    fn an_edit_scans_only_the_lines_it_touched() {
        let kb = Kb::builtin();
        let mut memo = SourceMemo::default();
        let first = sources(NOTE, &kb, &mut memo);
        assert!(first.sources.len() > 3 && memo.scanned() > 20, "{}", memo.scanned());
        // A character typed at the start of a line of prose.
        let at = NOTE
            .find('。')
            .map(|i| NOTE[..i].rfind('\n').map_or(0, |n| n + 1))
            .unwrap();
        let typed = format!("{}ア{}", &NOTE[..at], &NOTE[at..]);
        assert_eq!(sources(&typed, &kb, &mut memo).sources.len(), first.sources.len());
        assert_eq!(memo.scanned(), 1);
        // Typed away again, then a source line moved to the top: every line is remembered.
        sources(NOTE, &kb, &mut memo);
        let line = first.sources.last().unwrap().range;
        let start = NOTE[..line.start].rfind('\n').unwrap() + 1;
        let end = line.end + NOTE[line.end..].find('\n').unwrap() + 1;
        let moved = format!("{}{}{}", &NOTE[start..end], &NOTE[..start], &NOTE[end..]);
        assert_eq!(sources(&moved, &kb, &mut memo).sources.len(), first.sources.len());
        assert_eq!(memo.scanned(), 0);
    }
}
