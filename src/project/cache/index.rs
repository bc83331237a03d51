//! The workspace pass with the index cache ([`index`]): every note is examined (its
//! [`NoteKey`], taken before it is read); a note whose key matches its cached record is not
//! read — its exact mentions go into the facts as recorded, and its summary is the cached
//! one made with the near misses these facts confirm — while the others (changed, new, or
//! whose confirmed near misses changed) are read and recognised as in a cold start. Deleted
//! notes are simply not there. The facts, and so every summary, are those a cold start
//! makes.
//!
//! [`note`] does the same for one note read again (changed on disk).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use super::{CachedNote, NoteKey};
use crate::analysis::facts::WorkspaceFacts;
use crate::analysis::recognize::{recognize, Recognition};
use crate::base::PositionEncoding;
use crate::ide::summary::{exact_summary, summarize, FirstSummary};
use crate::ide::{FileSummary, KbSet};
use crate::project::batch::{Pass, Reader};

/// A workspace indexed with the cache, phase one: every note's exact mentions (and its
/// passages) are in its summary, the notes known from the cache are final, and the notes
/// read have their near misses still to be found ([`NearMissPass`]).
#[derive(Debug, Default)]
pub struct Indexed {
    /// Each note's summary: final for a cached note, its exact mentions for one read.
    pub summaries: Vec<(PathBuf, Arc<FileSummary>)>,
    /// What to cache of each note known from the cache; phase two adds the notes read.
    pub notes: HashMap<PathBuf, Arc<CachedNote>>,
    /// Notes whose cached record was used as it was, notes read (new, changed, or read again
    /// because the workspace confirms other near misses than its record was made with).
    pub reused: usize,
    pub read: usize,
    /// Records loaded that no note used (deleted notes, changed ones).
    pub unused: usize,
    /// Phase two: the notes read, whose near misses are still to be found.
    pub near_misses: NearMissPass,
}

/// Phase two of an index: the notes phase one read, each with the summary it made of them,
/// and the workspace facts that confirm their near misses.
#[derive(Debug, Default)]
pub struct NearMissPass {
    facts: WorkspaceFacts,
    notes: Vec<(PathBuf, Arc<FileSummary>)>,
}

/// One note finished by phase two: its record for the cache (`None` when it could not be
/// examined) and its summary, when it differs from phase one's.
pub struct Finished {
    pub path: PathBuf,
    pub record: Option<CachedNote>,
    pub summary: Option<Arc<FileSummary>>,
}

impl NearMissPass {
    /// How many notes wait for their near misses.
    pub fn len(&self) -> usize {
        self.notes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.notes.is_empty()
    }

    /// Find the near misses of every note, one note at a time on the calling thread: each
    /// note is examined and read again, recognised, and summarised as a single-phase pass
    /// would (with the facts of phase one); `each` receives it and returns `false` to stop.
    /// A note that can no longer be read keeps phase one's summary. False when stopped.
    pub fn run(
        self,
        read: Reader,
        kb: &KbSet,
        encoding: PositionEncoding,
        each: &mut dyn FnMut(Finished) -> bool,
    ) -> bool {
        for (path, exact) in self.notes {
            let key = NoteKey::of(&path);
            let Some(text) = read_or_warn(read, &path) else {
                continue;
            };
            let recognition = recognize(&text, &kb.kb);
            let note = first(key.unwrap_or_default(), &text, recognition, kb, encoding);
            let Some((note, summary)) = finish(note, &self.facts, || Some(text.clone()), kb, encoding) else {
                continue;
            };
            let summary = (*summary != *exact).then_some(summary);
            if !each(Finished {
                record: key.map(|_| note),
                path,
                summary,
            }) {
                return false;
            }
        }
        true
    }
}

impl Indexed {
    /// Whether the records are those that were loaded, every one: nothing read, nothing
    /// gone (the cache file need not be written again).
    pub fn as_loaded(&self) -> bool {
        self.read == 0 && self.unused == 0
    }

    /// Both phases one after the other, on the calling thread (the command line, tests): the
    /// index a single-phase pass makes.
    pub fn complete(mut self, read: Reader, kb: &KbSet, encoding: PositionEncoding) -> Indexed {
        let mut finished = HashMap::new();
        std::mem::take(&mut self.near_misses).run(read, kb, encoding, &mut |f| {
            if let Some(record) = f.record {
                self.notes.insert(f.path.clone(), Arc::new(record));
            }
            if let Some(summary) = f.summary {
                finished.insert(f.path, summary);
            }
            true
        });
        for (path, summary) in &mut self.summaries {
            if let Some(done) = finished.remove(path) {
                *summary = done;
            }
        }
        self
    }
}

/// What phase one keeps of a note: read now (its exact summary), or known from the cache.
enum Kept {
    Read(Arc<FileSummary>),
    Known(CachedNote),
}

/// Index `paths` with `cached` (the records loaded from the cache; made with `kb` and
/// `encoding`), phase one. `None` when the pass's progress stopped it.
pub fn index(
    pass: &Pass,
    kb: &KbSet,
    encoding: PositionEncoding,
    paths: Vec<PathBuf>,
    mut cached: HashMap<PathBuf, CachedNote>,
) -> Option<Indexed> {
    let keys: Vec<Option<NoteKey>> = paths.par_iter().map(|p| NoteKey::of(p)).collect();
    let mut fresh = Vec::new();
    let mut known = Vec::new();
    for (path, key) in paths.into_iter().zip(keys) {
        match cached.remove(&path) {
            Some(note) if key == Some(note.key) => {
                let exact = note.exact.clone();
                known.push((path, exact, Kept::Known(note)));
            }
            _ => fresh.push(path),
        }
    }
    let (known_notes, fresh_notes, unused) = (known.len(), fresh.len(), cached.len());
    let tally = pass.tally_with_known(fresh, known, |_, text, recognition| {
        Kept::Read(Arc::new(exact_summary(&text, &recognition, kb, encoding)))
    })?;
    let facts = tally.facts;
    // Known notes are final now (read again only when the workspace confirms other near
    // misses than their record was made with); notes read wait for phase two.
    let reread_known = AtomicUsize::new(0);
    let results: Vec<_> = tally
        .notes
        .into_par_iter()
        .filter_map(|(path, kept)| {
            let kept = kept
                .map_err(|e| tracing::warn!("not indexing {}: {e}", path.display()))
                .ok()?;
            match kept {
                Kept::Read(summary) => Some((path, None, summary)),
                Kept::Known(note) => {
                    let reread = || {
                        reread_known.fetch_add(1, Ordering::Relaxed);
                        read_or_warn(pass.read, &path)
                    };
                    let (note, summary) = finish(note, &facts, reread, kb, encoding)?;
                    Some((path, Some(note), summary))
                }
            }
        })
        .collect();
    let reread_known = reread_known.into_inner();
    let mut indexed = Indexed {
        reused: known_notes - reread_known,
        read: fresh_notes + reread_known,
        unused,
        ..Indexed::default()
    };
    for (path, record, summary) in results {
        match record {
            Some(note) => drop(indexed.notes.insert(path.clone(), Arc::new(note))),
            None => indexed.near_misses.notes.push((path.clone(), summary.clone())),
        }
        indexed.summaries.push((path, summary));
    }
    indexed.near_misses.facts = facts;
    Some(indexed)
}

/// One note read again: its record for the cache (`None` when it could not be examined) and
/// its summary given `facts`; `None` when it cannot be read.
pub fn note(
    path: &Path,
    read: Reader,
    kb: &KbSet,
    facts: &WorkspaceFacts,
    encoding: PositionEncoding,
) -> Option<(Option<CachedNote>, Arc<FileSummary>)> {
    let key = NoteKey::of(path);
    let text = read_or_warn(read, path)?;
    let recognition = recognize(&text, &kb.kb);
    let note = first(key.unwrap_or_default(), &text, recognition, kb, encoding);
    let (note, summary) = finish(note, facts, || Some(text.clone()), kb, encoding)?;
    Some((key.map(|_| note), summary))
}

fn read_or_warn(read: Reader, path: &Path) -> Option<String> {
    read(path)
        .map_err(|e| tracing::warn!("not indexing {}: {e}", path.display()))
        .ok()
}

/// A note's record from its one read in pass one.
fn first(key: NoteKey, text: &str, recognition: Recognition, kb: &KbSet, encoding: PositionEncoding) -> CachedNote {
    let exact = recognition.exact_entities(&kb.kb).collect();
    let FirstSummary { summary, waiting_for } = FirstSummary::new(text, recognition, kb, encoding);
    CachedNote {
        key,
        exact,
        waiting_for,
        confirmed: Vec::new(),
        summary: Arc::new(summary),
    }
}

/// The note's summary given the workspace facts: recorded already, or — when the facts
/// confirm other near misses than the record was made with — the note read again and
/// summarised with them (the record then keeps that summary).
fn finish(
    mut note: CachedNote,
    facts: &WorkspaceFacts,
    reread: impl FnOnce() -> Option<String>,
    kb: &KbSet,
    encoding: PositionEncoding,
) -> Option<(CachedNote, Arc<FileSummary>)> {
    if let Some(summary) = note.summary_given(facts) {
        return Some((note, summary));
    }
    note.confirmed = note.confirmed(facts);
    note.summary = Arc::new(summarize(&reread()?, kb, facts, encoding));
    let summary = note.summary.clone();
    Some((note, summary))
}
