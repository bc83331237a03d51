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

use std::collections::HashSet;

use super::titles::{after_name, AfterName};
use super::{Leftover, Mention, MentionForm, Recognition, Script};
use crate::analysis::facts::WorkspaceFacts;
use crate::base::TextRange;
use crate::kb::near_miss_index::TWO_EDIT_LEN;
use crate::kb::{EntityId, EntityKind, Kb};

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

/// The first character of the canonical decomposition (ガ → カ).
fn strip_voicing(c: char) -> char {
    let mut first = None;
    unicode_normalization::char::decompose_canonical(c, |d| {
        first.get_or_insert(d);
    });
    first.unwrap_or(c)
}

fn substitution_cost(a: char, b: char) -> f32 {
    if a == b {
        return 0.0;
    }
    // Kana against kana (most of the table for katakana names): looked up.
    if let (Some(i), Some(j)) = (kana_index(a), kana_index(b)) {
        static KANA: std::sync::OnceLock<Vec<f32>> = std::sync::OnceLock::new();
        let table = KANA.get_or_init(|| {
            let kana = |k: usize| char::from_u32(KANA_FIRST + k as u32).unwrap_or(' ');
            (0..KANA_COUNT * KANA_COUNT)
                .map(|k| weighed_substitution(kana(k / KANA_COUNT), kana(k % KANA_COUNT)))
                .collect()
        });
        return table[i * KANA_COUNT + j];
    }
    // A unified ideograph against another or against kana: no canonical decomposition makes
    // them share a base, and no small/large pair holds a kanji; only a look-alike pair (ロ/口)
    // costs less.
    let kanji = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    let kanji_or_kana = |c: char| kanji(c) || kana_index(c).is_some();
    if (kanji(a) || kanji(b)) && kanji_or_kana(a) && kanji_or_kana(b) {
        let look_alike = LOOK_ALIKE.iter().any(|&(x, y)| (x, y) == (a, b) || (y, x) == (a, b));
        return if look_alike { 0.5 } else { 1.0 };
    }
    weighed_substitution(a, b)
}

/// Hiragana and katakana: U+3040 to U+30FF.
const KANA_FIRST: u32 = 0x3040;
const KANA_COUNT: usize = 0xC0;

fn kana_index(c: char) -> Option<usize> {
    (c as u32)
        .checked_sub(KANA_FIRST)
        .map(|k| k as usize)
        .filter(|&k| k < KANA_COUNT)
}

/// The cost of writing `b` for `a` (or `a` for `b`), weighed in full.
fn weighed_substitution(a: char, b: char) -> f32 {
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
    distance_within(a, b, f32::INFINITY).expect("every distance is within an infinite limit")
}

#[derive(Clone, Copy, Debug)]
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
    let found = find_near_misses(text, kb, recognition);
    found.apply(kb, &mut recognition.mentions, &mut recognition.leftovers, workspace);
}

/// The near misses of a note before the workspace facts are known: every candidate, with
/// what the note itself says for it. [`NearMisses::apply`] decides with the facts, without
/// the text — so an indexer can read each note once, and confirm after the whole workspace
/// is read.
#[derive(Clone, Debug, Default)]
pub struct NearMisses {
    /// In the order they were found.
    pending: Vec<Pending>,
}

#[derive(Clone, Debug)]
struct Pending {
    /// Original byte range.
    range: TextRange,
    spelling: usize,
    cost: f32,
    /// Confirmed by the note alone (a title after it, or the entity named in the note).
    confirmed_here: bool,
    /// Confirmed if the workspace mentions the entity.
    confirmed_if_mentioned: bool,
}

impl NearMisses {
    /// The original ranges any near miss may take, for positions to be computed ahead.
    pub fn ranges(&self) -> impl Iterator<Item = TextRange> + '_ {
        self.pending.iter().map(|p| p.range)
    }

    /// The entities whose mention somewhere in the workspace would confirm a candidate the
    /// note alone does not: when the workspace mentions none of them, [`NearMisses::apply`]
    /// gives the same result as with no facts at all.
    pub fn waiting_for(&self, kb: &Kb) -> Vec<EntityId> {
        let mut entities: Vec<EntityId> = self
            .pending
            .iter()
            .filter(|p| !p.confirmed_here && p.confirmed_if_mentioned)
            .map(|p| kb.spellings[p.spelling].entity)
            .collect();
        entities.sort_unstable();
        entities.dedup();
        entities
    }

    /// Add the confirmed near misses to `mentions` (sorted by range, non-overlapping), replacing
    /// the exact mentions nested inside them and the leftovers they account for.
    pub fn apply(
        self,
        kb: &Kb,
        mentions: &mut Vec<Mention>,
        leftovers: &mut Vec<Leftover>,
        workspace: &WorkspaceFacts,
    ) {
        let mut accepted: Vec<Pending> = self
            .pending
            .into_iter()
            .filter(|p| {
                p.confirmed_here
                    || (p.confirmed_if_mentioned && workspace.mentions(kb.spellings[p.spelling].entity) > 0)
            })
            .collect();
        if accepted.is_empty() {
            return;
        }
        accepted.sort_by_key(|p| p.range.start);
        // Exact mentions nested in an accepted near miss give way to it (ドネツク in ドネツク民共和国);
        // a near miss crossing an exact mention is dropped. Both lists are sorted: merge them.
        let ranges: Vec<TextRange> = accepted.iter().map(|p| p.range).collect();
        let contains = |r: TextRange| {
            let i = ranges.partition_point(|a| a.start <= r.start);
            i > 0 && ranges[i - 1].contains_range(r)
        };
        mentions.retain(|m| !contains(m.range));
        let exact: Vec<TextRange> = mentions.iter().map(|m| m.range).collect();
        let crosses = |r: TextRange| {
            let i = exact.partition_point(|e| e.end <= r.start);
            exact.get(i).is_some_and(|e| e.start < r.end)
        };
        let mut added = Vec::new();
        for p in accepted {
            if crosses(p.range)
                || added
                    .last()
                    .is_some_and(|prev: &Mention| prev.range.intersects(p.range))
            {
                continue;
            }
            added.push(Mention {
                range: p.range,
                entity: kb.spellings[p.spelling].entity,
                form: MentionForm::NearMiss {
                    spelling: p.spelling,
                    cost: p.cost,
                },
                glued: false,
            });
        }
        let taken: Vec<TextRange> = added.iter().map(|m| m.range).collect();
        leftovers.retain(|l| {
            let i = taken.partition_point(|a| a.start <= l.range.start);
            !(i > 0 && taken[i - 1].contains_range(l.range))
        });
        mentions.extend(added);
        mentions.sort_by_key(|m| (m.range.start, m.range.end));
    }
}

/// Every near-miss candidate of a recognised note, with the note's own evidence for it.
pub fn find_near_misses(text: &str, kb: &Kb, recognition: &Recognition) -> NearMisses {
    Candidates::find(kb, recognition).weigh(text, kb, recognition)
}

/// The spellings a note's words come close to, before anything is confirmed: what the
/// search finds in each line of a note depends on that line alone (no candidate crosses a
/// line break), so [`super::memo`] keeps them per line.
#[derive(Clone, Debug, Default)]
pub struct Candidates(Vec<Candidate>);

impl Candidates {
    /// Search the recognised text: katakana leftovers near a katakana spelling, and windows
    /// after the prefix of a kanji-bearing spelling.
    pub fn find(kb: &Kb, recognition: &Recognition) -> Candidates {
        let norm = recognition.normalized.text.as_str();
        let mut candidates = Vec::new();
        for leftover in recognition.leftovers.iter().filter(|l| l.script == Script::Katakana) {
            if let Some(c) = katakana_candidate(kb, norm, leftover) {
                candidates.push(c);
            }
        }
        candidates.extend(anchored_candidates(kb, norm, recognition));
        Candidates(candidates)
    }

    /// Append the candidates of the text that follows, whose normalised text starts at
    /// `norm_offset`.
    pub fn append(&mut self, next: &Candidates, norm_offset: usize) {
        self.0.extend(next.0.iter().map(|c| Candidate {
            start: c.start + norm_offset,
            end: c.end + norm_offset,
            ..*c
        }));
    }

    /// Weigh every candidate with what the note says of it (a title after it, the entity
    /// named elsewhere in the note); the workspace decides later ([`NearMisses::apply`]).
    pub fn weigh(self, text: &str, kb: &Kb, recognition: &Recognition) -> NearMisses {
        weigh(self.0, text, kb, recognition)
    }
}

fn weigh(candidates: Vec<Candidate>, text: &str, kb: &Kb, recognition: &Recognition) -> NearMisses {
    let norm = recognition.normalized.text.as_str();
    if candidates.is_empty() {
        return NearMisses::default();
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
    let mut pending = Vec::new();
    for c in candidates {
        let spelling = &kb.spellings[c.spelling];
        let entity = spelling.entity;
        let written = &norm[c.start..c.end];
        if kb.is_not_entity(written) {
            continue;
        }
        let titled = kb.entity(entity).kind == EntityKind::Person && titled_forms.contains(written);
        let here = present_in_file.contains(&entity);
        // Short names need the stronger evidence: a title, or a look-alike slip with the
        // entity present (in the note or the workspace).
        let short = spelling.normalized.chars().count() <= 4;
        let (confirmed_here, confirmed_if_mentioned) = if short {
            (titled || (here && c.cost <= 0.5), titled || c.cost <= 0.5)
        } else {
            (titled || here, true)
        };
        if confirmed_here || confirmed_if_mentioned {
            pending.push(Pending {
                range: recognition.normalized.original_range(c.start, c.end),
                spelling: c.spelling,
                cost: c.cost,
                confirmed_here,
                confirmed_if_mentioned,
            });
        }
    }
    NearMisses { pending }
}

fn katakana_candidate(kb: &Kb, norm: &str, leftover: &Leftover) -> Option<Candidate> {
    let written: Vec<char> = norm[leftover.normalized.clone()].chars().collect();
    if written.len() < 3 {
        return None;
    }
    let mut best: Option<(f32, usize)> = None;
    let mut ambiguous = false;
    let mut target: Vec<char> = Vec::new();
    for hits in indexed_deletions(kb, &written, if written.len() >= TWO_EDIT_LEN - 1 { 2 } else { 1 }) {
        for &s in hits {
            let s = s as usize;
            target.clear();
            target.extend(kb.spellings[s].normalized.chars());
            let Some(cost) = distance_within(&written, &target, allowed_cost(target.len())) else {
                continue;
            };
            if cost == 0.0 {
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

/// The index entries of `written` and of its deletion variants (up to `max` characters
/// deleted), in the order of the variants' text — the order [`deletion_variants`] lists them
/// in — without building the variants that the index does not hold.
fn indexed_deletions<'a>(kb: &'a Kb, written: &[char], max: usize) -> Vec<&'a [u32]> {
    let mut found: Vec<(String, &[u32])> = Vec::new();
    let mut variant = String::new();
    let mut probe = |skip: [usize; 2]| {
        variant.clear();
        variant.extend(
            written
                .iter()
                .enumerate()
                .filter(|(k, _)| !skip.contains(k))
                .map(|(_, c)| c),
        );
        if let Some((text, hits)) = kb.near_miss.deletions.get_key_value(variant.as_str()) {
            found.push((text.clone(), hits));
        }
    };
    let none = usize::MAX;
    probe([none, none]);
    if max >= 1 {
        for i in 0..written.len() {
            probe([i, none]);
            if max >= 2 {
                for j in i + 1..written.len() {
                    probe([i, j]);
                }
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.dedup_by(|a, b| a.0 == b.0);
    found.into_iter().map(|(_, hits)| hits).collect()
}

/// [`weighted_distance`] when it is at most `limit`, else `None` — found without finishing
/// the table once two consecutive rows exceed the limit (no later row can come back under it).
fn distance_within(a: &[char], b: &[char], limit: f32) -> Option<f32> {
    let (n, m) = (a.len(), b.len());
    // Three rolling rows of the (n + 1) × (m + 1) table (a transposition looks two rows
    // back), on the stack for names of usual length.
    let width = m + 1;
    let mut small = [0f32; 3 * 40];
    let mut large = Vec::new();
    let d: &mut [f32] = if 3 * width <= small.len() {
        &mut small[..3 * width]
    } else {
        large.resize(3 * width, 0f32);
        &mut large
    };
    let row = |i: usize| (i % 3) * width;
    d[0] = 0.0;
    for j in 1..=m {
        d[j] = d[j - 1] + indel_cost(b[j - 1]);
    }
    let mut previous_over = d[..width].iter().all(|&v| v > limit);
    for i in 1..=n {
        let (cur, up) = (row(i), row(i - 1));
        d[cur] = d[up] + indel_cost(a[i - 1]);
        let mut row_min = d[cur];
        for j in 1..=m {
            let mut best = (d[up + j] + indel_cost(a[i - 1]))
                .min(d[cur + j - 1] + indel_cost(b[j - 1]))
                .min(d[up + j - 1] + substitution_cost(a[i - 1], b[j - 1]));
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[row(i - 2) + j - 2] + 1.0);
            }
            d[cur + j] = best;
            row_min = row_min.min(best);
        }
        let over = row_min > limit;
        if over && previous_over {
            return None;
        }
        previous_over = over;
    }
    let distance = d[row(n) + m];
    (distance <= limit).then_some(distance)
}

fn anchored_candidates(kb: &Kb, norm: &str, recognition: &Recognition) -> Vec<Candidate> {
    let Some(prefixes) = &kb.near_miss.prefixes else {
        return Vec::new();
    };
    // Sorted and disjoint, as the mentions are.
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
    // The characters after a prefix hit and the byte offset each ends at, decoded once for
    // every spelling with that prefix.
    let mut window: Vec<char> = Vec::new();
    let mut window_ends: Vec<usize> = Vec::new();
    let mut ending_here: Vec<usize> = Vec::new();
    for hit in prefixes.find_overlapping_iter(norm) {
        let start = hit.start();
        let group = &kb.near_miss.anchored[hit.pattern().as_usize()];
        window.clear();
        window_ends.clear();
        let mut end = start;
        for c in norm[start..].chars().take(group.longest + 2) {
            end += c.len_utf8();
            window.push(c);
            window_ends.push(end);
        }
        // Only spellings whose last two characters end the window somewhere within two
        // characters of their length can match: the others are not tried (most hits have none).
        ending_here.clear();
        for len in 3..=window.len() {
            let pair = [window[len - 2], window[len - 1]];
            let from = group.by_suffix.partition_point(|(p, _)| *p < pair);
            for &(_, i) in group.by_suffix[from..].iter().take_while(|(p, _)| *p == pair) {
                let target_len = group.spellings[i].chars.len();
                if len + 2 >= target_len && len <= target_len + 2 {
                    ending_here.push(i);
                }
            }
        }
        if ending_here.is_empty() {
            continue;
        }
        ending_here.sort_unstable();
        ending_here.dedup();
        for anchored in ending_here.iter().map(|&i| &group.spellings[i]) {
            let s = anchored.spelling as usize;
            let target = &anchored.chars[..];
            let suffix = &target[target.len() - 2..];
            let allowed = allowed_cost(target.len());
            let mut best: Option<(f32, usize)> = None;
            for (count, &c) in window.iter().enumerate() {
                let len = count + 1;
                if len + 2 < target.len() {
                    continue;
                }
                if len > target.len() + 2 || c == '\n' {
                    break;
                }
                // The window holds at least three characters here: its last two are the end
                // of the text up to this point.
                let written = &window[..len];
                if written[len - 2..] != *suffix {
                    continue;
                }
                // A particle or punctuation inserted between two words (ウクライナを侵攻,
                // ロシアは連邦) is grammar, not a misspelling: names are not written with them.
                if written.iter().any(|c| !target.contains(c) && is_grammar_char(*c)) {
                    continue;
                }
                let Some(cost) = distance_within(written, target, allowed) else {
                    continue;
                };
                if cost > 0.0 && best.is_none_or(|(b, _)| cost < b) {
                    best = Some((cost, window_ends[count]));
                }
            }
            let Some((cost, end)) = best else { continue };
            // Not where a known name already is, nor cutting through one.
            let first = exact.partition_point(|e| e.end <= start);
            let near = exact[first..].iter().take_while(|e| e.start < end);
            let mut covered = false;
            let mut crossing = false;
            for e in near {
                covered |= e.start <= start && end <= e.end;
                crossing |= e.start < end && start < e.end && !(start <= e.start && e.end <= end);
            }
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
    use crate::kb::near_miss_index::deletion_variants;

    fn distance(a: &str, b: &str) -> f32 {
        weighted_distance(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>())
    }

    /// The distance as first written: the whole table, every substitution weighed in full.
    fn full_table_distance(a: &[char], b: &[char]) -> f32 {
        let (n, m) = (a.len(), b.len());
        let sub = |x: char, y: char| {
            let pair = |list: &[(char, char)]| list.iter().any(|&(p, q)| (p, q) == (x, y) || (q, p) == (x, y));
            if x == y {
                0.0
            } else if pair(LOOK_ALIKE) || pair(SMALL_LARGE) || strip_voicing(x) == strip_voicing(y) {
                0.5
            } else {
                1.0
            }
        };
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
                    .min(d[i - 1][j - 1] + sub(a[i - 1], b[j - 1]));
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[i - 2][j - 2] + 1.0);
                }
                d[i][j] = best;
            }
        }
        d[n][m]
    }

    proptest::proptest! {
        #[test]
        fn rolling_rows_give_the_full_table_distance(
            a in proptest::collection::vec(0usize..14, 0..50),
            b in proptest::collection::vec(0usize..14, 0..50),
        ) {
            const ALPHABET: [char; 14] = ['カ', 'ガ', 'ソ', 'ン', 'ッ', 'ツ', 'ー', '口', 'ロ', '国', '民', '人', 'a', 'é'];
            let a: Vec<char> = a.iter().map(|&i| ALPHABET[i]).collect();
            let b: Vec<char> = b.iter().map(|&i| ALPHABET[i]).collect();
            proptest::prop_assert_eq!(weighted_distance(&a, &b), full_table_distance(&a, &b));
        }
    }

    proptest::proptest! {
        #[test]
        fn a_bounded_distance_is_the_distance_or_nothing(
            a in proptest::collection::vec(0usize..14, 0..20),
            b in proptest::collection::vec(0usize..14, 0..20),
            limit in 0usize..8,
        ) {
            const ALPHABET: [char; 14] = ['カ', 'ガ', 'ソ', 'ン', 'ッ', 'ツ', 'ー', '口', 'ロ', '国', '民', '人', 'a', 'é'];
            let a: Vec<char> = a.iter().map(|&i| ALPHABET[i]).collect();
            let b: Vec<char> = b.iter().map(|&i| ALPHABET[i]).collect();
            let limit = limit as f32 * 0.5;
            let full = weighted_distance(&a, &b);
            proptest::prop_assert_eq!(distance_within(&a, &b, limit), (full <= limit).then_some(full));
        }
    }

    #[test]
    fn deletions_are_looked_up_in_variant_order() {
        let kb = crate::kb::Kb::builtin();
        for word in [
            "ゼレンスキ",
            "トカレフ",
            "ゼレンスキーー",
            "アルメニアベラルーシ",
            "プーチソ",
            "ラロブフ",
            "キエフ",
        ] {
            let chars: Vec<char> = word.chars().collect();
            for max in [1, 2] {
                let expected: Vec<&[u32]> = deletion_variants(&chars, max)
                    .iter()
                    .filter_map(|v| kb.near_miss.deletions.get(v).map(Vec::as_slice))
                    .collect();
                assert_eq!(indexed_deletions(&kb, &chars, max), expected, "{word} ({max})");
            }
        }
    }

    #[test]
    fn shortcuts_weigh_substitutions_as_in_full() {
        let kana = (0x3040..0x3100).filter_map(char::from_u32);
        let listed = LOOK_ALIKE.iter().chain(SMALL_LARGE).flat_map(|&(x, y)| [x, y]);
        let others = "国民人aéeガ口力工二八一へ".chars();
        let chars: Vec<char> = kana.chain(listed).chain(others).collect();
        for &a in &chars {
            for &b in &chars {
                assert_eq!(substitution_cost(a, b), weighed_substitution(a, b), "{a} {b}");
            }
        }
    }

    #[test]
    fn unified_ideographs_decompose_to_themselves() {
        for c in ('\u{4E00}'..='\u{9FFF}').filter(|c| c.is_alphabetic()) {
            assert_eq!(strip_voicing(c), c);
        }
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
