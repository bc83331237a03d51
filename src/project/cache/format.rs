//! The payload of an index cache file: the notes' records, with entities and spellings
//! written once each in two string tables (their KB `id` and normalised spelling, never the
//! process's interned keys) and named by table index in the records.
//!
//! Numbers are variable-length (`var`: seven bits a byte) and positions are written as the
//! difference from the one before (`delta`: a signed variable-length difference), so a
//! mention and its span take about a dozen bytes instead of 33. Each note's record is
//! prefixed by its length, so the records are found in one quick scan and decoded in
//! parallel.
//!
//! ```text
//! entities: count u32, str*    spellings: count u32, str*
//! notes:    count var, (length var, note)*
//! note:     path str, size var, mtime secs delta (from 0), mtime nanos var,
//!           exact: count var, entity var*     waiting_for: count var, entity var*
//!           confirmed: count var, entity var* summary
//! summary:  count var, (start delta (from the previous start), length var, entity var,
//!           spelling var (index + 1, 0: none), kind u8)*,
//!           spans: 0 | 1 (start line delta (from the previous span's start line),
//!                         start col (delta from the previous start col on the same line, else var),
//!                         end line delta (from the start line),
//!                         end col (delta from the start col on the same line, else var))*
//!                  (one per mention),
//!           passages: count var, (fingerprint u64, first line var, last − first var)*
//! ```
//!
//! Decoding resolves the tables against the KB in force and checks every record (indices
//! in bounds, numbers within 32 bits, mentions sorted with start ≤ end, one span per
//! mention, passages' lines in order, each record read to its last byte): any failure
//! rejects the whole file.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

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
/// The fewest bytes a mention, a span, a passage, a table index and a note (with its
/// length) take.
const MENTION_BYTES: usize = 5;
const SPAN_BYTES: usize = 4;
const PASSAGE_BYTES: usize = 10;
const INDEX_BYTES: usize = 1;
const NOTE_BYTES: usize = 1 + 4 + 3 + 3 + 3;

/// A signed difference, zigzag-coded (0, -1, 1, -2, … → 0, 1, 2, 3, …).
fn put_delta(w: &mut Writer, from: u64, to: u64) {
    let d = to.wrapping_sub(from) as i64;
    w.var(((d << 1) ^ (d >> 63)) as u64);
}

/// `from` plus a zigzag-coded difference, within 32 bits.
fn delta(r: &mut Reader, from: u32) -> Result<u32, Corrupt> {
    let z = r.var()?;
    let d = (z >> 1) as i64 ^ -((z & 1) as i64);
    i64::from(from)
        .checked_add(d)
        .and_then(|v| u32::try_from(v).ok())
        .ok_or(Corrupt("a position out of bounds"))
}

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
        w.var_len(es.len());
        for &e in es {
            let i = self.entity(e);
            w.var(u64::from(i));
        }
    }

    fn summary(&mut self, w: &mut Writer, s: &FileSummary) {
        w.var_len(s.mentions.len());
        let mut previous = 0;
        for m in &s.mentions {
            put_delta(w, previous, m.range.start as u64);
            previous = m.range.start as u64;
            w.var_len(m.range.end.saturating_sub(m.range.start));
            // Summaries are made with this KB: every key resolves.
            let e = self.kb.entity_of(m.entity).unwrap_or(0);
            let i = self.entity(e);
            w.var(u64::from(i));
            let spelling = m.spelling.and_then(|k| {
                let s = *self.spelling_of_key.get(&k)?;
                let next = self.spelling_list.len() as u32;
                Some(*self.spellings.entry(k).or_insert_with(|| {
                    self.spelling_list.push(s);
                    next
                }))
            });
            w.var(spelling.map_or(0, |i| u64::from(i) + 1));
            w.u8(KINDS.iter().position(|&k| k == m.kind).unwrap_or(0) as u8);
        }
        match &s.spans {
            Some(spans) => {
                w.u8(1);
                let mut previous = LineCol { line: 0, col: 0 };
                for span in spans {
                    put_line_col(w, previous, span.start);
                    put_line_col(w, span.start, span.end);
                    previous = span.start;
                }
            }
            None => w.u8(0),
        }
        w.var_len(s.passages.0.len());
        for &(fingerprint, first, last) in &s.passages.0 {
            w.u64(fingerprint);
            w.var(u64::from(first));
            w.var(u64::from(last.saturating_sub(first)));
        }
    }
}

/// `to` after `from`: the line as a difference, the column as a difference on the same line.
fn put_line_col(w: &mut Writer, from: LineCol, to: LineCol) {
    put_delta(w, u64::from(from.line), u64::from(to.line));
    match to.line == from.line {
        true => put_delta(w, u64::from(from.col), u64::from(to.col)),
        false => w.var(u64::from(to.col)),
    }
}

fn line_col(r: &mut Reader, from: LineCol) -> Result<LineCol, Corrupt> {
    let line = delta(r, from.line)?;
    let col = match line == from.line {
        true => delta(r, from.col)?,
        false => r.var32()?,
    };
    Ok(LineCol { line, col })
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
    let mut record = Writer::default();
    let notes: Vec<_> = notes.collect();
    body.var_len(notes.len());
    for (path, note) in notes {
        record.bytes.clear();
        record.str(&path.to_string_lossy());
        record.var(note.key.size);
        put_delta(&mut record, 0, note.key.mtime_secs as u64);
        record.var(u64::from(note.key.mtime_nanos));
        tables.entities(&mut record, &note.exact);
        tables.entities(&mut record, &note.waiting_for);
        tables.entities(&mut record, &note.confirmed);
        tables.summary(&mut record, &note.summary);
        body.var_len(record.bytes.len());
        body.bytes.extend_from_slice(&record.bytes);
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
        let n = r.var_count(INDEX_BYTES)?;
        (0..n)
            .map(|_| Ok(self.entities[r.var_index(self.entities.len())?]))
            .collect()
    }

    /// One note's record, read to its last byte.
    fn note(&self, bytes: &[u8]) -> Result<(PathBuf, CachedNote), Corrupt> {
        let mut r = Reader::new(bytes);
        let path = PathBuf::from(r.str()?);
        let size = r.var()?;
        let z = r.var()?;
        let key = NoteKey {
            size,
            mtime_secs: (z >> 1) as i64 ^ -((z & 1) as i64),
            mtime_nanos: r.var32()?,
        };
        let exact = self.entities(&mut r)?;
        let waiting_for = self.entities(&mut r)?;
        let confirmed = self.entities(&mut r)?;
        let summary = Arc::new(self.summary(&mut r)?);
        if !r.is_empty() {
            return Err(Corrupt("bytes after a note's record"));
        }
        let note = CachedNote {
            key,
            exact,
            waiting_for,
            confirmed,
            summary,
        };
        Ok((path, note))
    }

    fn summary(&self, r: &mut Reader) -> Result<FileSummary, Corrupt> {
        let n = r.var_count(MENTION_BYTES)?;
        let mut mentions: Vec<IndexedMention> = Vec::with_capacity(n);
        let mut previous = 0;
        for _ in 0..n {
            let start = delta(r, previous)?;
            if start < previous {
                return Err(Corrupt("mentions out of order"));
            }
            previous = start;
            let end = start
                .checked_add(r.var32()?)
                .ok_or(Corrupt("a position out of bounds"))?;
            let range = TextRange {
                start: start as usize,
                end: end as usize,
            };
            let entity = self.kb.entity_key(self.entities[r.var_index(self.entities.len())?]);
            let spelling = match r.var_index(self.spellings.len() + 1)? {
                0 => None,
                i => Some(self.spellings[i - 1]),
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
                let mut previous = LineCol { line: 0, col: 0 };
                for _ in 0..n {
                    let start = line_col(r, previous)?;
                    let end = line_col(r, start)?;
                    spans.push(Span { start, end });
                    previous = start;
                }
                Some(spans)
            }
            _ => return Err(Corrupt("an unknown flag")),
        };
        let n = r.var_count(PASSAGE_BYTES)?;
        let mut passages = Vec::with_capacity(n);
        for _ in 0..n {
            let fingerprint = r.u64()?;
            let first = r.var32()?;
            let last = first
                .checked_add(r.var32()?)
                .ok_or(Corrupt("a position out of bounds"))?;
            passages.push((fingerprint, first, last));
        }
        Ok(FileSummary::from_parts(mentions, spans).with_passages(NotePassages(passages)))
    }
}

/// The notes of a payload, resolved against `kb`; the records are decoded in parallel.
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
    let n = r.var_count(NOTE_BYTES)?;
    let mut records = Vec::with_capacity(n);
    for _ in 0..n {
        let len = r.var_count(1)?;
        records.push(r.take(len)?);
    }
    if !r.is_empty() {
        return Err(Corrupt("bytes after the last note"));
    }
    records.into_par_iter().map(|bytes| tables.note(bytes)).collect()
}
