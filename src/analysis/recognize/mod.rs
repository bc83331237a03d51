//! Recognition: text → entity mentions.
//!
//! 1. The text is normalised ([`crate::normalize`]) and scanned with the leftmost-longest
//!    automaton of every KB spelling.
//! 2. Each match must respect Japanese word boundaries: a name whose edge is katakana may not
//!    continue a longer katakana word (イラン is not in イランイラン, but ロシア is in ロシア軍), and a
//!    Latin name may not sit inside a longer Latin word (NATO is not in NATOexpansion).
//! 3. Katakana runs that no single name covers are re-segmented with the overlapping
//!    automaton: a run tiled entirely by two or more names (アルメニアベラルーシカザフスタン) yields
//!    each name as a mention, marked as glued — the trace of stripped links; so are names that
//!    touch where scripts meet, and runs of suffixed places ([`glue`]).
//! 4. What is left (katakana words and Latin acronyms no name covers) is handed on as
//!    [`Leftover`]s, for the near-miss ([`near_miss`]) and unknown-name detectors.

pub mod glue;
pub mod memo;
pub mod near_miss;
pub mod titles;

use crate::base::normalize::{is_katakana_letter, is_katakana_word_char, is_latin_word_char, NormalizedText};
use crate::base::TextRange;
use crate::kb::{EntityId, Kb, RawMatch, SpellingKind};

/// How a mention's text relates to the entity.
#[derive(Clone, Debug, PartialEq)]
pub enum MentionForm {
    /// The text is a KB spelling (index into [`Kb::spellings`]).
    Spelling(usize),
    /// The text is not a KB spelling but a near miss of one (index into [`Kb::spellings`]).
    NearMiss { spelling: usize, cost: f32 },
}

/// One mention of an entity in a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    /// Original byte range.
    pub range: TextRange,
    pub entity: EntityId,
    pub form: MentionForm,
    /// Part of a run of names glued together without separators.
    pub glued: bool,
}

/// Katakana words and Latin tokens that no KB name accounts for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leftover {
    /// Original byte range.
    pub range: TextRange,
    /// Normalised byte range.
    pub normalized: std::ops::Range<usize>,
    pub script: Script,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    Katakana,
    Latin,
}

/// The result of recognising one document against one KB.
#[derive(Debug)]
pub struct Recognition {
    pub normalized: NormalizedText,
    /// Sorted by range, non-overlapping.
    pub mentions: Vec<Mention>,
    pub leftovers: Vec<Leftover>,
}

impl Mention {
    /// True when the mention is written as the KB spells the entity — its name, an alias or
    /// a deprecated spelling — rather than as a listed misspelling or a near miss. Exact
    /// mentions are what tells that a workspace mentions an entity ([`crate::analysis::facts`]).
    pub fn is_exact(&self, kb: &Kb) -> bool {
        match self.form {
            MentionForm::Spelling(s) => !matches!(kb.spellings[s].kind, SpellingKind::Misspelling),
            MentionForm::NearMiss { .. } => false,
        }
    }
}

impl Recognition {
    /// The entity of every exact mention, once per mention.
    pub fn exact_entities<'a>(&'a self, kb: &'a Kb) -> impl Iterator<Item = EntityId> + 'a {
        self.mentions.iter().filter(|m| m.is_exact(kb)).map(|m| m.entity)
    }
}

/// Katakana words that often follow a name to form a compound (ロシアメディア, ウクライナ情勢 is
/// kanji and needs none). A run made of names plus one of these is not an unknown word.
const COMPOUND_TAILS: &[&str] = &[
    "メディア",
    "ニュース",
    "テレビ",
    "ルート",
    "サイド",
    "チーム",
    "ファン",
    "マネー",
    "ガス",
    "パイプライン",
    "ルーブル",
    "ドル",
    "ユーロ",
    "ビザ",
    "マフィア",
    "ロビー",
    "ブロック",
    "エリート",
    "ナショナリズム",
];

/// Recognise the exact (KB-spelled) mentions of `text`.
pub fn recognize(text: &str, kb: &Kb) -> Recognition {
    let normalized = NormalizedText::new(text);
    let norm = normalized.text.as_str();
    let mut mentions = Vec::new();
    // Normalised ranges of accepted matches, parallel to `mentions`.
    let mut accepted: Vec<std::ops::Range<usize>> = Vec::new();
    for m in kb.matcher.find_longest(norm) {
        if respects_boundaries(norm, m.start, m.end) {
            accepted.push(m.start..m.end);
            mentions.push(Mention {
                range: normalized.original_range(m.start, m.end),
                entity: kb.spellings[m.spelling].entity,
                form: MentionForm::Spelling(m.spelling),
                glued: false,
            });
        }
    }
    let mut leftovers = Vec::new();
    let mut glued: Vec<Vec<RawMatch>> = Vec::new();
    for run in katakana_runs(norm) {
        if overlapping(&accepted, &run).any(|a| a.start <= run.start && run.end <= a.end) {
            continue;
        }
        match tile_run(norm, run.clone(), kb) {
            Tiling::Names(pieces) => glued.push(pieces),
            Tiling::NameAndTail => {}
            Tiling::None => {
                if overlapping(&accepted, &run).next().is_none() {
                    leftovers.push(Leftover {
                        range: normalized.original_range(run.start, run.end),
                        normalized: run,
                        script: Script::Katakana,
                    });
                }
            }
        }
    }
    for token in latin_tokens(norm) {
        if overlapping(&accepted, &token).next().is_none() {
            leftovers.push(Leftover {
                range: normalized.original_range(token.start, token.end),
                normalized: token,
                script: Script::Latin,
            });
        }
    }
    // Glued pieces replace whatever partial matches overlapped their run (both lists are in
    // text order, so one merge pass does it).
    if !glued.is_empty() {
        let spans: Vec<std::ops::Range<usize>> = glued.iter().map(|p| p[0].start..p[p.len() - 1].end).collect();
        let mut keep = Vec::with_capacity(mentions.len());
        for (mention, a) in mentions.into_iter().zip(&accepted) {
            if overlapping(&spans, a).next().is_none() {
                keep.push(mention);
            }
        }
        mentions = keep;
        for p in glued.iter().flatten() {
            mentions.push(Mention {
                range: normalized.original_range(p.start, p.end),
                entity: kb.spellings[p.spelling].entity,
                form: MentionForm::Spelling(p.spelling),
                glued: true,
            });
        }
    }
    mentions.sort_by_key(|m| (m.range.start, m.range.end));
    mentions.dedup_by(|a, b| a.range == b.range);
    glue::mark_glued_neighbours(text, kb, &mut mentions);
    leftovers.sort_by_key(|l| l.range.start);
    Recognition {
        normalized,
        mentions,
        leftovers,
    }
}

/// The ranges of a sorted, non-overlapping list that intersect `range` (binary search, so
/// recognition stays linear in the note size).
fn overlapping<'a>(
    sorted: &'a [std::ops::Range<usize>],
    range: &std::ops::Range<usize>,
) -> impl Iterator<Item = &'a std::ops::Range<usize>> + 'a {
    let first = sorted.partition_point(|a| a.end <= range.start);
    let end = range.end;
    let start = range.start;
    sorted[first..]
        .iter()
        .take_while(move |a| a.start < end)
        .filter(move |a| a.end > start)
}

fn char_before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

fn char_after(text: &str, at: usize) -> Option<char> {
    text[at..].chars().next()
}

/// True when a katakana word continues to the left of `at` (ー counts only after katakana).
fn katakana_continues_before(text: &str, at: usize) -> bool {
    match char_before(text, at) {
        Some(c) if is_katakana_letter(c) => true,
        Some('ー') => char_before(text, at - 'ー'.len_utf8()).is_some_and(is_katakana_letter),
        _ => false,
    }
}

fn respects_boundaries(text: &str, start: usize, end: usize) -> bool {
    let first = char_after(text, start).expect("non-empty match");
    let last = char_before(text, end).expect("non-empty match");
    if is_katakana_word_char(first) && katakana_continues_before(text, start) {
        return false;
    }
    if is_katakana_word_char(last) && char_after(text, end).is_some_and(is_katakana_word_char) {
        return false;
    }
    if is_latin_word_char(first) && char_before(text, start).is_some_and(is_latin_word_char) {
        return false;
    }
    if is_latin_word_char(last) && char_after(text, end).is_some_and(is_latin_word_char) {
        return false;
    }
    true
}

/// Maximal katakana words: a katakana letter followed by katakana letters and ー.
fn katakana_runs(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    runs(text, is_katakana_letter, is_katakana_word_char)
}

/// Maximal Latin tokens that look like names: at least two characters, starting with an
/// upper-case letter, and either all upper-case (acronyms such as CSTO) — the unknown-name
/// detector decides what to report.
fn latin_tokens(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    runs(text, |c| c.is_ascii_alphabetic(), is_latin_word_char).filter(move |r| {
        let token = &text[r.clone()];
        token.len() >= 2
            && token.chars().filter(|c| c.is_ascii_uppercase()).count() >= 2
            && token.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    })
}

fn runs<'a>(
    text: &'a str,
    starts: impl Fn(char) -> bool + 'a,
    continues: impl Fn(char) -> bool + 'a,
) -> impl Iterator<Item = std::ops::Range<usize>> + 'a {
    let mut iter = text.char_indices().peekable();
    std::iter::from_fn(move || loop {
        let (start, c) = iter.next()?;
        if !starts(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, n)) = iter.peek() {
            if continues(n) {
                end = i + n.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        return Some(start..end);
    })
}

enum Tiling {
    /// Two or more names, glued.
    Names(Vec<RawMatch>),
    /// Names followed by a common katakana word (ロシアメディア), or by 語: fine as it is.
    NameAndTail,
    None,
}

/// Try to cover a katakana run entirely with KB names (the first may begin before the run in
/// kanji, as 中央アジア does; the last may end after it in kanji). Fewest pieces win.
fn tile_run(text: &str, run: std::ops::Range<usize>, kb: &Kb) -> Tiling {
    // Widen the window over up to 8 kanji on either side.
    let mut window_start = run.start;
    for c in text[..run.start].chars().rev().take(8) {
        if !crate::base::normalize::is_kanji(c) {
            break;
        }
        window_start -= c.len_utf8();
    }
    let mut window_end = run.end;
    for c in text[run.end..].chars().take(8) {
        if !crate::base::normalize::is_kanji(c) {
            break;
        }
        window_end += c.len_utf8();
    }
    // A full name may continue across the separator (中央アジアカザフスタンサーブル・エシムベコフ).
    let continues_across_separator = text[run.end..].starts_with(crate::base::normalize::SEPARATOR);
    if continues_across_separator {
        let after = run.end + crate::base::normalize::SEPARATOR.len_utf8();
        window_end = after
            + text[after..]
                .char_indices()
                .find(|&(_, c)| !is_katakana_word_char(c))
                .map(|(i, _)| i)
                .unwrap_or(text.len() - after);
    }
    let matches = kb.matcher.find_all_in(text, window_start..window_end);
    if matches.is_empty() {
        return Tiling::None;
    }
    // best[p] = (pieces, previous match) for positions inside the run.
    let len = run.end - run.start;
    let mut best: Vec<Option<(usize, Option<usize>)>> = vec![None; len + 1];
    let mut order: Vec<usize> = (0..matches.len()).collect();
    order.sort_by_key(|&i| matches[i].start);
    let goal_reached = |m: &RawMatch| m.end >= run.end;
    let mut goal: Option<(usize, usize)> = None; // (pieces, match index)
    for &i in &order {
        let m = matches[i];
        if m.end <= run.start || m.start >= run.end {
            continue;
        }
        // A piece ending past the run must end in non-katakana; one ending inside must end on
        // a position the next piece can start from (checked by construction).
        let prior = if m.start <= run.start {
            if m.start < run.start && !text[m.start..run.start].chars().all(crate::base::normalize::is_kanji) {
                continue;
            }
            Some(0)
        } else {
            best[m.start - run.start].map(|(n, _)| n)
        };
        let Some(prior) = prior else { continue };
        let pieces = prior + 1;
        if goal_reached(&m) {
            let ends_in_katakana = char_before(text, m.end).is_some_and(is_katakana_word_char);
            let across_separator =
                continues_across_separator && !char_after(text, m.end).is_some_and(is_katakana_word_char);
            if m.end > run.end && ends_in_katakana && !across_separator {
                continue;
            }
            if goal.is_none_or(|(n, _)| pieces < n) {
                goal = Some((pieces, i));
            }
        } else {
            let slot = &mut best[m.end - run.start];
            if slot.is_none_or(|(n, _)| pieces < n) {
                *slot = Some((pieces, Some(i)));
            }
        }
    }
    let Some((pieces, last)) = goal else {
        // Names followed by a common compound tail?
        let tail_ok = COMPOUND_TAILS
            .iter()
            .any(|tail| text[run.clone()].ends_with(tail) && best[len - tail.len()].is_some());
        return if tail_ok { Tiling::NameAndTail } else { Tiling::None };
    };
    if pieces < 2 {
        return Tiling::None;
    }
    // Walk back through the chain.
    let mut chain = vec![matches[last]];
    let mut at = matches[last].start;
    while at > run.start {
        let (_, prev) = best[at - run.start].expect("chain positions are reachable");
        let prev = matches[prev.expect("inner positions record their match")];
        chain.push(prev);
        at = prev.start;
    }
    chain.reverse();
    // A name repeated (イランイラン) is a word of its own, not two glued mentions.
    let first_entity = kb.spellings[chain[0].spelling].entity;
    if chain.iter().all(|m| kb.spellings[m.spelling].entity == first_entity) {
        return Tiling::None;
    }
    // Names before 語 make one language or dialect name (スイスドイツ語, ブラジルポルトガル語).
    if text[chain[chain.len() - 1].end..].starts_with('語') {
        return Tiling::NameAndTail;
    }
    Tiling::Names(chain)
}

#[cfg(test)]
mod tests;
