//! Recognising attributions on one line: `【…】` brackets, dated `(…)` credits, `出典:` credits,
//! `Source link`, URL lines and headline lines ending with their outlet.
//!
//! Outlets are media *mentions* (recognition already ran); nothing here knows an outlet by
//! name. Where a form needs to tell an attribution from prose, it relies on what attributions
//! are made of: names (outlets, writers), dates and quoted titles — never hiragana prose.
//!
//! This file is the scanner: it tries every form on a line and keeps the sources it finds
//! disjoint. The forms are [`bracketed`] (`【…】`, `(…)` and what is read inside them),
//! [`credit`] (`出典:…`) and [`whole_line`] (URL lines, `Source link`, headlines); they share
//! [`lexer`] (trimming, tokens, quoted spans, parentheses), [`date`] (dates as attributions
//! write them) and [`url`] (URLs, and the outlet a URL's site names).

mod bracketed;
mod credit;
pub(crate) mod date;
mod lexer;
mod url;
mod whole_line;

use std::collections::BTreeMap;

use super::Source;
use crate::analysis::recognize::Mention;
use crate::base::TextRange;
use crate::kb::{EntityId, EntityKind, Kb};
use lexer::trim;

/// A source as found on its line, with what coverage needs to know about its shape.
#[derive(Clone, Debug)]
pub(super) struct Found {
    pub source: Source,
    /// `（【…】 caption）`: the bracket credits a picture, not the text around it.
    pub caption: bool,
}

pub(super) struct Scanner<'a> {
    text: &'a str,
    kb: &'a Kb,
    /// Mentions of media entities, sorted by start.
    media: Vec<(TextRange, EntityId)>,
}

impl<'a> Scanner<'a> {
    pub fn new(text: &'a str, mentions: &[Mention], kb: &'a Kb) -> Self {
        let mut media: Vec<(TextRange, EntityId)> = mentions
            .iter()
            .filter(|m| kb.entities.get(m.entity).is_some_and(|e| e.kind == EntityKind::Media))
            .map(|m| (m.range, m.entity))
            .collect();
        media.sort_by_key(|(r, _)| (r.start, r.end));
        Scanner { text, kb, media }
    }

    /// Every source on one physical line. URL lines, `Source link` and headline lines are
    /// whole lines, whatever paragraph the layout put them in (a long URL line looks
    /// hard-wrapped to [`crate::analysis::layout`] and may be joined with the next line).
    pub fn scan_line(&self, line: TextRange, out: &mut Vec<Found>) {
        let trimmed = trim(self.text, line);
        if trimmed.is_empty() {
            return;
        }
        if let Some(found) = self.url_line(trimmed).or_else(|| self.source_link(trimmed)) {
            out.push(found);
            return;
        }
        let mut on_line = LineSources::new();
        self.brackets(line, &mut on_line);
        self.credits(line, &mut on_line);
        self.parenthesized(line, &mut on_line);
        if on_line.is_empty() {
            out.extend(self.headline(trimmed));
        }
        out.extend(on_line.into_values());
    }

    /// The media mentions inside `range`, by start.
    pub(super) fn media_in(&self, range: TextRange) -> impl Iterator<Item = &(TextRange, EntityId)> {
        let lo = self.media.partition_point(|(r, _)| r.start < range.start);
        let hi = self.media.partition_point(|(r, _)| r.start < range.end);
        self.media[lo..hi.max(lo)]
            .iter()
            .filter(move |(r, _)| r.end <= range.end)
    }
}

/// The sources found on one line, by start; disjoint.
type LineSources = BTreeMap<usize, Found>;

/// Add `found` unless it overlaps a source already found on the line (earlier forms win).
fn push_unless_overlapping(out: &mut LineSources, found: Found) {
    let range = found.source.range;
    let clashes_before = out
        .range(..range.start)
        .next_back()
        .is_some_and(|(_, f)| f.source.range.end > range.start);
    let clashes_after = out
        .range(range.start..)
        .next()
        .is_some_and(|(_, f)| f.source.range.start < range.end);
    if !clashes_before && !clashes_after {
        out.insert(range.start, found);
    }
}

/// `offset` lies inside a source already found on the line.
fn inside_found(out: &LineSources, offset: usize) -> bool {
    out.range(..=offset)
        .next_back()
        .is_some_and(|(_, f)| offset < f.source.range.end)
}
