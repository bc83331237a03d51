//! Near misses of known names: トカレフ for トカエフ, ドネツク民共和国 for ドネツク人民共和国,
//! 集団安全保障機構 for 集団安全保障条約機構 — found by a weighted edit distance, never by a list.
//!
//! Candidates come from two places:
//! - katakana words that recognition left over, looked up in a symmetric-deletion index of
//!   every katakana spelling (one deletion, two for long names) and verified with the
//!   weighted distance;
//! - for longer spellings containing kanji, windows of the text that start with the
//!   spelling's first two characters and end with its last two, within two characters of its
//!   length (a misspelling inside the name, both ends intact, so that a name that is merely a
//!   prefix of a longer word is never taken for a misspelling).
//!
//! Weights follow real confusions: look-alike kana (ソ/ン, シ/ツ …), voicing marks (カ/ガ), small
//! and large kana (ッ/ツ), a dropped ー and dropped small kana cost half an edit; anything
//! else costs one. A candidate must also be confirmed by context: a title or honorific follows
//! it, or the real entity is mentioned in the note or elsewhere in the workspace. Short names
//! (four characters or fewer) need the stronger evidence: a title, or a look-alike slip with
//! the entity present.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, MatchKind};

use super::titles::{after_name, AfterName};
use super::{Leftover, Mention, MentionForm, Recognition, Script};
use crate::kb::{EntityKind, Kb, Spelling};
use crate::normalize::{is_kanji, is_katakana_word_char};
use crate::text::TextRange;
use crate::workspace::WorkspaceFacts;

/// Index of KB spellings for near-miss lookup, built once per KB.
#[derive(Debug)]
pub struct NearMissIndex {
    /// Deletion variant of a katakana spelling → spelling indices.
    deletions: HashMap<String, Vec<u32>>,
    /// Two-character prefixes of kanji-bearing spellings (pattern i ↔ `anchored[i]`).
    prefixes: Option<AhoCorasick>,
    anchored: Vec<Vec<u32>>,
}

/// Spellings at least this long (in chars) get two deletions in the katakana index.
const TWO_EDIT_LEN: usize = 7;
/// Kanji-bearing spellings at least this long are searched for near misses.
const MIN_ANCHORED_LEN: usize = 5;

impl NearMissIndex {
    pub fn new(spellings: &[Spelling]) -> Self {
        let mut deletions: HashMap<String, Vec<u32>> = HashMap::new();
        let mut prefix_of: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, s) in spellings.iter().enumerate() {
            let chars: Vec<char> = s.normalized.chars().collect();
            if chars.len() >= 3 && chars.iter().all(|&c| is_katakana_word_char(c)) {
                for variant in deletion_variants(&chars, if chars.len() >= TWO_EDIT_LEN { 2 } else { 1 }) {
                    let entry = deletions.entry(variant).or_default();
                    if !entry.contains(&(i as u32)) {
                        entry.push(i as u32);
                    }
                }
            } else if chars.len() >= MIN_ANCHORED_LEN && chars.iter().any(|&c| is_kanji(c)) {
                prefix_of.entry(chars[..2].iter().collect()).or_default().push(i as u32);
            }
        }
        let (patterns, anchored): (Vec<String>, Vec<Vec<u32>>) = prefix_of.into_iter().unzip();
        let prefixes = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .expect("prefixes compile")
        });
        NearMissIndex {
            deletions,
            prefixes,
            anchored,
        }
    }
}

/// The string itself and every string obtained by deleting up to `max` characters.
fn deletion_variants(chars: &[char], max: usize) -> Vec<String> {
    let mut out = vec![chars.iter().collect::<String>()];
    let mut frontier = vec![chars.to_vec()];
    for _ in 0..max {
        let mut next = Vec::new();
        for word in &frontier {
            for i in 0..word.len() {
                let mut w = word.clone();
                w.remove(i);
                next.push(w);
            }
        }
        next.sort();
        next.dedup();
        out.extend(next.iter().map(|w| w.iter().collect::<String>()));
        frontier = next;
    }
    out.sort();
    out.dedup();
    out
}

/// Hiragana, punctuation and spaces: what sentences, not names, are made of.
fn is_grammar_char(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}')
        || c.is_whitespace()
        || c.is_ascii_punctuation()
        || "、。，．「」『』（）・".contains(c)
}

/// The largest weighted distance accepted for a spelling of `len` chars.
fn allowed_cost(len: usize) -> f32 {
    match len {
        0..=3 => 0.5,
        4..=5 => 1.0,
        6..=8 => 1.5,
        _ => 2.0,
    }
}

const LOOK_ALIKE: &[(char, char)] = &[
    ('ソ', 'ン'),
    ('シ', 'ツ'),
    ('ク', 'タ'),
    ('ウ', 'ワ'),
    ('ロ', '口'),
    ('カ', '力'),
    ('エ', '工'),
    ('ニ', '二'),
    ('ハ', '八'),
    ('ー', '一'),
    ('ヘ', 'へ'),
    ('チ', 'テ'),
    ('ノ', 'メ'),
    ('フ', 'ヲ'),
    ('ス', 'ヌ'),
    ('マ', 'ム'),
];

const SMALL_LARGE: &[(char, char)] = &[
    ('ッ', 'ツ'),
    ('ャ', 'ヤ'),
    ('ュ', 'ユ'),
    ('ョ', 'ヨ'),
    ('ァ', 'ア'),
    ('ィ', 'イ'),
    ('ゥ', 'ウ'),
    ('ェ', 'エ'),
    ('ォ', 'オ'),
];

fn strip_voicing(c: char) -> char {
    use unicode_normalization::UnicodeNormalization;
    let mut decomposed = std::iter::once(c).nfd();
    decomposed.next().unwrap_or(c)
}

fn substitution_cost(a: char, b: char) -> f32 {
    if a == b {
        return 0.0;
    }
    let pair = |list: &[(char, char)]| list.iter().any(|&(x, y)| (x, y) == (a, b) || (y, x) == (a, b));
    if pair(LOOK_ALIKE) || pair(SMALL_LARGE) || strip_voicing(a) == strip_voicing(b) {
        0.5
    } else {
        1.0
    }
}

fn indel_cost(c: char) -> f32 {
    if c == 'ー' || SMALL_LARGE.iter().any(|&(small, _)| small == c) {
        0.5
    } else {
        1.0
    }
}

/// Weighted Damerau–Levenshtein distance (adjacent transpositions cost one).
pub fn weighted_distance(a: &[char], b: &[char]) -> f32 {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0f32; m + 1]; n + 1];
    for i in 1..=n {
        d[i][0] = d[i - 1][0] + indel_cost(a[i - 1]);
    }
    for j in 1..=m {
        d[0][j] = d[0][j - 1] + indel_cost(b[j - 1]);
    }
    for i in 1..=n {
        for j in 1..=m {
            let mut best = (d[i - 1][j] + indel_cost(a[i - 1]))
                .min(d[i][j - 1] + indel_cost(b[j - 1]))
                .min(d[i - 1][j - 1] + substitution_cost(a[i - 1], b[j - 1]));
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1.0);
            }
            d[i][j] = best;
        }
    }
    d[n][m]
}

struct Candidate {
    /// Normalised byte range.
    start: usize,
    end: usize,
    spelling: usize,
    cost: f32,
}

/// Find near misses in the document and add them to `recognition.mentions` (replacing exact
/// mentions nested inside them, such as ドネツク inside ドネツク民共和国).
pub fn add_near_misses(text: &str, kb: &Kb, recognition: &mut Recognition, workspace: &WorkspaceFacts) {
    let norm = recognition.normalized.text.as_str();
    let mut candidates = Vec::new();
    for leftover in recognition.leftovers.iter().filter(|l| l.script == Script::Katakana) {
        if let Some(c) = katakana_candidate(kb, norm, leftover) {
            candidates.push(c);
        }
    }
    candidates.extend(anchored_candidates(kb, norm, recognition));
    if candidates.is_empty() {
        return;
    }
    let present_in_file: HashSet<usize> = recognition.mentions.iter().map(|m| m.entity).collect();
    // Title evidence counts for every occurrence of the same written form (トカレフ政権 … トカレフ大統領).
    let mut titled_forms: HashSet<&str> = HashSet::new();
    for c in &candidates {
        let original_end = recognition.normalized.original_range(c.start, c.end).end;
        if matches!(
            after_name(text, original_end, kb, &recognition.mentions),
            AfterName::Title { .. } | AfterName::Honorific(_) | AfterName::BrokenTitle { .. }
        ) {
            titled_forms.insert(&norm[c.start..c.end]);
        }
    }
    let mut accepted: Vec<(Candidate, TextRange)> = Vec::new();
    for c in candidates {
        let spelling = &kb.spellings[c.spelling];
        let entity = spelling.entity;
        let written = &norm[c.start..c.end];
        if kb.is_not_entity(written) {
            continue;
        }
        let titled = kb.entity(entity).kind == EntityKind::Person && titled_forms.contains(written);
        let present = present_in_file.contains(&entity) || workspace.mentions(entity) > 0;
        let short = spelling.normalized.chars().count() <= 4;
        let confirmed = if short {
            titled || (present && c.cost <= 0.5)
        } else {
            titled || present
        };
        if confirmed {
            let range = recognition.normalized.original_range(c.start, c.end);
            accepted.push((c, range));
        }
    }
    if accepted.is_empty() {
        return;
    }
    accepted.sort_by_key(|(_, r)| r.start);
    // Exact mentions nested in an accepted near miss give way to it (ドネツク in ドネツク民共和国);
    // a near miss crossing an exact mention is dropped. Both lists are sorted: merge them.
    let ranges: Vec<TextRange> = accepted.iter().map(|(_, r)| *r).collect();
    let contains = |r: TextRange| {
        let i = ranges.partition_point(|a| a.start <= r.start);
        i > 0 && ranges[i - 1].contains_range(r)
    };
    recognition.mentions.retain(|m| !contains(m.range));
    let exact: Vec<TextRange> = recognition.mentions.iter().map(|m| m.range).collect();
    let crosses = |r: TextRange| {
        let i = exact.partition_point(|e| e.end <= r.start);
        exact.get(i).is_some_and(|e| e.start < r.end)
    };
    let mut added = Vec::new();
    for (c, range) in accepted {
        if crosses(range) || added.last().is_some_and(|prev: &Mention| prev.range.intersects(range)) {
            continue;
        }
        added.push(Mention {
            range,
            entity: kb.spellings[c.spelling].entity,
            form: MentionForm::NearMiss {
                spelling: c.spelling,
                cost: c.cost,
            },
            glued: false,
        });
    }
    let taken: Vec<TextRange> = added.iter().map(|m| m.range).collect();
    recognition.leftovers.retain(|l| {
        let i = taken.partition_point(|a| a.start <= l.range.start);
        !(i > 0 && taken[i - 1].contains_range(l.range))
    });
    recognition.mentions.extend(added);
    recognition.mentions.sort_by_key(|m| (m.range.start, m.range.end));
}

fn katakana_candidate(kb: &Kb, norm: &str, leftover: &Leftover) -> Option<Candidate> {
    let written: Vec<char> = norm[leftover.normalized.clone()].chars().collect();
    if written.len() < 3 {
        return None;
    }
    let mut best: Option<(f32, usize)> = None;
    let mut ambiguous = false;
    for variant in deletion_variants(&written, if written.len() >= TWO_EDIT_LEN - 1 { 2 } else { 1 }) {
        let Some(hits) = kb.near_miss.deletions.get(&variant) else {
            continue;
        };
        for &s in hits {
            let s = s as usize;
            let target: Vec<char> = kb.spellings[s].normalized.chars().collect();
            let cost = weighted_distance(&written, &target);
            if cost == 0.0 || cost > allowed_cost(target.len()) {
                continue;
            }
            match best {
                Some((c, other)) if (c - cost).abs() < f32::EPSILON => {
                    ambiguous |= kb.spellings[other].entity != kb.spellings[s].entity;
                }
                Some((c, _)) if c < cost => {}
                _ => {
                    best = Some((cost, s));
                    ambiguous = false;
                }
            }
        }
    }
    let (cost, spelling) = best.filter(|_| !ambiguous)?;
    Some(Candidate {
        start: leftover.normalized.start,
        end: leftover.normalized.end,
        spelling,
        cost,
    })
}

fn anchored_candidates(kb: &Kb, norm: &str, recognition: &Recognition) -> Vec<Candidate> {
    let Some(prefixes) = &kb.near_miss.prefixes else {
        return Vec::new();
    };
    let exact: Vec<std::ops::Range<usize>> = recognition
        .mentions
        .iter()
        .map(|m| {
            let s = recognition.normalized.normalized_offset(m.range.start);
            let e = recognition.normalized.normalized_offset(m.range.end);
            s..e
        })
        .collect();
    let mut out: Vec<Candidate> = Vec::new();
    for hit in prefixes.find_overlapping_iter(norm) {
        let start = hit.start();
        for &s in &kb.near_miss.anchored[hit.pattern().as_usize()] {
            let s = s as usize;
            let target: Vec<char> = kb.spellings[s].normalized.chars().collect();
            let suffix: String = target[target.len() - 2..].iter().collect();
            let allowed = allowed_cost(target.len());
            let mut best: Option<(f32, usize)> = None;
            let mut end = start;
            for (count, c) in norm[start..].chars().enumerate() {
                end += c.len_utf8();
                let len = count + 1;
                if len + 2 < target.len() {
                    continue;
                }
                if len > target.len() + 2 || c == '\n' {
                    break;
                }
                if !norm[..end].ends_with(&suffix) {
                    continue;
                }
                let written: Vec<char> = norm[start..end].chars().collect();
                // A particle or punctuation inserted between two words (ウクライナを侵攻,
                // ロシアは連邦) is grammar, not a misspelling: names are not written with them.
                if written.iter().any(|c| !target.contains(c) && is_grammar_char(*c)) {
                    continue;
                }
                let cost = weighted_distance(&written, &target);
                if cost > 0.0 && cost <= allowed && best.is_none_or(|(b, _)| cost < b) {
                    best = Some((cost, end));
                }
            }
            let Some((cost, end)) = best else { continue };
            // Not where a known name already is, nor cutting through one.
            let covered = exact.iter().any(|e| e.start <= start && end <= e.end);
            let crossing = exact
                .iter()
                .any(|e| e.start < end && start < e.end && !(start <= e.start && e.end <= end));
            if covered || crossing {
                continue;
            }
            if !out.iter().any(|o| o.start < end && start < o.end && o.cost <= cost) {
                out.retain(|o| !(o.start < end && start < o.end));
                out.push(Candidate {
                    start,
                    end,
                    spelling: s,
                    cost,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: &str, b: &str) -> f32 {
        weighted_distance(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>())
    }

    #[test]
    fn weights_follow_real_confusions() {
        assert_eq!(distance("トカレフ", "トカエフ"), 1.0);
        assert_eq!(distance("ゼレンスキ", "ゼレンスキー"), 0.5);
        assert_eq!(distance("シャーマン", "シャーマソ"), 0.5);
        assert_eq!(distance("ペスコフ", "ベスコフ"), 0.5);
        assert_eq!(distance("ドネツク民共和国", "ドネツク人民共和国"), 1.0);
        assert_eq!(distance("集団安全保障機構", "集団安全保障条約機構"), 2.0);
        assert_eq!(distance("ラブロフ", "ラロブフ"), 1.0);
    }
}
