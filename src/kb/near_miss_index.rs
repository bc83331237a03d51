//! The near-miss index of a KB, built once per KB: a symmetric-deletion index of every
//! katakana spelling (one deletion, two for names of [`TWO_EDIT_LEN`] to [`TWO_EDIT_MAX_LEN`]
//! characters, so that a spelling costs at most a few hundred variants) and, for longer spellings that
//! contain kanji, their two-character prefixes with the spellings that share each, and every
//! kanji-bearing name with one kanji blanked out (for a kanji replaced by a homophone). The
//! search that uses it is `analysis::recognize::near_miss`.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::{Spelling, SpellingKind};
use crate::base::normalize::{is_kanji, is_katakana_word_char};

/// Index of KB spellings for near-miss lookup, built once per KB.
#[derive(Debug)]
pub struct NearMissIndex {
    /// Deletion variant of a katakana spelling → spelling indices.
    pub(crate) deletions: HashMap<String, Vec<u32>>,
    /// Two-character prefixes of kanji-bearing spellings (pattern i ↔ `anchored[i]`).
    pub(crate) prefixes: Option<AhoCorasick>,
    pub(crate) anchored: Vec<AnchoredGroup>,
    /// The longest katakana spelling indexed, in chars: a word more than two characters longer
    /// has no deletion variant in common with any.
    pub(crate) longest_katakana: usize,
    /// Kanji-bearing names and aliases, for the homophone search.
    pub(crate) homophones: HomophoneNames,
}

/// Kanji-bearing spellings of this many characters and more are searched for one replaced kanji…
const MIN_BLANKED_LEN: usize = 3;
/// … up to this many.
pub(crate) const MAX_BLANKED_LEN: usize = 16;

/// The names and aliases of [`MIN_BLANKED_LEN`] to [`MAX_BLANKED_LEN`] characters, all kanji
/// or katakana with at least one kanji, indexed by what a window of the text shares with them
/// when one of their kanji is written otherwise: a name whose `k`th kanji is replaced keeps
/// its first two characters when `k ≥ 2`, its second and third when `k = 0`, its first and
/// third when `k = 1`. So a window is three look-ups of two characters each, and only the
/// names that keep all but one character are compared with it, each once.
#[derive(Debug, Default)]
pub struct HomophoneNames {
    /// The names, in spelling order.
    pub(crate) names: Vec<HomophoneName>,
    /// [`Kept`] and its two characters → the indices into `names` of the names it fits, ascending.
    pub(crate) by_kept: foldhash::HashMap<(Kept, char, char), Vec<u32>>,
    /// The shortest name, in characters (0 when there is none).
    pub(crate) shortest: usize,
}

/// Which two of a name's first three characters a key of [`HomophoneNames::by_kept`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kept {
    /// The first and the second: a kanji from the third on is replaced.
    FirstSecond,
    /// The second and the third: the first is replaced.
    SecondThird,
    /// The first and the third: the second is replaced.
    FirstThird,
}

impl Kept {
    /// The two positions kept, and whether a name replaced at `k` keeps them.
    pub(crate) fn positions(self) -> [usize; 2] {
        match self {
            Kept::FirstSecond => [0, 1],
            Kept::SecondThird => [1, 2],
            Kept::FirstThird => [0, 2],
        }
    }
    pub(crate) fn fits(self, k: usize) -> bool {
        match self {
            Kept::FirstSecond => k >= 2,
            Kept::SecondThird => k == 0,
            Kept::FirstThird => k == 1,
        }
    }
    pub(crate) const ALL: [Kept; 3] = [Kept::FirstSecond, Kept::SecondThird, Kept::FirstThird];
}

/// One name of [`HomophoneNames`].
#[derive(Debug)]
pub(crate) struct HomophoneName {
    pub(crate) spelling: u32,
    pub(crate) chars: Box<[char]>,
}

impl HomophoneNames {
    fn new(spellings: &[Spelling]) -> Self {
        let mut index = HomophoneNames::default();
        for (i, s) in spellings.iter().enumerate() {
            let chars: Box<[char]> = s.normalized.chars().collect();
            if !matches!(s.kind, SpellingKind::Name | SpellingKind::Alias)
                || !(MIN_BLANKED_LEN..=MAX_BLANKED_LEN).contains(&chars.len())
                || !chars.iter().all(|&c| is_kanji(c) || is_katakana_word_char(c))
                || !chars.iter().any(|&c| is_kanji(c))
            {
                continue;
            }
            let at = index.names.len() as u32;
            for kept in Kept::ALL {
                if (0..chars.len()).any(|k| kept.fits(k) && is_kanji(chars[k])) {
                    let [a, b] = kept.positions();
                    index.by_kept.entry((kept, chars[a], chars[b])).or_default().push(at);
                }
            }
            index.shortest = if index.names.is_empty() {
                chars.len()
            } else {
                index.shortest.min(chars.len())
            };
            index.names.push(HomophoneName {
                spelling: i as u32,
                chars,
            });
        }
        index
    }
}

/// The kanji-bearing spellings that share a prefix.
#[derive(Debug)]
pub(crate) struct AnchoredGroup {
    pub(crate) spellings: Vec<Anchored>,
    /// (last two characters, index into `spellings`), sorted: a window whose end matches no
    /// spelling's is not looked at further.
    pub(crate) by_suffix: Vec<([char; 2], usize)>,
    /// The longest spelling, in characters.
    pub(crate) longest: usize,
}

impl AnchoredGroup {
    fn new(spellings: Vec<Anchored>) -> Self {
        let mut by_suffix: Vec<([char; 2], usize)> = spellings
            .iter()
            .enumerate()
            .map(|(i, a)| ([a.chars[a.chars.len() - 2], a.chars[a.chars.len() - 1]], i))
            .collect();
        by_suffix.sort_unstable();
        let longest = spellings.iter().map(|a| a.chars.len()).max().unwrap_or(0);
        AnchoredGroup {
            spellings,
            by_suffix,
            longest,
        }
    }
}

/// A kanji-bearing spelling searched from its prefix, with what the search compares.
#[derive(Debug)]
pub(crate) struct Anchored {
    pub(crate) spelling: u32,
    pub(crate) chars: Box<[char]>,
}

/// Spellings at least this long (in chars) get two deletions in the katakana index…
pub(crate) const TWO_EDIT_LEN: usize = 7;
/// … up to this long: the two-deletion variants of a spelling of n chars are n²/2 strings of
/// n chars, so longer spellings (rare: names are rarely over a dozen kana) get one deletion.
pub(crate) const TWO_EDIT_MAX_LEN: usize = 16;
/// Kanji-bearing spellings at least this long are searched for near misses.
const MIN_ANCHORED_LEN: usize = 5;

impl NearMissIndex {
    pub fn new(spellings: &[Spelling]) -> Self {
        let mut deletions: HashMap<String, Vec<u32>> = HashMap::new();
        let mut prefix_of: HashMap<String, Vec<Anchored>> = HashMap::new();
        let mut longest_katakana = 0;
        for (i, s) in spellings.iter().enumerate() {
            let chars: Vec<char> = s.normalized.chars().collect();
            if chars.len() >= 3 && chars.iter().all(|&c| is_katakana_word_char(c)) {
                longest_katakana = longest_katakana.max(chars.len());
                let max_deleted = if (TWO_EDIT_LEN..=TWO_EDIT_MAX_LEN).contains(&chars.len()) {
                    2
                } else {
                    1
                };
                for variant in deletion_variants(&chars, max_deleted) {
                    let entry = deletions.entry(variant).or_default();
                    if !entry.contains(&(i as u32)) {
                        entry.push(i as u32);
                    }
                }
            } else if chars.len() >= MIN_ANCHORED_LEN && chars.iter().any(|&c| is_kanji(c)) {
                prefix_of
                    .entry(chars[..2].iter().collect())
                    .or_default()
                    .push(Anchored {
                        spelling: i as u32,
                        chars: chars.into(),
                    });
            }
        }
        let (patterns, anchored): (Vec<String>, Vec<AnchoredGroup>) = prefix_of
            .into_iter()
            .map(|(p, group)| (p, AnchoredGroup::new(group)))
            .unzip();
        let prefixes = (!patterns.is_empty()).then(|| {
            // A few hundred two-character patterns: a DFA is small and scans fastest.
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&patterns)
                .expect("prefixes compile")
        });
        NearMissIndex {
            deletions,
            prefixes,
            anchored,
            longest_katakana,
            homophones: HomophoneNames::new(spellings),
        }
    }
}

/// The string itself and every string obtained by deleting up to `max` characters.
pub(crate) fn deletion_variants(chars: &[char], max: usize) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use crate::kb::{parse_kb_file, Kb};

    #[test]
    fn a_spelling_too_long_is_reported_at_its_line_and_its_entity_kept_without_it() {
        let long: String = (0..800u32)
            .map(|i| char::from_u32(0x30A2 + (i * 7) % 80).unwrap())
            .collect();
        let text = format!("[[entity]]\nid = \"x\"\nkind = \"person\"\nname = \"{long}\"\naliases = [\"エックス\"]\n");
        let file = parse_kb_file("t.toml", &text).expect("the file stays usable");
        let (kb, errors) = Kb::build(vec![file]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].range.slice(&text), format!("\"{long}\""));
        assert_eq!(
            errors[0].message,
            "spelling of 800 characters is too long to match (at most 64); the entity is kept without it"
        );
        assert!(
            kb.lookup("エックス").is_some(),
            "the entity and its other spellings are kept"
        );
        assert!(kb.lookup(&long).is_none());
        assert!(kb.near_miss.deletions.len() < 10, "{}", kb.near_miss.deletions.len());
    }

    #[test]
    fn long_spellings_get_one_deletion_short_ones_two() {
        let spelling = |n: u32| -> String { (0..n).map(|i| char::from_u32(0x30A2 + i % 80).unwrap()).collect() };
        let entities: String = [(8, "a"), (17, "b"), (64, "c")]
            .iter()
            .map(|(n, id)| {
                format!(
                    "[[entity]]\nid = \"{id}\"\nkind = \"person\"\nname = \"{}\"\n",
                    spelling(*n)
                )
            })
            .collect();
        let (kb, errors) = Kb::build(vec![parse_kb_file("t.toml", &entities).unwrap()]);
        assert!(errors.is_empty(), "{errors:?}");
        // 1 + 8 + 28 variants of the 8-character name, 1 + 17 and 1 + 64 of the others.
        assert_eq!(kb.near_miss.deletions.len(), 37 + 18 + 65);
        assert_eq!(kb.near_miss.longest_katakana, 64);
    }
}
