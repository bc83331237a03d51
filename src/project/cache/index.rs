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
use std::sync::Arc;

use rayon::prelude::*;

use super::{CachedNote, NoteKey};
use crate::analysis::facts::WorkspaceFacts;
use crate::analysis::recognize::{recognize, Recognition};
use crate::base::PositionEncoding;
use crate::ide::summary::{summarize, FirstSummary};
use crate::ide::{FileSummary, KbSet};
use crate::project::batch::{Pass, Reader};

/// A workspace indexed with the cache.
#[derive(Debug, Default)]
pub struct Indexed {
    /// Each note's summary given the workspace facts.
    pub summaries: Vec<(PathBuf, Arc<FileSummary>)>,
    /// What to cache of each note (a note that could not be examined is left out).
    pub notes: HashMap<PathBuf, Arc<CachedNote>>,
    /// Notes whose cached record was used as it was, notes read (new, changed, or read again
    /// because the workspace confirms other near misses than its record was made with).
    pub reused: usize,
    pub read: usize,
    /// Records loaded that no note used (deleted notes, changed ones).
    pub unused: usize,
}

impl Indexed {
    /// Whether the records are those that were loaded, every one: nothing read, nothing
    /// gone (the cache file need not be written again).
    pub fn as_loaded(&self) -> bool {
        self.read == 0 && self.unused == 0
    }
}

/// Index `paths` with `cached` (the records loaded from the cache; made with `kb` and
/// `encoding`). `None` when the pass's progress stopped it.
pub fn index(
    pass: &Pass,
    kb: &KbSet,
    encoding: PositionEncoding,
    paths: Vec<PathBuf>,
    mut cached: HashMap<PathBuf, CachedNote>,
) -> Option<Indexed> {
    let keys: Vec<Option<NoteKey>> = paths.par_iter().map(|p| NoteKey::of(p)).collect();
    let mut fresh = Vec::new();
    let mut fresh_keys: HashMap<PathBuf, Option<NoteKey>> = HashMap::new();
    let mut known = Vec::new();
    for (path, key) in paths.into_iter().zip(keys) {
        match cached.remove(&path) {
            Some(note) if key == Some(note.key) => {
                let exact = note.exact.clone();
                known.push((path, exact, (true, note)));
            }
            _ => {
                fresh_keys.insert(path.clone(), key);
                fresh.push(path);
            }
        }
    }
    let (known_notes, fresh_notes, unused) = (known.len(), fresh.len(), cached.len());
    let reread_known = std::sync::atomic::AtomicUsize::new(0);
    let results = pass.run_with_known(
        fresh,
        known,
        |path, text, recognition| {
            let key = fresh_keys.get(path).copied().flatten();
            (
                key.is_some(),
                first(key.unwrap_or_default(), &text, recognition, kb, encoding),
            )
        },
        |path, kept, facts| {
            let (cacheable, note) = kept
                .map_err(|e| tracing::warn!("not indexing {}: {e}", path.display()))
                .ok()?;
            let fresh = fresh_keys.contains_key(&path);
            let reread = || {
                if !fresh {
                    reread_known.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                read_or_warn(pass.read, &path)
            };
            let (note, summary) = finish(note, facts, reread, kb, encoding)?;
            Some((path, cacheable, note, summary))
        },
    )?;
    let reread_known = reread_known.into_inner();
    let mut indexed = Indexed {
        reused: known_notes - reread_known,
        read: fresh_notes + reread_known,
        unused,
        ..Indexed::default()
    };
    for (path, cacheable, note, summary) in results.into_iter().flatten() {
        if cacheable {
            indexed.notes.insert(path.clone(), Arc::new(note));
        }
        indexed.summaries.push((path, summary));
    }
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
