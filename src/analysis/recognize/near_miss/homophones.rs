//! The homophone search: a kanji name written with one kanji replaced by another of the same
//! reading or of the same shape (上川陽子 → 上川洋子, 保障 → 保証, 新疆 → 新彊) — the slip an input
//! method makes most. Windows of the text of each indexed length, one kanji blanked out, are
//! looked up in the KB's `blanked` index ([`crate::kb::near_miss_index`]).
//!
//! A window must stand as a word: no kanji (or, at a katakana edge, katakana) continues it
//! before, nor after unless a title or an honorific follows (上川洋子外相, 自衛体制 is another
//! word), and a title is not a misspelt body (ロシア国防相 is not ロシア国防省). For a person, the name as written must still read as the KB's `reading`, kanji by
//! kanji (name readings count: 谷 is ヤ as in 渋谷).

use super::candidates::Candidate;
use super::distance::kanji_slip;
use crate::analysis::recognize::titles::{is_title, title_starts};
use crate::base::normalize::{is_kanji, is_katakana_word_char};
use crate::kb::near_miss_index::BLANK;
use crate::kb::{EntityKind, Kb};

/// Candidates of one replaced kanji in `norm`, outside the `exact` mentions (normalised ranges,
/// sorted, disjoint).
pub(super) fn homophone_candidates(kb: &Kb, norm: &str, exact: &[std::ops::Range<usize>]) -> Vec<Candidate> {
    let index = &kb.near_miss;
    let Some(&shortest) = index.blanked_lengths.first() else {
        return Vec::new();
    };
    let mut out: Vec<Candidate> = Vec::new();
    let mut key: Vec<char> = Vec::new();
    let word_char = |c: char| is_kanji(c) || is_katakana_word_char(c);
    let chars: Vec<(usize, char)> = norm.char_indices().collect();
    let mut run_start = 0;
    while run_start < chars.len() {
        if !word_char(chars[run_start].1) {
            run_start += 1;
            continue;
        }
        let mut run_end = run_start;
        while run_end < chars.len() && word_char(chars[run_end].1) {
            run_end += 1;
        }
        let run = &chars[run_start..run_end];
        if run.len() >= shortest && run.iter().any(|&(_, c)| is_kanji(c)) {
            search_run(kb, norm, run, exact, &mut key, &mut out);
        }
        run_start = run_end;
    }
    out
}

fn search_run(
    kb: &Kb,
    norm: &str,
    run: &[(usize, char)],
    exact: &[std::ops::Range<usize>],
    key: &mut Vec<char>,
    out: &mut Vec<Candidate>,
) {
    let index = &kb.near_miss;
    let byte_end = |i: usize| {
        run.get(i)
            .map_or_else(|| run[i - 1].0 + run[i - 1].1.len_utf8(), |&(b, _)| b)
    };
    for i in 0..run.len() {
        // Nothing of the same script continues the word before the window.
        if i > 0 && same_script(run[i - 1].1, run[i].1) {
            continue;
        }
        // A window is a name with one kanji replaced: its first character is a name's first, or
        // it is the one replaced and the second is a name's second.
        let first_kept = index.blanked_firsts.contains(&run[i].1);
        let second_kept = run.get(i + 1).is_some_and(|&(_, c)| index.blanked_seconds.contains(&c));
        if !first_kept && !second_kept {
            continue;
        }
        // Past the second character, both are kept: they must begin a name together.
        let pair_kept = run
            .get(i + 1)
            .is_some_and(|&(_, c)| index.blanked_pairs.contains(&(run[i].1, c)));
        // Longest first: 新彊ウイグル自治区 is the region's name misspelt, not its short form.
        for &len in index.blanked_lengths.iter().rev().filter(|&&l| i + l <= run.len()) {
            let window = &run[i..i + len];
            let (start, end) = (window[0].0, byte_end(i + len));
            let after_ok = match run.get(i + len) {
                Some(&(_, next)) => !same_script(window[len - 1].1, next) || title_starts(kb, &norm[end..]),
                None => true,
            };
            if !after_ok || inside_or_across(exact, start, end) {
                continue;
            }
            for k in (0..len).filter(|&k| {
                is_kanji(window[k].1)
                    && match k {
                        0 => second_kept,
                        1 => first_kept,
                        _ => pair_kept,
                    }
            }) {
                // A title written where the name has a homophone of it is the title
                // (ロシア国防相 is the minister, not ロシア国防省 misspelt).
                if (0..=k).any(|j| is_title(kb, &norm[window[j].0..end])) {
                    continue;
                }
                key.clear();
                key.extend(window.iter().map(|&(_, c)| c));
                let written = key[k];
                key[k] = BLANK;
                let Some(hits) = index.blanked.get(key.as_slice()) else {
                    continue;
                };
                for &s in hits {
                    let spelling = &kb.spellings[s as usize];
                    let right = spelling.normalized.chars().nth(k).unwrap_or(written);
                    if right == written || !slip_for(kb, spelling.entity, &spelling.normalized, k, written) {
                        continue;
                    }
                    if kb.entity(spelling.entity).kind == EntityKind::Place && norm[end..].starts_with('語') {
                        continue;
                    }
                    if !out.iter().any(|o| o.start < end && start < o.end) {
                        out.push(Candidate {
                            start,
                            end,
                            spelling: s as usize,
                            cost: 0.5,
                            one_kanji: true,
                        });
                    }
                }
            }
        }
    }
}

/// True when `a` and `b` are both kanji or both katakana: one word continues into the other.
fn same_script(a: char, b: char) -> bool {
    (is_kanji(a) && is_kanji(b)) || (is_katakana_word_char(a) && is_katakana_word_char(b))
}

/// True when `start..end` lies inside an exact mention or cuts through one.
fn inside_or_across(exact: &[std::ops::Range<usize>], start: usize, end: usize) -> bool {
    let first = exact.partition_point(|e| e.end <= start);
    exact[first..]
        .iter()
        .take_while(|e| e.start < end)
        .any(|e| !(start <= e.start && e.end <= end))
}

/// True when `written` for the `k`th character of `name` is a slip in a name of `entity`: the
/// two kanji share a reading or a shape; for a person, the name written so can still be read
/// as the KB's `reading`, kanji by kanji (a name reading counts: 岩谷毅 reads いわやたけし as
/// 岩屋毅 does; 石破氏 cannot read いしばしげる).
fn slip_for(kb: &Kb, entity: usize, name: &str, k: usize, written: char) -> bool {
    let entity = kb.entity(entity);
    let chars: Vec<char> = name.chars().collect();
    let right = chars[k];
    if entity.kind != EntityKind::Person {
        return kanji_slip(written, right);
    }
    let Some(reading) = entity.reading.as_deref() else {
        return false;
    };
    if !(crate::kb::kanji::share_name_reading(written, right) || crate::kb::kanji::look_alike(written, right)) {
        return false;
    }
    let mut as_written = chars;
    as_written[k] = written;
    let reading: Vec<char> = reading.chars().filter(|c| *c != '・' && *c != ' ').collect();
    reads_as(&as_written, &reading)
}

/// True when `name` can be read as `reading` (hiragana), each kanji by one of its readings
/// (its first kana voiced or not, its last kana doubled into っ), other characters as
/// themselves.
fn reads_as(name: &[char], reading: &[char]) -> bool {
    let Some((&first, rest)) = name.split_first() else {
        return reading.is_empty();
    };
    let Some(readings) = crate::kb::kanji::readings(first) else {
        let own = katakana_to_hiragana(first);
        return reading.first() == Some(&own) && reads_as(rest, &reading[1..]);
    };
    let mut kana: Vec<char> = Vec::new();
    readings.all().any(|r| {
        kana.clear();
        kana.extend(r.chars().map(katakana_to_hiragana));
        let len = kana.len();
        if len == 0 || len > reading.len() {
            return false;
        }
        let same = |a: char, b: char| a == b || base_kana(a) == base_kana(b);
        let fits = same(kana[0], reading[0]) && (len < 3 || kana[1..len - 1] == reading[1..len - 1]);
        let last_fits = len == 1 || kana[len - 1] == reading[len - 1] || reading[len - 1] == 'っ';
        fits && last_fits && reads_as(rest, &reading[len..])
    })
}

/// The kana without its voicing mark (ば → は).
fn base_kana(c: char) -> char {
    let mut first = c;
    unicode_normalization::char::decompose_canonical(c, |d| {
        if first == c {
            first = d;
        }
    });
    first
}
fn katakana_to_hiragana(c: char) -> char {
    match c {
        'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}
