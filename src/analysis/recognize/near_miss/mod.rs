//! Near misses of known names: トカレフ for トカエフ, ドネツク民共和国 for ドネツク人民共和国,
//! 集団安全保障機構 for 集団安全保障条約機構 — found by a weighted edit distance, never by a list.
//!
//! Candidates come from three places:
//! - katakana words that recognition left over, looked up in a symmetric-deletion index of
//!   every katakana spelling (one deletion, two for long names) and verified with the
//!   weighted distance;
//! - for longer spellings containing kanji, windows of the text that start with the
//!   spelling's first two characters and end with its last two, within two characters of its
//!   length (a misspelling inside the name, both ends intact, so that a name that is merely a
//!   prefix of a longer word is never taken for a misspelling);
//! - windows of kanji-bearing words with one kanji replaced by a homophone or a look-alike
//!   ([`homophones`]: 上川洋子 for 上川陽子, 保証 for 保障). A person's is confirmed by a title after
//!   it or the person named in the note (not by an honorific alone: people share names); a
//!   body's or place's of five characters or more needs nothing else.
//!
//! Weights follow real confusions: look-alike kana (ソ/ン, シ/ツ …), voicing marks (カ/ガ), small
//! and large kana (ッ/ツ), a dropped ー and dropped small kana cost half an edit; anything
//! else costs one. A candidate must also be confirmed by context: a title or honorific follows
//! it, or the real entity is mentioned in the note or elsewhere in the workspace. Short names
//! (four characters or fewer) need the stronger evidence: a title, or a look-alike slip with
//! the entity present.
//!
//! Here: confirmation — what the note and the workspace say for each candidate ([`NearMisses`]).
//! The search is [`candidates`], the weighted edit distance [`distance`].

mod candidates;
mod distance;
mod homophones;

use std::collections::HashSet;

pub use candidates::Candidates;

use super::titles::{after_name, AfterName};
use super::{Leftover, Mention, MentionForm, Recognition};
use crate::analysis::facts::WorkspaceFacts;
use crate::base::TextRange;
use crate::kb::{EntityId, EntityKind, Kb};
use candidates::Candidate;

/// Find near misses in the document and add them to `recognition.mentions` (replacing exact
/// mentions nested inside them, such as ドネツク inside ドネツク民共和国).
pub fn add_near_misses(text: &str, kb: &Kb, recognition: &mut Recognition, workspace: &WorkspaceFacts) {
    let found = find_near_misses(text, kb, recognition);
    found.apply(kb, &mut recognition.mentions, &mut recognition.leftovers, workspace);
}

/// The near misses of a note before the workspace facts are known: every candidate, with
/// what the note itself says for it. [`NearMisses::apply`] decides with the facts, without
/// the text — so an indexer can read each note once, and confirm after the whole workspace
/// is read.
#[derive(Clone, Debug, Default)]
pub struct NearMisses {
    /// In the order they were found.
    pending: Vec<Pending>,
}

#[derive(Clone, Debug)]
struct Pending {
    /// Original byte range.
    range: TextRange,
    spelling: usize,
    cost: f32,
    /// Confirmed by the note alone (a title after it, or the entity named in the note).
    confirmed_here: bool,
    /// Confirmed if the workspace mentions the entity.
    confirmed_if_mentioned: bool,
}

impl NearMisses {
    /// The entities whose mention somewhere in the workspace would confirm a candidate the
    /// note alone does not: when the workspace mentions none of them, [`NearMisses::apply`]
    /// gives the same result as with no facts at all.
    pub fn waiting_for(&self, kb: &Kb) -> Vec<EntityId> {
        let mut entities: Vec<EntityId> = self
            .pending
            .iter()
            .filter(|p| !p.confirmed_here && p.confirmed_if_mentioned)
            .map(|p| kb.spellings[p.spelling].entity)
            .collect();
        entities.sort_unstable();
        entities.dedup();
        entities
    }

    /// Add the confirmed near misses to `mentions` (sorted by range, non-overlapping), replacing
    /// the exact mentions nested inside them and the leftovers they account for.
    pub fn apply(
        self,
        kb: &Kb,
        mentions: &mut Vec<Mention>,
        leftovers: &mut Vec<Leftover>,
        workspace: &WorkspaceFacts,
    ) {
        let mut accepted: Vec<Pending> = self
            .pending
            .into_iter()
            .filter(|p| {
                p.confirmed_here
                    || (p.confirmed_if_mentioned && workspace.mentions(kb.spellings[p.spelling].entity) > 0)
            })
            .collect();
        if accepted.is_empty() {
            return;
        }
        accepted.sort_by_key(|p| p.range.start);
        // Exact mentions nested in an accepted near miss give way to it (ドネツク in ドネツク民共和国);
        // a near miss crossing an exact mention is dropped. Both lists are sorted: merge them.
        let ranges: Vec<TextRange> = accepted.iter().map(|p| p.range).collect();
        let contains = |r: TextRange| {
            let i = ranges.partition_point(|a| a.start <= r.start);
            i > 0 && ranges[i - 1].contains_range(r)
        };
        mentions.retain(|m| !contains(m.range));
        let exact: Vec<TextRange> = mentions.iter().map(|m| m.range).collect();
        let crosses = |r: TextRange| {
            let i = exact.partition_point(|e| e.end <= r.start);
            exact.get(i).is_some_and(|e| e.start < r.end)
        };
        let mut added = Vec::new();
        for p in accepted {
            if crosses(p.range)
                || added
                    .last()
                    .is_some_and(|prev: &Mention| prev.range.intersects(p.range))
            {
                continue;
            }
            added.push(Mention {
                range: p.range,
                entity: kb.spellings[p.spelling].entity,
                form: MentionForm::NearMiss {
                    spelling: p.spelling,
                    cost: p.cost,
                },
                glued: false,
            });
        }
        let taken: Vec<TextRange> = added.iter().map(|m| m.range).collect();
        leftovers.retain(|l| {
            let i = taken.partition_point(|a| a.start <= l.range.start);
            !(i > 0 && taken[i - 1].contains_range(l.range))
        });
        mentions.extend(added);
        mentions.sort_by_key(|m| (m.range.start, m.range.end));
    }
}

/// Every near-miss candidate of a recognised note, with the note's own evidence for it.
pub fn find_near_misses(text: &str, kb: &Kb, recognition: &Recognition) -> NearMisses {
    Candidates::find(kb, recognition).weigh(text, kb, recognition)
}

fn weigh(candidates: Vec<Candidate>, text: &str, kb: &Kb, recognition: &Recognition) -> NearMisses {
    let norm = recognition.normalized.text.as_str();
    if candidates.is_empty() {
        return NearMisses::default();
    }
    // Where each entity is named: a mention inside the candidate itself (上川 in 上川洋子) is
    // not a mention elsewhere in the note.
    let mut named_at: std::collections::HashMap<usize, Vec<TextRange>> = std::collections::HashMap::new();
    for m in &recognition.mentions {
        named_at.entry(m.entity).or_default().push(m.range);
    }
    // Title evidence counts for every occurrence of the same written form (トカレフ政権 … トカレフ大統領).
    let mut titled_forms: HashSet<&str> = HashSet::new();
    // Written before a title proper, not only an honorific (上川洋子外相, not 上川洋子さん).
    let mut title_forms: HashSet<&str> = HashSet::new();
    for c in &candidates {
        let original_end = recognition.normalized.original_range(c.start, c.end).end;
        match after_name(text, original_end, kb, &recognition.mentions) {
            AfterName::Title { .. } | AfterName::BrokenTitle { .. } => {
                titled_forms.insert(&norm[c.start..c.end]);
                title_forms.insert(&norm[c.start..c.end]);
            }
            AfterName::Honorific(_) => {
                titled_forms.insert(&norm[c.start..c.end]);
            }
            AfterName::Nothing => {}
        }
    }
    let mut pending = Vec::new();
    for c in candidates {
        let spelling = &kb.spellings[c.spelling];
        let entity = spelling.entity;
        let written = &norm[c.start..c.end];
        if kb.is_not_entity(written) {
            continue;
        }
        let person = kb.entity(entity).kind == EntityKind::Person;
        // A kanji name with one kanji of the same reading may be another person's (上川洋子さん, a
        // singer): only a title, or the person named in the note, says it is the minister's.
        let titled = person
            && if c.one_kanji {
                title_forms.contains(written)
            } else {
                titled_forms.contains(written)
            };
        let range = recognition.normalized.original_range(c.start, c.end);
        let here = named_at
            .get(&entity)
            .is_some_and(|ranges| ranges.iter().any(|r| !range.contains_range(*r)));
        // Short names need the stronger evidence: a title, or a look-alike slip with the
        // entity present (in the note or the workspace).
        let short = spelling.normalized.chars().count() <= 4;
        // A long name of a body or a place with one kanji swapped for its homophone or
        // look-alike (国家安全保証局) is that name: nothing else is spelt so close to it. People
        // share names, so a person's is confirmed as any other.
        let long_slip = c.one_kanji && !person && !short;
        let (confirmed_here, confirmed_if_mentioned) = if long_slip {
            (true, true)
        } else if c.one_kanji && person {
            (titled || here, titled)
        } else if short {
            (titled || (here && c.cost <= 0.5), titled || c.cost <= 0.5)
        } else {
            (titled || here, true)
        };
        if confirmed_here || confirmed_if_mentioned {
            pending.push(Pending {
                range: recognition.normalized.original_range(c.start, c.end),
                spelling: c.spelling,
                cost: c.cost,
                confirmed_here,
                confirmed_if_mentioned,
            });
        }
    }
    NearMisses { pending }
}
