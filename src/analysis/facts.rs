//! What the workspace mentions: one tally, per entity, of its mentions across every note.
//!
//! [`WorkspaceFacts`] is what one note's analysis may know about the others — how often each
//! entity is named exactly (its KB name, an alias or a deprecated spelling) across the
//! workspace, which confirms near misses (トカレフ is reported when トカエフ is named
//! somewhere) — and, for the editor, how often it is mentioned at all (near misses and
//! listed misspellings included) and in how many notes. `check` fills it in its first pass;
//! the analysis host keeps it up to date as notes change, note by note ([`NoteTally`]).

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
}
