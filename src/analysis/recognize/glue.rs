//! Names glued where no katakana run shows it: exact mentions that touch where scripts meet,
//! and runs of places with the same administrative suffix. Marked `glued`, for the
//! glued-entities rule.
//!
//! - Katakana against a Latin letter (ブリュッセルNATO): always two names.
//! - Places meeting where kanji meets katakana or Latin (日本ウクライナ中国): glued when three or
//!   more touch, or when one of the two is already part of a glued list (米国|カナダメキシコ,
//!   エジプトスーダン|南スーダン); two alone are an address as often as a list (英国ロンドン,
//!   米国カリフォルニア州).
//! - Two states in kanji (日本中国, 米国英国: countries the KB gives a president, prime minister
//!   or monarch), when no kanji touches the pair (日本中国友好協会, 西日本中国 are compounds); a
//!   state before a city is an address (中国北京), one-kanji forms are abbreviations (米中, 日米韓).
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
    /// Two states (a country the KB gives a head of state or government) written in kanji.
    KanjiStates,
}

/// The titles that make a place a state for kanji–kanji gluing: a country the KB gives a
/// president, prime minister or monarch. 台湾 (総統) and 香港 are left out on purpose, so
/// 中国台湾 and 中国香港, which are written so, are never a glued pair.
const HEAD_TITLES: &[&str] = &["大統領", "首相", "国王"];

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
    // Glued already (a tiled katakana run, katakana against Latin): a list, so a place touching
    // it across scripts belongs to that list and is no address (米国カナダメキシコ).
    let listed: Vec<bool> = mentions.iter().map(|m| m.glued).collect();
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
        let states = links[i..j].iter().all(|l| *l == Link::KanjiStates);
        if names >= 3
            || links[i..j].iter().all(|l| *l == Link::SameSuffix)
            || listed[i..=j].contains(&true)
            || (states && stands_alone(text, mentions[i].range.start, mentions[j].range.end))
        {
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

/// True when no kanji touches `start..end` on either side: the run is a word of its own, not
/// part of a compound (西日本中国, 日本中国友好協会, 在日韓国朝鮮人 stay silent).
fn stands_alone(text: &str, start: usize, end: usize) -> bool {
    !char_before(text, start).is_some_and(is_kanji) && !char_after(text, end).is_some_and(is_kanji)
}

/// True when the KB gives the place `id` a head of state or government ([`HEAD_TITLES`]).
/// Asked only of two kanji places touching, so a scan of the roles is cheap enough.
fn is_state(kb: &Kb, id: crate::kb::EntityId) -> bool {
    let id = kb.entity(id).id.as_str();
    kb.entities.iter().any(|e| {
        e.roles
            .iter()
            .any(|r| r.of.as_deref() == Some(id) && HEAD_TITLES.contains(&r.title.as_str()))
    })
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
    // Two states in kanji, neither an abbreviation (米中, 日米韓 join one-kanji forms).
    let kanji_name = |r: TextRange| {
        let name = r.slice(text);
        name.chars().count() >= 2 && name.chars().all(is_kanji)
    };
    if a.range.end == b.range.start
        && kanji_name(a.range)
        && kanji_name(b.range)
        && is_state(kb, a.entity)
        && is_state(kb, b.entity)
    {
        return Link::KanjiStates;
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
    fn a_place_touching_a_glued_list_across_scripts_joins_it() {
        assert_eq!(glued("米国カナダメキシコの3カ国協定"), ["米国", "カナダ", "メキシコ"]);
        assert_eq!(
            glued("エジプトスーダン南スーダンを結ぶ"),
            ["エジプト", "スーダン", "南スーダン"]
        );
    }

    #[test]
    fn two_states_in_kanji_are_glued_when_they_stand_as_a_word() {
        assert_eq!(glued("会合には日本中国の代表が出席した。"), ["日本", "中国"]);
        assert_eq!(glued("米国英国、フランス"), ["米国", "英国"]);
        assert_eq!(glued("日本中国韓国の3カ国"), ["日本", "中国", "韓国"]);
    }

    #[test]
    fn kanji_compounds_of_places_are_not_glued() {
        for clean in [
            "中国地方と四国、日本国内の英国王室ファン",
            "中国共産党と韓国人、米中と日米韓の首脳",
            "西日本中国の販売網",
            "日本中国友好協会の会長",
            "中国台湾地区と中国香港の代表",
            "中国北京と日本東京を結ぶ",
        ] {
            assert!(glued(clean).is_empty(), "{clean}: {:?}", glued(clean));
        }
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
