//! Names glued where no katakana run shows it: exact mentions that touch where scripts meet,
//! and runs of places with the same administrative suffix. Marked `glued`, for the
//! glued-entities rule.
//!
//! - Katakana against a Latin letter (ブリュッセルNATO): always two names.
//! - Places meeting where kanji meets katakana or Latin (日本ウクライナ中国): glued when three or
//!   more touch; two are an address as often as a list (英国ロンドン, 米国カリフォルニア州).
//! - Places that share a suffix (ドネツク州ルハンスク州, 広島県長崎県): peers listed without a
//!   separator, never an address; a suffixed place followed by one without that suffix is an
//!   address (ドネツク州マリウポリ, ワシントン州シアトル) and joins nothing.

use super::{char_after, char_before, Mention};
use crate::base::normalize::{is_kanji, is_katakana_word_char};
use crate::base::TextRange;
use crate::kb::{EntityKind, Kb};

/// The suffixes of administrative divisions: a place spelt with one is a division of the place
/// before it, or a peer of another with the same suffix.
const DIVISION_SUFFIXES: &str = "州省県市";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Link {
    None,
    /// Two places with the same division suffix.
    SameSuffix,
    /// Two places where kanji meets katakana or Latin.
    ScriptChange,
}

/// Mark the mentions of `mentions` (sorted, non-overlapping) that are glued to a neighbour.
pub(super) fn mark_glued_neighbours(text: &str, kb: &Kb, mentions: &mut [Mention]) {
    for i in 1..mentions.len() {
        let (a, b) = (mentions[i - 1].range, mentions[i].range);
        if a.end != b.start {
            continue;
        }
        let (Some(left), Some(right)) = (char_before(text, a.end), char_after(text, b.start)) else {
            continue;
        };
        let katakana_latin = |x: char, y: char| is_katakana_word_char(x) && y.is_ascii_alphabetic();
        if katakana_latin(left, right) || katakana_latin(right, left) {
            mentions[i - 1].glued = true;
            mentions[i].glued = true;
        }
    }
    let links: Vec<Link> = (1..mentions.len())
        .map(|i| link(text, kb, &mentions[i - 1], &mentions[i]))
        .collect();
    let mut i = 0;
    while i < links.len() {
        if links[i] == Link::None {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < links.len() && links[j] != Link::None {
            j += 1;
        }
        // Links i..j join mentions i..=j.
        let names = j - i + 1;
        if names >= 3 || links[i..j].iter().all(|l| *l == Link::SameSuffix) {
            for m in &mut mentions[i..=j] {
                m.glued = true;
            }
        }
        i = j;
    }
}

/// True when the names at `a` and `b` touch: nothing between them, or only the suffix that
/// the first is written with (広島|県|長崎県, the KB spelling 広島 without it).
pub fn touching(text: &str, a: TextRange, b: TextRange) -> bool {
    a.end == b.start || (a.end < b.start && suffix_between(text, a, b).is_some())
}

/// The end of a run of touching names ending at `last`: past the suffix the names were joined
/// by, when the last one is written with it too (広島県長崎|県|).
pub fn run_end(text: &str, first: TextRange, second: TextRange, last: TextRange) -> usize {
    match (suffix_between(text, first, second), char_after(text, last.end)) {
        (Some(x), Some(y)) if x == y => last.end + y.len_utf8(),
        _ => last.end,
    }
}

fn suffix_between(text: &str, a: TextRange, b: TextRange) -> Option<char> {
    let mut between = text.get(a.end..b.start)?.chars();
    let c = between.next().filter(|c| DIVISION_SUFFIXES.contains(*c))?;
    between.next().is_none().then_some(c)
}

fn link(text: &str, kb: &Kb, a: &Mention, b: &Mention) -> Link {
    let place = |m: &Mention| kb.entity(m.entity).kind == EntityKind::Place;
    if !touching(text, a.range, b.range) || !place(a) || !place(b) {
        return Link::None;
    }
    // A place and the suffix after it (広島 + 県), as written.
    let with_suffix = |r: TextRange| {
        let end = char_after(text, r.end)
            .filter(|c| DIVISION_SUFFIXES.contains(*c))
            .map_or(r.end, |c| r.end + c.len_utf8());
        &text[r.start..end]
    };
    let (written_a, written_b) = (with_suffix(a.range), with_suffix(b.range));
    let suffix = |w: &str| {
        w.chars()
            .next_back()
            .filter(|c| DIVISION_SUFFIXES.contains(*c) && w.chars().count() >= 3)
    };
    match (suffix(written_a), suffix(written_b)) {
        (Some(x), Some(y)) if x == y => return Link::SameSuffix,
        (Some(_), _) => return Link::None,
        _ => {}
    }
    let (Some(left), Some(right)) = (written_a.chars().next_back(), written_b.chars().next()) else {
        return Link::None;
    };
    let other_script = |c: char| is_katakana_word_char(c) || c.is_ascii_alphabetic();
    if (is_kanji(left) && other_script(right)) || (other_script(left) && is_kanji(right)) {
        Link::ScriptChange
    } else {
        Link::None
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::recognize::recognize;
    use crate::kb::Kb;

    fn glued(text: &str) -> Vec<&str> {
        let kb = Kb::builtin();
        recognize(text, &kb)
            .mentions
            .iter()
            .filter(|m| m.glued)
            .map(|m| m.range.slice(text))
            .collect()
    }

    #[test]
    fn three_places_across_scripts_are_glued() {
        assert_eq!(
            glued("会合には日本ウクライナ中国が参加した。"),
            ["日本", "ウクライナ", "中国"]
        );
        assert_eq!(
            glued("会合には北京モスクワ東京の代表が集まった。"),
            ["北京", "モスクワ", "東京"]
        );
    }

    #[test]
    fn two_places_across_scripts_may_be_an_address() {
        assert!(glued("英国ロンドンで開かれ、中国北京と日本東京を結ぶ。").is_empty());
        assert!(glued("トルコ黒海沿岸の港").is_empty());
    }

    #[test]
    fn places_with_the_same_suffix_are_peers_glued() {
        assert_eq!(
            glued("ロシアはドネツク州ルハンスク州ザポリージャ州の併合を宣言した。"),
            ["ドネツク州", "ルハンスク州", "ザポリージャ州"]
        );
        // The KB spells them 広島 and 長崎: the suffix stands between the mentions.
        assert_eq!(glued("大雨は広島県長崎県に及んだ。"), ["広島", "長崎"]);
    }

    #[test]
    fn a_suffixed_place_before_another_is_an_address() {
        assert!(glued("ドネツク州マリウポリとザポリージャ州メリトポリで").is_empty());
        assert!(glued("米国ワシントン州シアトルの港").is_empty());
    }
}
