//! The payload of an index cache file: the notes' records, with entities and spellings
//! written once each in two string tables (their KB `id` and normalised spelling, never the
//! process's interned keys) and named by table index in the records.
//!
//! ```text
//! entities: count, str*        spellings: count, str*
//! notes:    count, note*
//! note:     path str, size u64, mtime secs u64, mtime nanos u32,
//!           exact: count, entity*      waiting_for: count, entity*
//!           confirmed: count, entity*  summary
//! summary:  count, (start u32, end u32, entity u32, spelling u32 | u32::MAX, kind u8)*,
//!           spans: 0 | 1 (line u32, col u32, line u32, col u32)* (one per mention),
//!           passages: count, (fingerprint u64, first line u32, last line u32)*
//! ```
//!
//! Decoding resolves the tables against the KB in force and checks every record (indices
//! in bounds, mentions sorted with start ≤ end, one span per mention, passages' lines in order): any failure rejects
//! the whole file.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::bytes::{Corrupt, Reader, Writer};
use super::{CachedNote, NoteKey};
use crate::analysis::facts::NotePassages;
use crate::base::{LineCol, TextRange};
use crate::ide::{FileSummary, IndexedMention, KbSet, MentionKind, Span, SpellingKey};
use crate::kb::EntityId;

const KINDS: [MentionKind; 5] = [
    MentionKind::Name,
    MentionKind::Alias,
    MentionKind::Deprecated,
    MentionKind::Misspelling,
    MentionKind::NearMiss,
];
const NO_SPELLING: u32 = u32::MAX;
/// The fewest bytes a mention, a span, a table index and a note take.
const MENTION_BYTES: usize = 17;
const SPAN_BYTES: usize = 16;
const PASSAGE_BYTES: usize = 16;
const INDEX_BYTES: usize = 4;
const NOTE_BYTES: usize = 4 + 20 + 4 + 4 + 4 + 5;

/// Builds the tables while the notes are written.
struct Tables<'a> {
    kb: &'a KbSet,
    spelling_of_key: HashMap<SpellingKey, usize>,
    entities: HashMap<EntityId, u32>,
    entity_list: Vec<EntityId>,
    spellings: HashMap<SpellingKey, u32>,
    spelling_list: Vec<usize>,
}

impl Tables<'_> {
    fn entity(&mut self, e: EntityId) -> u32 {
        let next = self.entity_list.len() as u32;
        *self.entities.entry(e).or_insert_with(|| {
            self.entity_list.push(e);
            next
        })
    }

    fn entities(&mut self, w: &mut Writer, es: &[EntityId]) {
        w.len(es.len());
        for &e in es {
            let i = self.entity(e);
            w.u32(i);
        }
    }

    fn summary(&mut self, w: &mut Writer, s: &FileSummary) {
        w.len(s.mentions.len());
        for m in &s.mentions {
            w.len(m.range.start);
            w.len(m.range.end);
            // Summaries are made with this KB: every key resolves.
            let e = self.kb.entity_of(m.entity).unwrap_or(0);
            let i = self.entity(e);
            w.u32(i);
            let spelling = m.spelling.and_then(|k| {
                let s = *self.spelling_of_key.get(&k)?;
                let next = self.spelling_list.len() as u32;
                Some(*self.spellings.entry(k).or_insert_with(|| {
                    self.spelling_list.push(s);
                    next
                }))
            });
            w.u32(spelling.unwrap_or(NO_SPELLING));
            w.u8(KINDS.iter().position(|&k| k == m.kind).unwrap_or(0) as u8);
        }
        match &s.spans {
            Some(spans) => {
                w.u8(1);
                for span in spans {
                    for lc in [span.start, span.end] {
                        w.u32(lc.line);
                        w.u32(lc.col);
                    }
                }
            }
            None => w.u8(0),
        }
        w.len(s.passages.0.len());
        for &(fingerprint, first, last) in &s.passages.0 {
            w.u64(fingerprint);
            w.u32(first);
            w.u32(last);
        }
    }
}

/// The payload for `notes`, every summary made with `kb`.
pub fn encode<'a>(kb: &KbSet, notes: impl Iterator<Item = (&'a PathBuf, &'a CachedNote)>) -> Vec<u8> {
    let mut tables = Tables {
        kb,
        spelling_of_key: (0..kb.kb.spellings.len()).map(|i| (kb.spelling_key(i), i)).collect(),
        entities: HashMap::new(),
        entity_list: Vec::new(),
        spellings: HashMap::new(),
        spelling_list: Vec::new(),
    };
    let mut body = Writer::default();
    let notes: Vec<_> = notes.collect();
    body.len(notes.len());
    for (path, note) in notes {
        body.str(&path.to_string_lossy());
        body.u64(note.key.size);
        body.u64(note.key.mtime_secs as u64);
        body.u32(note.key.mtime_nanos);
        tables.entities(&mut body, &note.exact);
        tables.entities(&mut body, &note.waiting_for);
        tables.entities(&mut body, &note.confirmed);
        tables.summary(&mut body, &note.summary);
    }
    let mut w = Writer::default();
    w.len(tables.entity_list.len());
    for &e in &tables.entity_list {
        w.str(&kb.kb.entities[e].id);
    }
    w.len(tables.spelling_list.len());
    for &s in &tables.spelling_list {
        w.str(&kb.kb.spellings[s].normalized);
    }
    w.bytes.extend_from_slice(&body.bytes);
    w.bytes
}

/// The tables resolved against the KB in force.
struct Resolved<'a> {
    kb: &'a KbSet,
    entities: Vec<EntityId>,
    spellings: Vec<SpellingKey>,
}

impl Resolved<'_> {
    fn entities(&self, r: &mut Reader) -> Result<Vec<EntityId>, Corrupt> {
        let n = r.count(INDEX_BYTES)?;
        (0..n)
            .map(|_| Ok(self.entities[r.index(self.entities.len())?]))
            .collect()
    }

    fn summary(&self, r: &mut Reader) -> Result<FileSummary, Corrupt> {
        let n = r.count(MENTION_BYTES)?;
        let mut mentions: Vec<IndexedMention> = Vec::with_capacity(n);
        for _ in 0..n {
            let range = TextRange {
                start: r.u32()? as usize,
                end: r.u32()? as usize,
            };
            let sorted = mentions.last().is_none_or(|m| m.range.start <= range.start);
            if range.start > range.end || !sorted {
                return Err(Corrupt("mentions out of order"));
            }
            let entity = self.kb.entity_key(self.entities[r.index(self.entities.len())?]);
            let spelling = match r.u32()? {
                NO_SPELLING => None,
                i => Some(
                    *self
                        .spellings
                        .get(i as usize)
                        .ok_or(Corrupt("an index out of bounds"))?,
                ),
            };
            let kind = *KINDS
                .get(r.u8()? as usize)
                .ok_or(Corrupt("an unknown kind of mention"))?;
            mentions.push(IndexedMention {
                range,
                entity,
                spelling,
                kind,
            });
        }
        let spans = match r.u8()? {
            0 => None,
            1 => {
                if n.saturating_mul(SPAN_BYTES) > r.remaining() {
                    return Err(Corrupt("truncated"));
                }
                let mut spans = Vec::with_capacity(n);
                for _ in 0..n {
                    let mut lc = || -> Result<LineCol, Corrupt> {
                        Ok(LineCol {
                            line: r.u32()?,
                            col: r.u32()?,
                        })
                    };
                    spans.push(Span {
                        start: lc()?,
                        end: lc()?,
                    });
                }
                Some(spans)
            }
            _ => return Err(Corrupt("an unknown flag")),
        };
        let n = r.count(PASSAGE_BYTES)?;
        let mut passages = Vec::with_capacity(n);
        for _ in 0..n {
            let (fingerprint, first, last) = (r.u64()?, r.u32()?, r.u32()?);
            if first > last {
                return Err(Corrupt("a passage's lines out of order"));
            }
            passages.push((fingerprint, first, last));
        }
        Ok(FileSummary::from_parts(mentions, spans).with_passages(NotePassages(passages)))
    }
}

/// The notes of a payload, resolved against `kb`.
pub fn decode(kb: &KbSet, payload: &[u8]) -> Result<Vec<(PathBuf, CachedNote)>, Corrupt> {
    let mut r = Reader::new(payload);
    let n = r.count(4)?;
    let mut entities = Vec::with_capacity(n);
    for _ in 0..n {
        let id = r.str()?;
        entities.push(kb.kb.by_id(id).ok_or(Corrupt("an entity the KB does not have"))?);
    }
    let by_spelling: HashMap<&str, usize> = kb
        .kb
        .spellings
        .iter()
        .enumerate()
        .rev()
        .map(|(i, s)| (s.normalized.as_str(), i))
        .collect();
    let n = r.count(4)?;
    let mut spellings = Vec::with_capacity(n);
    for _ in 0..n {
        let s = by_spelling
            .get(r.str()?)
            .ok_or(Corrupt("a spelling the KB does not have"))?;
        spellings.push(kb.spelling_key(*s));
    }
    let tables = Resolved {
        kb,
        entities,
        spellings,
    };
    let n = r.count(NOTE_BYTES)?;
    let mut notes = Vec::with_capacity(n);
    for _ in 0..n {
        let path = PathBuf::from(r.str()?);
        let key = NoteKey {
            size: r.u64()?,
            mtime_secs: r.u64()? as i64,
            mtime_nanos: r.u32()?,
        };
        let exact = tables.entities(&mut r)?;
        let waiting_for = tables.entities(&mut r)?;
        let confirmed = tables.entities(&mut r)?;
        let summary = Arc::new(tables.summary(&mut r)?);
        notes.push((
            path,
            CachedNote {
                key,
                exact,
                waiting_for,
                confirmed,
                summary,
            },
        ));
    }
    if !r.is_empty() {
        return Err(Corrupt("bytes after the last note"));
    }
    Ok(notes)
}
