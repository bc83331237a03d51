//! What an edited note's pieces (lines, paragraphs) were found to hold, kept from one version
//! of the note to the next: [`PieceMemo`], the per-piece memo the pipeline's memoised stages
//! share (sources per line, the paragraph fingerprints and brackets of the rules).
//!
//! A piece is known by its text. An edit leaves most of a note in place, so the pieces
//! before and after the edit are matched in order (a comparison of their texts, no hashing);
//! only the pieces between are looked up by their text among the old pieces between (a
//! paragraph cut and pasted elsewhere), or made. A value may also depend on what lies outside
//! its text (the mentions recognition found on a line): the caller says whether a remembered
//! value still holds. [`crate::analysis::recognize::memo`] is the same idea for recognition.

use std::collections::HashMap;

/// One value per piece of the last text, in order, with the piece's text.
#[derive(Debug)]
pub struct PieceMemo<V> {
    pieces: Vec<(Box<str>, V)>,
    /// How many values the last call made (the others were remembered).
    made: usize,
}

impl<V> Default for PieceMemo<V> {
    fn default() -> Self {
        PieceMemo {
            pieces: Vec::new(),
            made: 0,
        }
    }
}

impl<V: Clone> PieceMemo<V> {
    /// The value of each of `pieces` (their texts, in order): a remembered one where a piece
    /// of the last call had the same text and `holds(i, value)`, else `make(i)`. Only the
    /// values of this call are kept.
    pub fn values(
        &mut self,
        pieces: &[&str],
        holds: impl Fn(usize, &V) -> bool,
        mut make: impl FnMut(usize) -> V,
    ) -> Vec<V> {
        let mut old = std::mem::take(&mut self.pieces);
        let same = |new: &&str, (old, _): &(Box<str>, V)| **old == **new;
        let prefix = pieces.iter().zip(&old).take_while(|(n, o)| same(n, o)).count();
        let suffix = pieces[prefix..]
            .iter()
            .rev()
            .zip(old[prefix..].iter().rev())
            .take_while(|(n, o)| same(n, o))
            .count();
        let old_suffix = old.split_off(old.len() - suffix);
        let middle: HashMap<Box<str>, V> = old.drain(prefix..).collect();
        let mut kept = old;
        kept.reserve(pieces.len() - kept.len());
        let mut made = 0;
        let mut make = |i: usize| {
            made += 1;
            make(i)
        };
        for (i, (_, value)) in kept.iter_mut().enumerate() {
            if !holds(i, value) {
                *value = make(i);
            }
        }
        for (i, &piece) in pieces.iter().enumerate().take(pieces.len() - suffix).skip(prefix) {
            let value = match middle.get(piece) {
                Some(value) if holds(i, value) => value.clone(),
                _ => make(i),
            };
            kept.push((piece.into(), value));
        }
        let first_of_suffix = pieces.len() - suffix;
        for (j, (piece, mut value)) in old_suffix.into_iter().enumerate() {
            if !holds(first_of_suffix + j, &value) {
                value = make(first_of_suffix + j);
            }
            kept.push((piece, value));
        }
        self.made = made;
        let values = kept.iter().map(|(_, v)| v.clone()).collect();
        self.pieces = kept;
        values
    }

    /// How many values the last call made (the others were remembered).
    pub fn made(&self) -> usize {
        self.made
    }

    /// Forget every piece (what the values were made from changed for all of them).
    pub fn clear(&mut self) {
        self.pieces.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each piece's length, made by counting calls.
    fn lengths(memo: &mut PieceMemo<usize>, pieces: &[&str], holds: impl Fn(usize, &usize) -> bool) -> Vec<usize> {
        memo.values(pieces, holds, |i| pieces[i].len())
    }

    #[test]
    fn unchanged_pieces_are_remembered_wherever_they_move() {
        let mut memo = PieceMemo::default();
        let always = |_: usize, _: &usize| true;
        assert_eq!(lengths(&mut memo, &["a", "bb", "ccc", "dddd"], always), [1, 2, 3, 4]);
        assert_eq!(memo.made(), 4);
        // One piece edited in the middle.
        assert_eq!(lengths(&mut memo, &["a", "bb", "cXcc", "dddd"], always), [1, 2, 4, 4]);
        assert_eq!(memo.made(), 1);
        // Pieces split, merged and moved; the same text twice.
        assert_eq!(
            lengths(&mut memo, &["dddd", "a", "bb", "bb", "cX", "cc", "a"], always),
            [4, 1, 2, 2, 2, 2, 1]
        );
        assert_eq!(
            memo.made(),
            2,
            "dddd, a and bb moved (bb and a twice); only cX and cc are new"
        );
        assert_eq!(lengths(&mut memo, &[], always), Vec::<usize>::new());
        assert_eq!(lengths(&mut memo, &["a"], always), [1]);
        assert_eq!(memo.made(), 1, "nothing is kept of a text no longer there");
    }

    #[test]
    fn a_value_that_no_longer_holds_is_made_again() {
        let mut memo = PieceMemo::default();
        let pieces = ["a", "b", "c", "d", "e"];
        lengths(&mut memo, &pieces, |_, _| true);
        // In the prefix, the middle and the suffix alike.
        let edited = ["a", "b", "X", "d", "e"];
        let values = memo.values(&edited, |i, _| i != 0 && i != 4, |i| edited[i].len() * 10);
        assert_eq!(values, [10, 1, 10, 1, 10]);
        assert_eq!(memo.made(), 3);
        memo.clear();
        lengths(&mut memo, &edited, |_, _| true);
        assert_eq!(memo.made(), 5);
    }
}
