//! The homophone search: a kanji name written with one kanji replaced by another of the same
//! reading or of the same shape (上川陽子 → 上川洋子, 保障 → 保証, 新疆 → 新彊) — the slip an input
//! method makes most. At each place a word may start, the KB's kanji names that keep all but
//! one of their characters there are found in three look-ups of two characters
//! ([`crate::kb::near_miss_index::HomophoneNames`]), and only those are compared with the text.
//!
//! A window must stand as a word: no kanji (or, at a katakana edge, katakana) continues it
//! before, nor after unless a title or an honorific follows (上川洋子外相, 自衛体制 is another
//! word), and a title is not a misspelt body (ロシア国防相 is not ロシア国防省). For a person, the name as written must still read as the KB's `reading`, kanji by
//! kanji (name readings count: 谷 is ヤ as in 渋谷).

use super::candidates::Candidate;
use super::distance::kanji_slip;
use crate::analysis::recognize::titles::{is_title, title_starts};
use crate::base::normalize::{is_kanji, is_katakana_word_char};
use crate::kb::near_miss_index::Kept;
use crate::kb::{EntityKind, Kb};

/// Candidates of one replaced kanji in `norm`, outside the `exact` mentions (normalised ranges,
/// sorted, disjoint).
pub(super) fn homophone_candidates(kb: &Kb, norm: &str, exact: &[std::ops::Range<usize>]) -> Vec<Candidate> {
    let shortest = kb.near_miss.homophones.shortest;
    if shortest == 0 {
        return Vec::new();
    }
    let mut out: Vec<Candidate> = Vec::new();
    let mut found: Vec<Found> = Vec::new();
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
            search_run(kb, norm, run, exact, &mut found, &mut out);
        }
        run_start = run_end;
    }
    out
}

/// A name that differs from the window at `i` in its `k`th character alone.
struct Found {
    len: usize,
    k: usize,
    spelling: u32,
}

fn search_run(
    kb: &Kb,
    norm: &str,
    run: &[(usize, char)],
    exact: &[std::ops::Range<usize>],
    found: &mut Vec<Found>,
    out: &mut Vec<Candidate>,
) {
    let index = &kb.near_miss.homophones;
    let byte_end = |i: usize| {
        run.get(i)
            .map_or_else(|| run[i - 1].0 + run[i - 1].1.len_utf8(), |&(b, _)| b)
    };
    // Candidates are pushed in the order of their start: one starting before the end of the
    // last pushed overlaps it, and nothing more is pushed at its start.
    let mut pushed_end = out.last().map_or(0, |c: &Candidate| c.end);
    for i in 0..run.len().saturating_sub(2) {
        // Nothing of the same script continues the word before the window.
        if i > 0 && same_script(run[i - 1].1, run[i].1) {
            continue;
        }
        let start = run[i].0;
        if start < pushed_end {
            continue;
        }
        found.clear();
        for kept in Kept::ALL {
            let [a, b] = kept.positions();
            let Some(names) = index.by_kept.get(&(kept, run[i + a].1, run[i + b].1)) else {
                continue;
            };
            for &n in names {
                let name = &index.names[n as usize];
                let Some(window) = run.get(i..i + name.chars.len()) else {
                    continue;
                };
                let mut differ = window
                    .iter()
                    .zip(&name.chars[..])
                    .enumerate()
                    .filter(|(_, (w, c))| w.1 != **c);
                if let (Some((k, (w, c))), None) = (differ.next(), differ.next()) {
                    if kept.fits(k) && is_kanji(w.1) && is_kanji(*c) {
                        found.push(Found {
                            len: name.chars.len(),
                            k,
                            spelling: name.spelling,
                        });
                    }
                }
            }
        }
        // Longest first: 新彊ウイグル自治区 is the region's name misspelt, not its short form.
        found.sort_unstable_by_key(|f| (std::cmp::Reverse(f.len), f.k, f.spelling));
        let mut checked_len: Option<(usize, bool)> = None;
        for f in found.iter() {
            let (len, k) = (f.len, f.k);
            let window = &run[i..i + len];
            let end = byte_end(i + len);
            if checked_len.is_some_and(|(l, ok)| l == len && !ok) {
                continue;
            }
            if checked_len.is_none_or(|(l, _)| l != len) {
                let after_ok = match run.get(i + len) {
                    Some(&(_, next)) => !same_script(window[len - 1].1, next) || title_starts(kb, &norm[end..]),
                    None => true,
                };
                let ok = after_ok && !inside_or_across(exact, start, end);
                checked_len = Some((len, ok));
                if !ok {
                    continue;
                }
            }
            // A title written where the name has a homophone of it is the title
            // (ロシア国防相 is the minister, not ロシア国防省 misspelt).
            if (0..=k).any(|j| is_title(kb, &norm[window[j].0..end])) {
                continue;
            }
            let spelling = &kb.spellings[f.spelling as usize];
            if !slip_for(kb, spelling.entity, &spelling.normalized, k, window[k].1) {
                continue;
            }
            if kb.entity(spelling.entity).kind == EntityKind::Place && norm[end..].starts_with('語') {
                continue;
            }
            out.push(Candidate {
                start,
                end,
                spelling: f.spelling as usize,
                cost: 0.5,
                one_kanji: true,
            });
            pushed_end = end;
            break;
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
