//! Source attributions: where pasted text came from, and which source covers each paragraph.
//!
//! # Forms ([`parse`])
//! - [`SourceKind::Bracket`] `【2023年10月21日 AFP】`, `【4月9日 Newsweek】`, `【4月6日 島田久仁彦氏 MAG2NEWS】`,
//!   `【3月20日 現代ビジネス“title”】`, datelines `【モスクワ共同】`, and photo captions
//!   `（【2023年11月9日 日経】 caption）`. A bracket is a source when it starts with a date, or names a
//!   media entity of the KB; and when its text outside writers' names and a quoted title is not
//!   hiragana prose. So `【ロシアと欧米のはざまでバランスをとる中央アジア】` is a heading.
//! - [`SourceKind::Parenthesized`] `(4月2日 田中佑真氏 新潮社フォーサイト“…”)`: a date then a writer
//!   (`…氏`), a known outlet or a quoted title; or `（ロイター）` alone at the end of a line.
//! - [`SourceKind::Credit`] `出典:…`, `※アイキャッチ画像の出典：…`, `（出典：NHK）`, `Source: …`.
//! - [`SourceKind::SourceLink`] a `Source link` line; [`SourceKind::Url`] a line that is only a URL
//!   (or a bare host such as `d1021.hatenadiary.jp`); its outlet is the media entity whose KB `links`
//!   name that site.
//! - [`SourceKind::Headline`] a line ending with a separator and a media mention:
//!   `… - World - TASS`, `… | Reuters`, `…:時事ドットコム`, `… | NHKニュース`.
//!
//! Outlets are always media mentions found by recognition; an outlet the KB does not know is
//! still located (`outlet_range`) in brackets and dated credits. Dates keep what the text says:
//! a date without a year stays without one (nothing in a note says which year `4月9日` is, and
//! a neighbouring dated source may be from another year); consumers read year-less dates
//! generously ([`crate::kb::Role::held_on`]).
//!
//! # Coverage
//! Each paragraph of the [`Layout`] gets the source it came from:
//! 1. A paragraph that contains a source is covered by it (the last one, if several).
//! 2. Inside a `****title****` … `******` clipping block, the block's source line, wherever it is.
//!    A block holding several pasted passages, each closed by its own attribution, is split:
//!    a paragraph belongs to the next attribution that ends a paragraph below it, paragraphs after
//!    the last one to the last one. A block with no source covers nothing (it is unattributed;
//!    the note's header is not its origin).
//! 3. Outside blocks, an attribution that *ends* a paragraph (a bracket or dated credit at its
//!    end, or a headline line — blogs put the link card below the quote) also covers the
//!    paragraphs just above it, back to the nearest boundary: a block, a paragraph with another
//!    source, a `【heading】`, or a section break — a line that looks blank but holds whitespace
//!    (the NBSP paragraphs blog editors write between sections, as in seed 003).
//!    Pictures' credits (`出典:`, captions), URL lines and `Source link` cover only their own
//!    paragraph: nothing says which way they point.
//! 4. Anything else: the note's header source — the source lines at the very top, before the
//!    first prose paragraph — or, failing that, a `Source link` trailer as the note's last line
//!    (auto-posted articles: the whole text is the linked article).

mod memo;
mod parse;
#[cfg(test)]
mod tests;

pub use memo::SourceMemo;
pub(crate) use parse::date::parse_date_at;
use rayon::prelude::*;

use crate::analysis::layout::Layout;
use crate::analysis::recognize::Mention;
use crate::base::date::PartialDate;
use crate::base::TextRange;
use crate::kb::{EntityId, Kb};

/// What shape of attribution a source line has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// `【2023年10月21日 AFP】`, possibly inside `（…）` with a caption.
    Bracket,
    /// `(4月2日 田中佑真氏 新潮社フォーサイト“…”)`: a dated parenthesised credit; `（ロイター）`.
    Parenthesized,
    /// `出典:Kremlin.ru/CC BY 4.0`.
    Credit,
    /// An English or Japanese headline line ending with its outlet: `… - TASS`, `… | Reuters`,
    /// `…:時事ドットコム`.
    Headline,
    /// A bare URL line (at the top of the note: the note's header source).
    Url,
    /// `Source link`.
    SourceLink,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// The attribution itself (the bracket, the parenthesis, the credit, the whole headline or URL line).
    pub range: TextRange,
    pub kind: SourceKind,
    pub date: Option<PartialDate>,
    /// The outlet, when a media entity of the KB is named (or, for URLs, when its site is a
    /// media entity's link).
    pub outlet: Option<EntityId>,
    /// Where the outlet is named, inside `range`. Set for a known outlet, and in brackets and
    /// dated credits also for a name the KB does not know (`outlet` is then `None`).
    pub outlet_range: Option<TextRange>,
    pub url: Option<String>,
    /// A headline or article title, when the source line carries one.
    pub title: Option<String>,
    /// The writer(s) credited (`島田久仁彦氏`), space-separated.
    pub author: Option<String>,
}

impl Source {
    /// The outlet's name: the KB's canonical name when known, else the text naming it.
    pub fn outlet_name<'a>(&self, text: &'a str, kb: &'a Kb) -> Option<&'a str> {
        match self.outlet {
            Some(id) => Some(kb.entity(id).name.as_str()),
            None => self.outlet_range.map(|r| r.slice(text)),
        }
    }

    /// One line for hovers, outlines and inlay hints: `2023年10月21日 AFP`,
    /// `4月2日 田中佑真氏 新潮社フォーサイト “…”`, a URL, or the credit as written.
    pub fn summary(&self, text: &str, kb: &Kb) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(date) = self.date {
            parts.push(date.to_string());
        }
        if let Some(author) = &self.author {
            parts.push(author.clone());
        }
        if let Some(outlet) = self.outlet_name(text, kb) {
            parts.push(outlet.to_string());
        }
        if let Some(title) = &self.title {
            parts.push(format!("“{title}”"));
        }
        if let Some(url) = &self.url {
            parts.push(url.clone());
        }
        if parts.is_empty() || self.kind == SourceKind::Credit {
            return self.range.slice(text).trim().to_string();
        }
        parts.join(" ")
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sources {
    /// Sorted by position, non-overlapping.
    pub sources: Vec<Source>,
    /// Index of the note's header source (at the very top), if any.
    pub header: Option<usize>,
    /// Index of a `Source link` closing the note, if any; covers what nothing else does when
    /// there is no header.
    pub trailer: Option<usize>,
    /// For each paragraph of the [`Layout`], the index of the source covering it.
    pub paragraph_source: Vec<Option<usize>>,
    /// For each clipping block of the [`Layout`], the index of its source (the attribution
    /// closing its last passage), `None` when the block has no source line.
    pub block_source: Vec<Option<usize>>,
}

impl Sources {
    /// The source covering byte `offset`, if any.
    pub fn covering(&self, layout: &Layout, offset: usize) -> Option<&Source> {
        let p = layout.paragraphs.partition_point(|p| p.range.end < offset);
        let paragraph = layout.paragraphs.get(p).filter(|para| para.range.touches(offset))?;
        debug_assert!(paragraph.range.touches(offset));
        self.paragraph_source
            .get(p)
            .copied()
            .flatten()
            .map(|i| &self.sources[i])
    }

    /// The source whose own range contains `offset`, if any.
    pub fn at(&self, offset: usize) -> Option<&Source> {
        let i = self.sources.partition_point(|s| s.range.end < offset);
        self.sources.get(i).filter(|s| s.range.touches(offset))
    }

    /// The sources lying inside `range`.
    pub fn within(&self, range: TextRange) -> impl Iterator<Item = &Source> {
        let lo = self.sources.partition_point(|s| s.range.start < range.start);
        self.sources[lo..]
            .iter()
            .take_while(move |s| s.range.start < range.end)
            .filter(move |s| range.contains_range(s.range))
    }

    /// The source of clipping block `block` (an index into [`Layout::blocks`]).
    pub fn of_block(&self, block: usize) -> Option<&Source> {
        self.block_source
            .get(block)
            .copied()
            .flatten()
            .map(|i| &self.sources[i])
    }
}

/// Find the sources of a note and the source covering each paragraph.
pub fn find_sources(text: &str, layout: &Layout, mentions: &[Mention], kb: &Kb) -> Sources {
    let scanner = parse::Scanner::new(text, mentions, kb);
    // Each line is scanned on its own: side by side on the rayon pool, in chunks large enough
    // that a short note stays on one thread.
    let found: Vec<parse::Found> = scanned_lines(layout)
        .par_chunks(256)
        .flat_map_iter(|chunk| {
            let mut found = Vec::new();
            for &line in chunk {
                scanner.scan_line(line, &mut found);
            }
            found
        })
        .collect();
    Coverage::new(text, layout, &found).sources(found)
}

/// [`find_sources`] of a note that keeps changing: only the lines not scanned for the last
/// call with `memo` ([`SourceMemo`]) are scanned, on this thread.
pub fn find_sources_with_memo(
    text: &str,
    layout: &Layout,
    mentions: &[Mention],
    kb: &Kb,
    memo: &mut SourceMemo,
) -> Sources {
    let scanner = parse::Scanner::new(text, mentions, kb);
    let found = memo.scan(text, &scanned_lines(layout), &scanner);
    Coverage::new(text, layout, &found).sources(found)
}

/// The lines sources are looked for on: every line of a paragraph but the fences.
fn scanned_lines(layout: &Layout) -> Vec<TextRange> {
    let mut lines = Vec::with_capacity(layout.lines.len());
    let mut fences = layout.fences.iter().map(|f| f.line).peekable();
    for paragraph in &layout.paragraphs {
        for line in paragraph.lines.clone() {
            while fences.next_if(|&f| f < line).is_some() {}
            if fences.peek() != Some(&line) {
                lines.push(layout.lines[line]);
            }
        }
    }
    lines
}

/// Whether a source at the top of a note can be the note's header: anything but a picture's
/// credit (`出典:Kremlin.ru/CC BY 4.0` under an eye-catch image); a credit naming an outlet or a
/// URL still names where the note came from.
fn names_the_note(source: &Source) -> bool {
    source.kind != SourceKind::Credit || source.outlet.is_some() || source.url.is_some()
}

/// The paragraph-level facts coverage is decided from.
struct Coverage<'a> {
    text: &'a str,
    layout: &'a Layout,
    /// Per paragraph: the last source in it.
    last_in: Vec<Option<usize>>,
    /// Per paragraph: the last source in it that closes the paragraph's text (see module doc).
    closing_in: Vec<Option<usize>>,
    /// Per paragraph: the clipping block containing it.
    block_of: Vec<Option<usize>>,
    /// Per paragraph: it is a fence line (a stray closing fence outside any block, too).
    is_fence: Vec<bool>,
}

impl<'a> Coverage<'a> {
    fn new(text: &'a str, layout: &'a Layout, found: &[parse::Found]) -> Self {
        let n = layout.paragraphs.len();
        let mut last_in = vec![None; n];
        let mut closing_in = vec![None; n];
        for (i, f) in found.iter().enumerate() {
            let p = layout
                .paragraphs
                .partition_point(|p| p.range.end < f.source.range.start);
            let Some(paragraph) = layout.paragraphs.get(p) else {
                continue;
            };
            last_in[p] = Some(i);
            let closes = match f.source.kind {
                SourceKind::Headline => true,
                SourceKind::Bracket | SourceKind::Parenthesized => {
                    !f.caption
                        && text[f.source.range.end..paragraph.range.end]
                            .trim_matches(|c: char| c.is_whitespace() || c == '。')
                            .is_empty()
                }
                SourceKind::Credit | SourceKind::Url | SourceKind::SourceLink => false,
            };
            if closes {
                closing_in[p] = Some(i);
            }
        }
        let mut block_of = vec![None; n];
        let mut b = 0;
        for (p, paragraph) in layout.paragraphs.iter().enumerate() {
            while b < layout.blocks.len() && layout.blocks[b].range.end < paragraph.range.start {
                b += 1;
            }
            if layout
                .blocks
                .get(b)
                .is_some_and(|block| block.range.contains_range(paragraph.range))
            {
                block_of[p] = Some(b);
            }
        }
        let mut is_fence = vec![false; n];
        for fence in &layout.fences {
            let p = layout.paragraphs.partition_point(|p| p.lines.end <= fence.line);
            if layout
                .paragraphs
                .get(p)
                .is_some_and(|para| para.lines.contains(&fence.line))
            {
                is_fence[p] = true;
            }
        }
        Coverage {
            text,
            layout,
            last_in,
            closing_in,
            block_of,
            is_fence,
        }
    }

    fn sources(&self, found: Vec<parse::Found>) -> Sources {
        let header = self.header(&found);
        let trailer = if header.is_none() { self.trailer(&found) } else { None };
        let fallback = header.or(trailer);
        let n = self.layout.paragraphs.len();
        let mut paragraph_source = vec![None; n];
        let mut block_source = vec![None; self.layout.blocks.len()];

        // Blocks: the block's own attributions.
        let mut p = 0;
        while p < n {
            let Some(b) = self.block_of[p] else {
                p += 1;
                continue;
            };
            let end = (p..n).find(|&q| self.block_of[q] != Some(b)).unwrap_or(n);
            let last_closing = (p..end).rev().find_map(|q| self.closing_in[q]);
            let first_any = (p..end).find_map(|q| self.last_in[q]);
            block_source[b] = last_closing.or(first_any);
            let mut next_closing = None;
            for q in (p..end).rev() {
                if let Some(s) = self.closing_in[q] {
                    next_closing = Some(s);
                }
                paragraph_source[q] = self.last_in[q].or(next_closing).or(block_source[b]);
            }
            p = end;
        }

        // Outside blocks: own sources, closing attributions upwards to a boundary, else the note's.
        let mut pending: Option<usize> = None;
        for p in (0..n).rev() {
            if self.block_of[p].is_some() || self.is_fence[p] {
                pending = None;
                continue;
            }
            if p + 1 < n && self.section_break_between(p, p + 1) {
                pending = None;
            }
            if let Some(own) = self.last_in[p] {
                paragraph_source[p] = Some(own);
                pending = self.closing_in[p];
            } else if self.is_heading(p) {
                paragraph_source[p] = fallback;
                pending = None;
            } else {
                paragraph_source[p] = pending.or(fallback);
            }
        }

        Sources {
            sources: found.into_iter().map(|f| f.source).collect(),
            header,
            trailer,
            paragraph_source,
            block_source,
        }
    }

    /// The first source of the note's top lines, before the first prose paragraph (one naming a
    /// known outlet preferred): `https://…` lines, a captioned bracket, a headline.
    fn header(&self, found: &[parse::Found]) -> Option<usize> {
        const MAX_HEADER_PARAGRAPHS: usize = 8;
        let mut candidates = Vec::new();
        for p in 0..self.layout.paragraphs.len().min(MAX_HEADER_PARAGRAPHS) {
            if self.block_of[p].is_some() || self.is_prose(p, found) {
                break;
            }
            if let Some(last) = self.last_in[p] {
                let range = self.layout.paragraphs[p].range;
                candidates.extend(
                    (0..=last)
                        .rev()
                        .take_while(|&i| range.contains_range(found[i].source.range))
                        .filter(|&i| names_the_note(&found[i].source)),
                );
            }
        }
        candidates.sort_unstable();
        candidates
            .iter()
            .copied()
            .find(|&i| found[i].source.outlet.is_some())
            .or(candidates.first().copied())
    }

    /// A `Source link` line that is the note's last paragraph.
    fn trailer(&self, found: &[parse::Found]) -> Option<usize> {
        let last = self.layout.paragraphs.len().checked_sub(1)?;
        self.last_in[last].filter(|&i| found[i].source.kind == SourceKind::SourceLink && self.block_of[last].is_none())
    }

    /// A paragraph that reads as sentences (outside its sources): it contains `。` or ends like a sentence.
    fn is_prose(&self, p: usize, found: &[parse::Found]) -> bool {
        let range = self.layout.paragraphs[p].range;
        let mut rest = String::new();
        let mut at = range.start;
        for f in found.iter().filter(|f| range.contains_range(f.source.range)) {
            rest.push_str(&self.text[at..f.source.range.start]);
            at = f.source.range.end;
        }
        rest.push_str(&self.text[at..range.end]);
        let rest = rest.trim();
        rest.contains('。') || rest.ends_with(['．', '.', '！', '!', '？', '?', '」', '』'])
    }

    /// A paragraph that is a single `【…】` that is not a source.
    fn is_heading(&self, p: usize) -> bool {
        let s = self.layout.paragraphs[p].range.slice(self.text).trim();
        s.starts_with('【') && s.ends_with('】') && s.matches('【').count() == 1
    }

    /// Between paragraphs `a` and `b` lies a line that looks blank but is not empty.
    fn section_break_between(&self, a: usize, b: usize) -> bool {
        let lines = self.layout.paragraphs[a].lines.end..self.layout.paragraphs[b].lines.start;
        self.layout.lines[lines].iter().any(|l| !l.is_empty())
    }
}
