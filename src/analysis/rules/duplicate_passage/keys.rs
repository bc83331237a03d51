//! Each paragraph's comparison key, made once per analysis: [`PassageKeys`], read by both
//! halves of the rule and by the note's fingerprints ([`super::note_passages`]), and kept per
//! paragraph from one version of an edited note to the next ([`PassageMemo`]).
//!
//! A key is the paragraph's normalised text with its whitespace folded ([`super::passage_key`]),
//! with its [fingerprint](super::across::fingerprint) and whether it is substantial
//! ([`super::is_substantial`]). All three are functions of the paragraph's normalised text, so
//! the memo knows a paragraph by that text and a remembered key always holds.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use super::across::fingerprint;
use super::{is_substantial, passage_key};
use crate::analysis::layout::Layout;
use crate::analysis::pieces::PieceMemo;
use crate::base::normalize::NormalizedText;

/// One paragraph's key.
#[derive(Debug)]
pub struct PassageKey {
    /// The key when it is not the paragraph's normalised text as it stands.
    folded: Option<Box<str>>,
    pub fingerprint: u64,
    pub substantial: bool,
}

/// The paragraphs' keys remembered for the next version of a note.
pub type PassageMemo = PieceMemo<Arc<PassageKey>>;

/// The key of every paragraph of a note, in order.
#[derive(Debug)]
pub struct PassageKeys<'a> {
    normalized: &'a NormalizedText,
    layout: &'a Layout,
    keys: Vec<Arc<PassageKey>>,
}

impl<'a> PassageKeys<'a> {
    /// The keys of the paragraphs of `layout`.
    pub fn of(text: &str, layout: &'a Layout, normalized: &'a NormalizedText) -> Self {
        let keys = (0..layout.paragraphs.len())
            .map(|i| Arc::new(PassageKey::of(text, layout, normalized, i)))
            .collect();
        PassageKeys {
            normalized,
            layout,
            keys,
        }
    }

    /// [`PassageKeys::of`], remembered paragraphs taken from `memo`.
    pub fn with_memo(text: &str, layout: &'a Layout, normalized: &'a NormalizedText, memo: &mut PassageMemo) -> Self {
        // A paragraph whose range does not map onto the normalised text (a combining mark
        // after its end joins its line break) has its own key, made again every time.
        let slices: Vec<&str> = (layout.paragraphs.iter())
            .map(|p| normalized.normalized_slice(p.range).unwrap_or(""))
            .collect();
        let mapped = |i: usize| normalized.normalized_slice(layout.paragraphs[i].range).is_some();
        let keys = memo.values(
            &slices,
            |i, _| mapped(i),
            |i| Arc::new(PassageKey::of(text, layout, normalized, i)),
        );
        PassageKeys {
            normalized,
            layout,
            keys,
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Paragraph `i`'s key.
    pub fn get(&self, i: usize) -> &PassageKey {
        &self.keys[i]
    }

    /// Paragraph `i`'s key text.
    pub fn text(&self, i: usize) -> &str {
        match &self.keys[i].folded {
            Some(folded) => folded,
            None => self
                .normalized
                .normalized_slice(self.layout.paragraphs[i].range)
                .unwrap_or(""),
        }
    }

    /// Paragraphs `i` and `j` have the same key.
    pub fn same(&self, i: usize, j: usize) -> bool {
        self.keys[i].fingerprint == self.keys[j].fingerprint && self.text(i) == self.text(j)
    }

    /// Paragraph `i`'s key, to look up by (hashed by its fingerprint, compared by its text).
    pub fn lookup(&self, i: usize) -> Lookup<'_> {
        Lookup {
            fingerprint: self.keys[i].fingerprint,
            text: self.text(i),
        }
    }
}

impl PassageKey {
    fn of(text: &str, layout: &Layout, normalized: &NormalizedText, i: usize) -> PassageKey {
        let range = layout.paragraphs[i].range;
        let slice = normalized.normalized_slice(range);
        let key = passage_key(slice, range.slice(text));
        let folded = match (&key, slice) {
            (std::borrow::Cow::Borrowed(_), Some(_)) => None,
            _ => Some(key.as_ref().into()),
        };
        PassageKey {
            fingerprint: fingerprint(&key),
            substantial: is_substantial(&key),
            folded,
        }
    }
}

/// A key in a hash map: hashed by its fingerprint (already a hash), equal by its text.
#[derive(Clone, Copy, Debug)]
pub struct Lookup<'a> {
    fingerprint: u64,
    text: &'a str,
}

impl PartialEq for Lookup<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.fingerprint == other.fingerprint && self.text == other.text
    }
}

impl Eq for Lookup<'_> {}

impl Hash for Lookup<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.fingerprint);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each paragraph's key text, fingerprint and substance.
    fn listed(keys: &PassageKeys) -> Vec<(String, u64, bool)> {
        (0..keys.len())
            .map(|i| {
                (
                    keys.text(i).to_string(),
                    keys.get(i).fingerprint,
                    keys.get(i).substantial,
                )
            })
            .collect()
    }

    #[test]
    fn remembered_keys_are_the_keys_and_an_edit_makes_one() {
        let sentence = "ロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。";
        let text = format!("{sentence}\n\n見出し\n\n{sentence}　 ｶﾅ\n\n{sentence}\n");
        let mut memo = PassageMemo::default();
        for text in [
            text.clone(),
            format!("前置き。\n{text}"),
            text.replacen("見出し", "見出しだ", 1),
        ] {
            let (layout, normalized) = (Layout::parse(&text), NormalizedText::new(&text));
            let fresh = PassageKeys::of(&text, &layout, &normalized);
            let remembered = PassageKeys::with_memo(&text, &layout, &normalized, &mut memo);
            assert_eq!(listed(&remembered), listed(&fresh));
            let last = fresh.len() - 1;
            assert!(
                fresh.same(last, last - 3) && !fresh.same(last, last - 1),
                "{:?}",
                listed(&fresh)
            );
        }
        assert_eq!(memo.made(), 1, "the one edited paragraph");
    }
}
