//! What the workspace mentions: one tally, per entity, of its mentions across every note.
//!
//! [`WorkspaceFacts`] is what one note's analysis may know about the others — how often each
//! entity is named exactly (its KB name, an alias or a deprecated spelling) across the
//! workspace, which confirms near misses (トカレフ is reported when トカエフ is named
//! somewhere) — and, for the editor, how often it is mentioned at all (near misses and
//! listed misspellings included) and in how many notes. `check` fills it in its first pass;
//! the analysis host keeps it up to date as notes change, note by note ([`NoteTally`]).
//!
//! Beside it, the [`PassageIndex`]: the fingerprint of every substantial paragraph of every
//! note ([`NotePassages`], made by the `duplicate-passage` rule's own normalisation), so that a
//! passage pasted into two notes is found by one look-up per paragraph — linear in the vault,
//! no pairwise comparison. It keeps hashes and (note, lines) only; a paragraph found in more
//! than [`BOILERPLATE_NOTES`] notes is a header or footer, never a duplicate.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use crate::base::FileId;
use crate::kb::{EntityId, Kb};

/// Mentions per entity across a workspace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkspaceFacts {
    /// Exact mentions (KB spellings that are not listed misspellings).
    exact: Vec<u32>,
    /// Every mention.
    all: Vec<u32>,
    /// Notes that mention the entity.
    files: Vec<u32>,
    /// Every note's paragraph fingerprints (shared: snapshots copy it only when it changes).
    pub passages: Arc<PassageIndex>,
}

/// A paragraph found in more notes than this is boilerplate (a blog's header or footer).
pub const BOILERPLATE_NOTES: usize = 8;

/// One note's substantial paragraphs: (fingerprint, first line, last line), in text order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NotePassages(pub Vec<(u64, u32, u32)>);

/// Where a fingerprinted paragraph is: a note (by its number in the index) and its lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Copy {
    note: u32,
    first_line: u32,
    last_line: u32,
}

/// Another note's copy of a paragraph: the note, its first and last line (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OtherCopy<'a> {
    pub file: &'a FileId,
    pub first_line: u32,
    pub last_line: u32,
}

/// The paragraph fingerprints of every note of the workspace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PassageIndex {
    notes: Vec<FileId>,
    numbers: HashMap<FileId, u32>,
    copies: HashMap<u64, Vec<Copy>, BuildHasherDefault<FingerprintHasher>>,
}

/// Hashes a paragraph fingerprint — a 64-bit hash already — with one multiplication instead
/// of SipHash (the index holds every paragraph of the vault; a warm start adds them all at
/// once).
#[derive(Default)]
struct FingerprintHasher(u64);

impl Hasher for FingerprintHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0 ^ v).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn finish(&self) -> u64 {
        // hashbrown takes its control bits from the top and its bucket from the bottom.
        self.0 ^ (self.0 >> 32)
    }
}

impl PassageIndex {
    /// Add (or with `remove`, take away) the paragraphs of `file`.
    pub fn add(&mut self, file: &FileId, passages: &NotePassages, remove: bool) {
        if passages.0.is_empty() {
            return;
        }
        let note = match self.numbers.get(file) {
            Some(&n) => n,
            None if remove => return,
            None => {
                let n = self.notes.len() as u32;
                self.notes.push(file.clone());
                self.numbers.insert(file.clone(), n);
                n
            }
        };
        for &(hash, first_line, last_line) in &passages.0 {
            let copy = Copy {
                note,
                first_line,
                last_line,
            };
            if remove {
                if let Some(copies) = self.copies.get_mut(&hash) {
                    if let Some(i) = copies.iter().position(|c| *c == copy) {
                        copies.swap_remove(i);
                    }
                    if copies.is_empty() {
                        self.copies.remove(&hash);
                    }
                }
            } else {
                self.copies.entry(hash).or_default().push(copy);
            }
        }
    }

    /// The copies of the paragraph `hash` in notes other than `file`, first by note name
    /// then line; none for boilerplate.
    pub fn elsewhere(&self, hash: u64, file: &FileId) -> Vec<OtherCopy<'_>> {
        let Some(copies) = self.copies.get(&hash) else {
            return Vec::new();
        };
        let mut notes: Vec<u32> = copies.iter().map(|c| c.note).collect();
        notes.sort_unstable();
        notes.dedup();
        if notes.len() > BOILERPLATE_NOTES {
            return Vec::new();
        }
        let own = self.numbers.get(file).copied();
        let mut out: Vec<OtherCopy> = copies
            .iter()
            .filter(|c| Some(c.note) != own)
            .map(|c| OtherCopy {
                file: &self.notes[c.note as usize],
                first_line: c.first_line,
                last_line: c.last_line,
            })
            .collect();
        out.sort_by(|a, b| (a.file, a.first_line).cmp(&(b.file, b.first_line)));
        out
    }

    /// Whether a paragraph `hash` is in a note other than `file` (boilerplate included).
    pub fn in_other_notes(&self, hash: u64, file: &FileId) -> bool {
        let own = self.numbers.get(file).copied();
        self.copies
            .get(&hash)
            .is_some_and(|copies| copies.iter().any(|c| Some(c.note) != own))
    }

    /// How many fingerprints are kept.
    pub fn len(&self) -> usize {
        self.copies.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.copies.is_empty()
    }
}

/// One note's contribution to the [`WorkspaceFacts`]: per entity, (mentions, exact mentions),
/// sorted by entity.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoteTally(pub Vec<(EntityId, u32, u32)>);

impl NoteTally {
    /// Tally mentions given as (entity, exact) pairs.
    pub fn of(mentions: impl IntoIterator<Item = (EntityId, bool)>) -> NoteTally {
        let mut counts: Vec<(EntityId, u32, u32)> = Vec::new();
        let mut pairs: Vec<(EntityId, bool)> = mentions.into_iter().collect();
        pairs.sort_unstable();
        for (entity, exact) in pairs {
            match counts.last_mut() {
                Some(last) if last.0 == entity => {
                    last.1 += 1;
                    last.2 += u32::from(exact);
                }
                _ => counts.push((entity, 1, u32::from(exact))),
            }
        }
        NoteTally(counts)
    }
}

impl WorkspaceFacts {
    pub fn new(kb: &Kb) -> Self {
        let n = kb.entities.len();
        WorkspaceFacts {
            exact: vec![0; n],
            all: vec![0; n],
            files: vec![0; n],
            passages: Arc::default(),
        }
    }

    fn grow(&mut self, entity: EntityId) {
        if entity >= self.exact.len() {
            self.exact.resize(entity + 1, 0);
            self.all.resize(entity + 1, 0);
            self.files.resize(entity + 1, 0);
        }
    }

    /// Add (or with `remove`, take away) exact mentions of these entities, one per item.
    pub fn add_mentions(&mut self, entities: impl IntoIterator<Item = EntityId>, remove: bool) {
        for e in entities {
            self.grow(e);
            let c = &mut self.exact[e];
            *c = if remove { c.saturating_sub(1) } else { *c + 1 };
        }
    }

    /// Add (or with `remove`, take away) one note's contribution.
    pub fn add_note(&mut self, note: &NoteTally, remove: bool) {
        let change = |c: &mut u32, n: u32| *c = if remove { c.saturating_sub(n) } else { *c + n };
        for &(e, all, exact) in &note.0 {
            self.grow(e);
            change(&mut self.all[e], all);
            change(&mut self.exact[e], exact);
            change(&mut self.files[e], 1);
        }
    }

    /// How often the workspace names `entity` exactly.
    pub fn mentions(&self, entity: EntityId) -> u32 {
        self.exact.get(entity).copied().unwrap_or(0)
    }

    /// The entities of `near_misses` the workspace names exactly: the near misses it confirms.
    pub fn confirmed(&self, near_misses: &[EntityId]) -> Vec<EntityId> {
        near_misses.iter().copied().filter(|&e| self.mentions(e) > 0).collect()
    }

    /// How often the workspace mentions `entity` at all (near misses included), and in how
    /// many notes.
    pub fn all_mentions(&self, entity: EntityId) -> (u32, u32) {
        let get = |v: &Vec<u32>| v.get(entity).copied().unwrap_or(0);
        (get(&self.all), get(&self.files))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_add_and_remove_their_mentions() {
        let mut facts = WorkspaceFacts::default();
        let a = NoteTally::of([(3, true), (1, false), (3, false), (3, true)]);
        assert_eq!(a.0, vec![(1, 1, 0), (3, 3, 2)]);
        let b = NoteTally::of([(3, true)]);
        facts.add_note(&a, false);
        facts.add_note(&b, false);
        assert_eq!(facts.mentions(3), 3);
        assert_eq!(facts.all_mentions(3), (4, 2));
        assert_eq!(facts.all_mentions(1), (1, 1));
        assert_eq!(facts.mentions(1), 0);
        facts.add_note(&a, true);
        assert_eq!(facts.all_mentions(3), (1, 1));
        assert_eq!(facts.all_mentions(1), (0, 0));
        assert_eq!(facts.mentions(7), 0, "an entity never seen");
    }

    #[test]
    fn passages_are_found_in_other_notes_and_taken_away_again() {
        let (a, b) = (FileId::new("/ws/a.txt"), FileId::new("/ws/b.txt"));
        let mut index = PassageIndex::default();
        let pa = NotePassages(vec![(1, 0, 0), (2, 2, 3)]);
        let pb = NotePassages(vec![(2, 5, 5), (9, 7, 7)]);
        index.add(&a, &pa, false);
        index.add(&b, &pb, false);
        let other = index.elsewhere(2, &a);
        assert_eq!(other.len(), 1);
        assert_eq!((other[0].file, other[0].first_line), (&b, 5));
        assert!(index.elsewhere(1, &a).is_empty(), "only in its own note");
        assert!(index.in_other_notes(2, &b));
        index.add(&b, &pb, true);
        assert!(index.elsewhere(2, &a).is_empty());
        assert_eq!(index.len(), 2);
    }

    #[test]
    fn a_paragraph_in_very_many_notes_is_boilerplate() {
        let mut index = PassageIndex::default();
        let notes: Vec<FileId> = (0..=BOILERPLATE_NOTES)
            .map(|n| FileId::new(format!("/ws/{n}.txt")))
            .collect();
        for note in &notes[..BOILERPLATE_NOTES] {
            index.add(note, &NotePassages(vec![(7, 0, 0)]), false);
        }
        assert_eq!(index.elsewhere(7, &notes[0]).len(), BOILERPLATE_NOTES - 1);
        index.add(&notes[BOILERPLATE_NOTES], &NotePassages(vec![(7, 0, 0)]), false);
        assert!(index.elsewhere(7, &notes[0]).is_empty());
    }
}
