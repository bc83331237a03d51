//! What is kept for every seed file of the workspace, open or not: its mentions, compactly
//! ([`FileSummary`]), and the workspace-wide mention counts derived from them ([`Counts`]).
//!
//! A summary names entities and spellings by stable keys ([`EntityKey`], [`SpellingKey`]), so
//! it stays usable across KB rebuilds until the file is summarised again. Summaries of files
//! that are not open also carry each mention's [`Span`], computed once when the file was
//! read: references and renames in closed files then need neither the text nor a re-read.

use std::collections::HashMap;
use std::sync::Arc;

use super::{EntityKey, FileId, KbSet, Span, SpellingKey};
use crate::analysis::recognize::{Mention, MentionForm};
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
            spans: None,
            entities,
        }
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

    /// The entities of the exact mentions, once per mention, in the current KB's terms (what
    /// [`crate::analysis::facts::WorkspaceFacts`] counts).
    pub fn exact_entities<'a>(&'a self, kb: &'a KbSet) -> impl Iterator<Item = EntityId> + 'a {
        self.mentions
            .iter()
            .filter(|m| m.kind.is_exact())
            .filter_map(|m| kb.entity_of(m.entity))
    }

    fn entity_counts(&self) -> &[(EntityKey, u32, u32)] {
        &self.entities
    }
}

/// The summaries of the workspace's seed files as they are on disk.
#[derive(Clone, Debug, Default)]
pub struct Index {
    pub files: HashMap<FileId, Arc<FileSummary>>,
}

/// Mentions and files per entity across the workspace (every mention, near misses included).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    mentions: Vec<u32>,
    files: Vec<u32>,
}

impl Counts {
    pub fn add(&mut self, summary: &FileSummary) {
        for &(key, n, _) in summary.entity_counts() {
            let i = key.0 as usize;
            if i >= self.mentions.len() {
                self.mentions.resize(i + 1, 0);
                self.files.resize(i + 1, 0);
            }
            self.mentions[i] += n;
            self.files[i] += 1;
        }
    }

    pub fn remove(&mut self, summary: &FileSummary) {
        for &(key, n, _) in summary.entity_counts() {
            let i = key.0 as usize;
            if let (Some(m), Some(f)) = (self.mentions.get_mut(i), self.files.get_mut(i)) {
                *m = m.saturating_sub(n);
                *f = f.saturating_sub(1);
            }
        }
    }

    pub fn mentions(&self, entity: EntityKey) -> u32 {
        self.mentions.get(entity.0 as usize).copied().unwrap_or(0)
    }

    pub fn files(&self, entity: EntityKey) -> u32 {
        self.files.get(entity.0 as usize).copied().unwrap_or(0)
    }
}
