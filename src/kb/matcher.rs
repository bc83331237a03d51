//! The compiled name matcher: every normalised KB spelling in two Aho–Corasick automata —
//! leftmost-longest for the main pass, overlapping for re-segmenting katakana runs in which
//! names were glued together.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::Spelling;

#[derive(Debug)]
pub struct Matcher {
    longest: AhoCorasick,
    overlapping: AhoCorasick,
    /// Pattern index → spelling index (they are the same order; kept explicit for clarity).
    spelling_of_pattern: Vec<usize>,
}

/// A raw match in normalised text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawMatch {
    pub start: usize,
    pub end: usize,
    pub spelling: usize,
}

impl Matcher {
    pub fn new(spellings: &[Spelling]) -> Self {
        let patterns: Vec<&str> = spellings.iter().map(|s| s.normalized.as_str()).collect();
        let build = |kind| {
            AhoCorasickBuilder::new()
                .match_kind(kind)
                .build(&patterns)
                .expect("KB spellings compile into an automaton")
        };
        Matcher {
            longest: build(MatchKind::LeftmostLongest),
            overlapping: build(MatchKind::Standard),
            spelling_of_pattern: (0..spellings.len()).collect(),
        }
    }

    /// Non-overlapping, leftmost-longest matches.
    pub fn find_longest<'a>(&'a self, text: &'a str) -> impl Iterator<Item = RawMatch> + 'a {
        self.longest.find_iter(text).map(|m| RawMatch {
            start: m.start(),
            end: m.end(),
            spelling: self.spelling_of_pattern[m.pattern().as_usize()],
        })
    }

    /// Every match, overlapping ones included, within `text[window]`, in absolute offsets.
    pub fn find_all_in(&self, text: &str, window: std::ops::Range<usize>) -> Vec<RawMatch> {
        let base = window.start;
        self.overlapping
            .find_overlapping_iter(&text[window])
            .map(|m| RawMatch {
                start: base + m.start(),
                end: base + m.end(),
                spelling: self.spelling_of_pattern[m.pattern().as_usize()],
            })
            .collect()
    }
}
