//! The near-miss index of a KB, built once per KB: a symmetric-deletion index of every
//! katakana spelling (one deletion, two for long names) and, for longer spellings that
//! contain kanji, their two-character prefixes with the spellings that share each. The
//! search that uses it is `analysis::recognize::near_miss`.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::Spelling;
use crate::base::normalize::{is_kanji, is_katakana_word_char};

/// Index of KB spellings for near-miss lookup, built once per KB.
#[derive(Debug)]
pub struct NearMissIndex {
    /// Deletion variant of a katakana spelling → spelling indices.
    pub(crate) deletions: HashMap<String, Vec<u32>>,
    /// Two-character prefixes of kanji-bearing spellings (pattern i ↔ `anchored[i]`).
    pub(crate) prefixes: Option<AhoCorasick>,
    pub(crate) anchored: Vec<AnchoredGroup>,
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

/// Spellings at least this long (in chars) get two deletions in the katakana index.
pub(crate) const TWO_EDIT_LEN: usize = 7;
/// Kanji-bearing spellings at least this long are searched for near misses.
const MIN_ANCHORED_LEN: usize = 5;

impl NearMissIndex {
    pub fn new(spellings: &[Spelling]) -> Self {
        let mut deletions: HashMap<String, Vec<u32>> = HashMap::new();
        let mut prefix_of: HashMap<String, Vec<Anchored>> = HashMap::new();
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
