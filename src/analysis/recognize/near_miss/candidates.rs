//! The search for near-miss candidates: katakana leftovers looked up in the KB's deletion index,
//! and windows of the text anchored on the first and last two characters of a kanji-bearing
//! spelling — each verified with the weighted distance ([`super::distance`]).

use super::distance::{distance_within, kept_in_alignment};
use super::{weigh, NearMisses};
use crate::analysis::recognize::{Leftover, Recognition, Script};
use crate::base::normalize::is_kanji;
use crate::kb::near_miss_index::TWO_EDIT_LEN;
use crate::kb::{EntityKind, Kb};

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

#[derive(Clone, Copy, Debug)]
pub(super) struct Candidate {
    /// Normalised byte range.
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) spelling: usize,
    pub(super) cost: f32,
    /// One kanji replaced by a homophone or a look-alike, nothing else ([`super::homophones`]).
    pub(super) one_kanji: bool,
}

/// The spellings a note's words come close to, before anything is confirmed: what the
/// search finds in each line of a note depends on that line alone (no candidate crosses a
/// line break), so [`crate::analysis::recognize::memo`] keeps them per line.
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
        let exact = exact_ranges(recognition);
        for h in super::homophones::homophone_candidates(kb, norm, &exact) {
            if let Some(same) = candidates.iter_mut().find(|c| c.start == h.start && c.end == h.end) {
                same.one_kanji |= same.spelling == h.spelling;
            } else if !candidates.iter().any(|c| c.start < h.end && h.start < c.end) {
                candidates.push(h);
            }
        }
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

fn katakana_candidate(kb: &Kb, norm: &str, leftover: &Leftover) -> Option<Candidate> {
    let written: Vec<char> = norm[leftover.normalized.clone()].chars().collect();
    // Deleting two characters cannot bring a longer word to a spelling's length: the bound
    // that keeps the search on a pasted run of katakana, thousands long, within n² probes of
    // a KB spelling's length (and not of the word's).
    if written.len() < 3 || written.len() > kb.near_miss.longest_katakana + 2 {
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
            if cost == 0.0 || !is_slip(kb, norm, leftover.normalized.clone(), &written, &target, s) {
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
        one_kanji: false,
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

/// True when `written` (at `range` of the normalised text) differs from the spelling `target`
/// as a slip of the pen or of the input method does, not as another word:
/// - at most one kanji replaced or added (a dropped word is a slip: 集団安全保障機構; two kanji of
///   its own make another compound sharing the name's ends);
/// - no other known name spans a character that differs (南アメリカ is 南 + アメリカ, not
///   南アフリカ misspelt; スイスドイツ is two names);
/// - a place is not followed by 語 (a language: タタール語 is not カタール misspelt).
fn is_slip(
    kb: &Kb,
    norm: &str,
    range: std::ops::Range<usize>,
    written: &[char],
    target: &[char],
    spelling: usize,
) -> bool {
    let entity = kb.spellings[spelling].entity;
    if kb.entity(entity).kind == EntityKind::Place && norm[range.end..].starts_with('語') {
        return false;
    }
    let kept = kept_in_alignment(written, target);
    let new_kanji = written.iter().zip(&kept).filter(|(c, k)| !**k && is_kanji(**c)).count();
    if new_kanji > 1 {
        return false;
    }
    if kept.iter().all(|k| *k) {
        return true;
    }
    // The byte offset of each written character, and one past the last.
    let mut offsets: Vec<usize> = norm[range.clone()]
        .char_indices()
        .map(|(i, _)| range.start + i)
        .collect();
    offsets.push(range.end);
    kb.matcher.find_all_in(norm, range).iter().all(|m| {
        let first = offsets.partition_point(|&o| o < m.start);
        let last = offsets.partition_point(|&o| o < m.end);
        kb.spellings[m.spelling].entity == entity || kept[first..last].iter().all(|k| *k)
    })
}

/// The normalised ranges of the recognised mentions: sorted and disjoint, as the mentions are.
fn exact_ranges(recognition: &Recognition) -> Vec<std::ops::Range<usize>> {
    recognition
        .mentions
        .iter()
        .map(|m| {
            let s = recognition.normalized.normalized_offset(m.range.start);
            let e = recognition.normalized.normalized_offset(m.range.end);
            s..e
        })
        .collect()
}

fn anchored_candidates(kb: &Kb, norm: &str, recognition: &Recognition) -> Vec<Candidate> {
    let Some(prefixes) = &kb.near_miss.prefixes else {
        return Vec::new();
    };
    let exact = exact_ranges(recognition);
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
                if cost > 0.0
                    && best.is_none_or(|(b, _)| cost < b)
                    && is_slip(kb, norm, start..window_ends[count], written, target, s)
                {
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
                    one_kanji: false,
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
}
