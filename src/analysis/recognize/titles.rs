//! What follows a name: a title (大統領, 外相, 国務長官 / 長官 …), possibly after a place
//! (`トカエフ・カザフスタン大統領`, `ブリンケン米国務長官`) or a separator (`…ンコ・エネルギー相`) and a
//! "former" prefix (元/前), or an
//! honorific (氏, 議員 …). Used by the title rule, by near-miss confirmation and by the
//! unknown-name detector.

use crate::analysis::recognize::Mention;
use crate::base::TextRange;
use crate::kb::{EntityKind, Kb};

/// Words after a name that mark it as a person's name without being a title.
const HONORIFICS: &[&str] = &["氏", "さん", "議員", "政権", "首脳", "夫人", "陣営"];

/// One-character country abbreviations that may stand between a name and its title
/// (ブリンケン米国務長官, ラブロフ露外相).
const COUNTRY_ABBREVIATIONS: &str = "米露中英仏独日韓朝伊印豪加";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AfterName {
    /// A known title.
    Title {
        range: TextRange,
        /// Indices into `Kb::titles` of every title spelt this way (長官 is short for several).
        titles: Vec<usize>,
        /// Written as one of the title's `short` forms (長官 for 国務長官).
        short: bool,
        /// Preceded by 元 or 前.
        former: bool,
    },
    /// A title with a character missing or wrong (`統領` for `大統領`).
    BrokenTitle {
        range: TextRange,
        title: usize,
        expected: String,
    },
    /// An honorific such as 氏.
    Honorific(TextRange),
    Nothing,
}

/// Look at what follows a name ending at byte `pos` of `text`.
pub fn after_name(text: &str, pos: usize, kb: &Kb, mentions: &[Mention]) -> AfterName {
    let mut at = pos;
    // ・<place> or a one-character country abbreviation.
    let rest = &text[at..];
    let after_separator = rest
        .strip_prefix(['・', '＝', '='])
        .map(|r| text.len() - r.len())
        .unwrap_or(at);
    let i = mentions.partition_point(|m| m.range.start < after_separator);
    let abbreviation = rest
        .chars()
        .next()
        .filter(|c| COUNTRY_ABBREVIATIONS.contains(*c) && title_at(kb, &rest[c.len_utf8()..]).is_some());
    if after_separator > at && title_at(kb, &text[after_separator..]).is_some() {
        // ・<title>: a title written as a word of its own (ハルシチェンコ・エネルギー相).
        at = after_separator;
    } else if let Some(c) = abbreviation {
        // 米国務長官 is 米 + 国務長官, not the place 米国 + 務長官.
        at += c.len_utf8();
    } else if let Some(place) = mentions
        .get(i)
        .filter(|m| m.range.start == after_separator && kb.entity(m.entity).kind == EntityKind::Place)
    {
        at = place.range.end;
    }
    let mut former = false;
    for prefix in ["元", "前"] {
        if text[at..].starts_with(prefix) && title_at(kb, &text[at + prefix.len()..]).is_some() {
            at += prefix.len();
            former = true;
        }
    }
    if let Some((len, _, short)) = title_at(kb, &text[at..]) {
        let written = &text[at..at + len];
        let titles = kb
            .title_spellings()
            .iter()
            .filter(|t| t.text == written)
            .map(|t| t.title)
            .collect();
        return AfterName::Title {
            range: TextRange::new(at, at + len),
            titles,
            short,
            former,
        };
    }
    for h in HONORIFICS {
        if text[pos..].starts_with(h) {
            return AfterName::Honorific(TextRange::new(pos, pos + h.len()));
        }
    }
    if let Some((len, title, expected)) = broken_title_at(kb, &text[at..]) {
        return AfterName::BrokenTitle {
            range: TextRange::new(at, at + len),
            title,
            expected,
        };
    }
    AfterName::Nothing
}

/// True when a title spelling starts `text`.
pub fn title_starts(kb: &Kb, text: &str) -> bool {
    title_at(kb, text).is_some()
}

/// True when `text` is a title spelling, whole (国防相, 外務大臣).
pub fn is_title(kb: &Kb, text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    kb.titles_starting_with(first)
        .iter()
        .any(|&i| kb.title_spellings()[i].text == text)
}

/// The longest title spelling at the start of `text`: (byte length, title index, is short form).
fn title_at(kb: &Kb, text: &str) -> Option<(usize, usize, bool)> {
    let first = text.chars().next()?;
    kb.titles_starting_with(first)
        .iter()
        .map(|&i| &kb.title_spellings()[i])
        .find(|t| text.starts_with(t.text.as_str()))
        .map(|t| (t.text.len(), t.title, t.short))
}

/// A title of three or more characters written with its first character missing (統領) or one
/// character replaced (大統頷), where the damaged form is not itself a title.
fn broken_title_at(kb: &Kb, text: &str) -> Option<(usize, usize, String)> {
    let first = text.chars().next()?;
    // Whether a title starts `text` does not depend on the title tried: ask once, lazily.
    let mut title_here: Option<bool> = None;
    let mut no_title_at = |text: &str| *title_here.get_or_insert_with(|| title_at(kb, text).is_none());
    for t in kb
        .damaged_titles_starting_with(first)
        .iter()
        .map(|&i| &kb.title_spellings()[i])
    {
        let title = t.text.as_str();
        let mut title_chars = title.chars();
        let Some(title_first) = title_chars.next() else {
            continue;
        };
        let dropped_first = title_chars.as_str();
        if dropped_first.chars().nth(1).is_none() {
            continue; // fewer than three characters
        }
        if text.starts_with(dropped_first) && no_title_at(text) {
            return Some((dropped_first.len(), t.title, t.text.clone()));
        }
        // One character replaced, the first one kept.
        if first != title_first {
            continue;
        }
        let (mut window_len, mut count, mut differing) = (0, 0, 0);
        for (a, b) in text.chars().zip(title.chars()) {
            window_len += a.len_utf8();
            count += 1;
            differing += usize::from(a != b);
        }
        if count == title.chars().count() && differing == 1 {
            let window_text = &text[..window_len];
            if title_at(kb, window_text).is_none() {
                let after = &text[window_len..];
                // 大統領令 etc. are fine; a damaged title is not followed by more kanji of a word.
                if !after.starts_with(|c: char| crate::base::normalize::is_kanji(c)) {
                    return Some((window_len, t.title, t.text.clone()));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::recognize::recognize;
    use crate::analysis::test_support::test_kb;

    fn after(text: &str, name: &str) -> String {
        let kb = test_kb();
        let r = recognize(text, &kb);
        let end = text.find(name).unwrap() + name.len();
        match after_name(text, end, &kb, &r.mentions) {
            AfterName::Title {
                range,
                titles,
                short,
                former,
            } => format!(
                "title {:?} = {}{}{}",
                range.slice(text),
                titles
                    .iter()
                    .map(|&t| kb.titles[t].name.as_str())
                    .collect::<Vec<_>>()
                    .join("|"),
                if short { " (short)" } else { "" },
                if former { " (former)" } else { "" }
            ),
            AfterName::BrokenTitle { range, expected, .. } => format!("broken {:?} for {expected}", range.slice(text)),
            AfterName::Honorific(r) => format!("honorific {:?}", r.slice(text)),
            AfterName::Nothing => "nothing".into(),
        }
    }

    #[test]
    fn titles_after_names() {
        assert_eq!(after("トカエフ大統領は", "トカエフ"), "title \"大統領\" = 大統領");
        assert_eq!(
            after("トカエフ・カザフスタン大統領が", "トカエフ"),
            "title \"大統領\" = 大統領"
        );
        assert_eq!(
            after("ブリンケン米国務長官と", "ブリンケン"),
            "title \"国務長官\" = 国務長官"
        );
        assert_eq!(
            after("ブリンケン長官は", "ブリンケン"),
            "title \"長官\" = 国務長官 (short)"
        );
        assert_eq!(
            after("ラブロフ元外務大臣", "ラブロフ"),
            "title \"外務大臣\" = 外相 (former)"
        );
        assert_eq!(after("トカエフ氏は", "トカエフ"), "honorific \"氏\"");
        assert_eq!(after("トカエフ統領と会談", "トカエフ"), "broken \"統領\" for 大統領");
        assert_eq!(
            after("トカエフ大統頷と会談", "トカエフ"),
            "broken \"大統頷\" for 大統領"
        );
        assert_eq!(after("トカエフが述べた", "トカエフ"), "nothing");
        assert_eq!(after("トカエフ政権", "トカエフ"), "honorific \"政権\"");
        assert_eq!(after("ラブロフ外相会談", "ラブロフ"), "title \"外相\" = 外相");
        assert_eq!(after("トカエフ・大統領は", "トカエフ"), "title \"大統領\" = 大統領");
    }
}
