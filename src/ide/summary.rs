//! What is kept for every note of the workspace, open or not: its mentions, compactly
//! ([`FileSummary`]), from which the analysis host keeps the workspace's one tally of
//! mentions ([`WorkspaceFacts`]) up to date. A note on disk is summarised by the workspace
//! pass in two steps ([`FirstSummary`]) or alone ([`summarize`]); the server's index first
//! makes do with its exact mentions ([`exact_summary`]) while it looks for near misses.
//!
//! A summary names entities and spellings by stable keys ([`EntityKey`], [`SpellingKey`]), so
//! it stays usable across KB rebuilds until the file is summarised again. Summaries of files
//! that are not open also carry each mention's [`Span`], computed once when the file was
//! read: references and renames in closed files then need neither the text nor a re-read.

use std::collections::HashMap;
use std::sync::Arc;

use super::{EntityKey, FileId, KbSet, Span, SpellingKey};
use crate::analysis::facts::{NotePassages, NoteTally, WorkspaceFacts};
use crate::analysis::layout::Layout;
use crate::analysis::recognize::{near_miss, recognize, Recognition};
use crate::analysis::recognize::{Mention, MentionForm};
use crate::analysis::rules::duplicate_passage::note_passages;
use crate::base::{LineIndex, PositionEncoding, TextRange};
use crate::kb::{EntityId, SpellingKind};

/// How a mention is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MentionKind {
    Name,
    Alias,
    Deprecated,
    /// A spelling the KB lists as wrong.
    Misspelling,
    /// Not a KB spelling, but close to one.
    NearMiss,
}

impl MentionKind {
    /// Exact mentions count as "the workspace mentions this entity" (near-miss confirmation).
    pub fn is_exact(self) -> bool {
        matches!(self, MentionKind::Name | MentionKind::Alias | MentionKind::Deprecated)
    }

    pub fn of(mention: &Mention, kb: &crate::kb::Kb) -> MentionKind {
        match &mention.form {
            MentionForm::Spelling(s) => match kb.spellings[*s].kind {
                SpellingKind::Name => MentionKind::Name,
                SpellingKind::Alias => MentionKind::Alias,
                SpellingKind::Deprecated(_) => MentionKind::Deprecated,
                SpellingKind::Misspelling => MentionKind::Misspelling,
            },
            MentionForm::NearMiss { .. } => MentionKind::NearMiss,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexedMention {
    pub range: TextRange,
    pub entity: EntityKey,
    /// The KB spelling written (`None` for a near miss).
    pub spelling: Option<SpellingKey>,
    pub kind: MentionKind,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileSummary {
    /// Sorted by range.
    pub mentions: Vec<IndexedMention>,
    /// The span of each mention (files that are not open; open files convert from their text).
    pub spans: Option<Vec<Span>>,
    /// (entity, mentions, exact mentions), sorted by entity key.
    entities: Vec<(EntityKey, u32, u32)>,
    /// The note's paragraph fingerprints (passages pasted into two notes).
    pub passages: NotePassages,
}

impl FileSummary {
    pub fn new(mentions: &[Mention], kb: &KbSet) -> Self {
        let mentions: Vec<IndexedMention> = mentions
            .iter()
            .map(|m| IndexedMention {
                range: m.range,
                entity: kb.entity_key(m.entity),
                spelling: match m.form {
                    MentionForm::Spelling(s) => Some(kb.spelling_key(s)),
                    MentionForm::NearMiss { .. } => None,
                },
                kind: MentionKind::of(m, &kb.kb),
            })
            .collect();
        FileSummary::from_parts(mentions, None)
    }

    /// A summary from its mentions (sorted by range) and their spans, if it has them — as
    /// the index cache keeps it (`crate::project::cache`).
    pub fn from_parts(mentions: Vec<IndexedMention>, spans: Option<Vec<Span>>) -> Self {
        let mut counts: HashMap<EntityKey, (u32, u32)> = HashMap::new();
        for m in &mentions {
            let c = counts.entry(m.entity).or_default();
            c.0 += 1;
            c.1 += u32::from(m.kind.is_exact());
        }
        let mut entities: Vec<(EntityKey, u32, u32)> = counts.into_iter().map(|(k, (a, e))| (k, a, e)).collect();
        entities.sort_unstable();
        FileSummary {
            mentions,
            spans,
            entities,
            passages: NotePassages::default(),
        }
    }

    pub fn with_passages(mut self, passages: NotePassages) -> Self {
        self.passages = passages;
        self
    }

    /// Record each mention's span (for a file that will not stay open).
    pub fn with_spans(mut self, text: &str, line_index: &LineIndex, encoding: PositionEncoding) -> Self {
        self.spans = Some(
            self.mentions
                .iter()
                .map(|m| Span {
                    start: line_index.line_col(text, m.range.start, encoding),
                    end: line_index.line_col(text, m.range.end, encoding),
                })
                .collect(),
        );
        self
    }

    /// How many times the file mentions the entity.
    pub fn count(&self, entity: EntityKey) -> u32 {
        self.entities
            .binary_search_by_key(&entity, |e| e.0)
            .map(|i| self.entities[i].1)
            .unwrap_or(0)
    }

    pub fn mentions_entity(&self, entity: EntityKey) -> bool {
        self.count(entity) > 0
    }

    /// The file's contribution to the [`WorkspaceFacts`], in the terms of `kb` (entities it
    /// no longer has are left out).
    pub fn tally(&self, kb: &KbSet) -> NoteTally {
        let mut counts: Vec<(EntityId, u32, u32)> = self
            .entities
            .iter()
            .filter_map(|&(key, all, exact)| Some((kb.entity_of(key)?, all, exact)))
            .collect();
        counts.sort_unstable();
        NoteTally(counts)
    }
}

/// Summarise a note as it is on disk: its mentions, near misses confirmed by `facts`
/// included, with their spans.
pub fn summarize(text: &str, kb: &KbSet, facts: &WorkspaceFacts, encoding: PositionEncoding) -> FileSummary {
    let mut recognition = recognize(text, &kb.kb);
    near_miss::add_near_misses(text, &kb.kb, &mut recognition, facts);
    let passages = note_passages(text, &Layout::parse(text), &recognition.normalized);
    FileSummary::new(&recognition.mentions, kb)
        .with_spans(text, &LineIndex::new(text), encoding)
        .with_passages(passages)
}

/// A note as the first phase of an index summarises it: its exact mentions (KB spellings,
/// listed misspellings included) with their spans and its paragraph fingerprints, no near
/// misses yet — the second phase ([`FirstSummary`], then [`FirstSummary::finish`]) adds them.
pub fn exact_summary(text: &str, recognition: &Recognition, kb: &KbSet, encoding: PositionEncoding) -> FileSummary {
    let passages = note_passages(text, &Layout::parse(text), &recognition.normalized);
    FileSummary::new(&recognition.mentions, kb)
        .with_spans(text, &LineIndex::new(text), encoding)
        .with_passages(passages)
}

/// A note summarised from the one read of the workspace pass: final unless a near miss that
/// only the rest of the workspace can confirm is confirmed by it.
#[derive(Clone, Debug)]
pub struct FirstSummary {
    pub summary: FileSummary,
    /// The entities whose mention elsewhere would confirm a near miss of this note.
    pub waiting_for: Vec<EntityId>,
}

impl FirstSummary {
    /// The summary of a note recognised in pass one, as it is when the rest of the workspace
    /// confirms none of its near misses.
    pub fn new(text: &str, recognition: Recognition, kb: &KbSet, encoding: PositionEncoding) -> Self {
        let near = near_miss::find_near_misses(text, &kb.kb, &recognition);
        let waiting_for = near.waiting_for(&kb.kb);
        let passages = note_passages(text, &Layout::parse(text), &recognition.normalized);
        let mut mentions = recognition.mentions;
        near.apply(&kb.kb, &mut mentions, &mut Vec::new(), &WorkspaceFacts::default());
        let summary = FileSummary::new(&mentions, kb)
            .with_spans(text, &LineIndex::new(text), encoding)
            .with_passages(passages);
        FirstSummary { summary, waiting_for }
    }

    /// The near misses of `waiting_for` that `facts` confirm: the summary is final when there
    /// are none, and otherwise depends on these alone.
    pub fn confirmed(&self, facts: &WorkspaceFacts) -> Vec<EntityId> {
        facts.confirmed(&self.waiting_for)
    }

    /// The summary given the workspace facts: the one made, or — when the facts confirm one of
    /// the note's near misses — the note summarised again from `reread` (rare: a misspelt name
    /// whose entity the note never names correctly). `None` when the note can no longer be read.
    pub fn finish(
        self,
        facts: &WorkspaceFacts,
        reread: impl FnOnce() -> Option<String>,
        kb: &KbSet,
        encoding: PositionEncoding,
    ) -> Option<FileSummary> {
        if self.waiting_for.iter().all(|&e| facts.mentions(e) == 0) {
            return Some(self.summary);
        }
        reread().map(|text| summarize(&text, kb, facts, encoding))
    }
}

/// The summaries of the workspace's seed files as they are on disk.
#[derive(Clone, Debug, Default)]
pub struct Index {
    pub files: HashMap<FileId, Arc<FileSummary>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::Keys;

    /// One read per note gives the summaries two passes (exact mentions, then a full
    /// recognition with the facts) give, near misses confirmed by other notes included.
    #[test]
    fn one_read_summarises_as_two_passes_do() {
        let kb = KbSet::new(crate::kb::Kb::builtin(), [], None, &mut Keys::default(), 1);
        let mut texts: Vec<String> = crate::analysis::test_support::SEEDS
            .iter()
            .map(|(_, s)| s.to_string())
            .collect();
        // A note whose near misses only the others confirm.
        texts.push("トカレフ氏と会談したペスコブ報道官は、ドネツク民共和国について述べた。\n".into());
        texts.push("昨日、ゼレンスキが語ったところでは、支援は続く。\n".into());
        let mut two_pass_facts = WorkspaceFacts::new(&kb.kb);
        for text in &texts {
            let summary = FileSummary::new(&recognize(text, &kb.kb).mentions, &kb);
            let exact = summary.mentions.iter().filter(|m| m.kind.is_exact());
            two_pass_facts.add_mentions(exact.filter_map(|m| kb.entity_of(m.entity)), false);
        }
        let mut one_read_facts = WorkspaceFacts::new(&kb.kb);
        let mut read = Vec::new();
        for text in &texts {
            let recognition = recognize(text, &kb.kb);
            one_read_facts.add_mentions(recognition.exact_entities(&kb.kb).collect::<Vec<_>>(), false);
            read.push(FirstSummary::new(text, recognition, &kb, PositionEncoding::Utf16));
        }
        assert_eq!(one_read_facts, two_pass_facts);
        // The last note's near miss waits for the others.
        assert!(read
            .last()
            .unwrap()
            .waiting_for
            .iter()
            .any(|&e| one_read_facts.mentions(e) > 0));
        for (text, note) in texts.iter().zip(read) {
            let expected = summarize(text, &kb, &two_pass_facts, PositionEncoding::Utf16);
            assert_eq!(
                note.finish(&one_read_facts, || Some(text.clone()), &kb, PositionEncoding::Utf16),
                Some(expected)
            );
        }
    }
}
