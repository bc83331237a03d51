//! The one workspace pass, used by `check`, `entities`, the server's indexing, the IDE test
//! fixtures and the benchmark.
//!
//! Near misses are confirmed by what the rest of the workspace mentions, so a workspace is
//! read in two passes:
//! 1. every note is read (the one reading policy, or texts in memory) and recognised, in
//!    parallel; the entities it names exactly are tallied into the [`WorkspaceFacts`], its
//!    substantial paragraphs fingerprinted into their [`crate::analysis::facts::PassageIndex`]
//!    (passages pasted into two notes), and the caller keeps what it needs of the note for
//!    pass two (`first`);
//! 2. each note is finished against the facts (`second`), in parallel.
//!
//! Pass one runs in chunks and reports progress after each; the caller may stop it there.
//! The server's index takes pass one alone ([`Pass::tally_with_known`]) and does pass two in
//! two phases of its own (`super::cache::index`): exact mentions at once, near misses in the
//! background.
//! Notes known already (the server's index cache) skip pass one: what they name exactly is
//! added to the facts as it was recorded.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::read::{read_text, ReadProblem};
use crate::analysis::facts::{NotePassages, WorkspaceFacts};
use crate::analysis::layout::Layout;
use crate::analysis::recognize::{recognize, Recognition};
use crate::analysis::rules::duplicate_passage::note_passages;
use crate::base::FileId;
use crate::kb::{EntityId, Kb};

/// How the pass reaches the notes' texts.
pub type Reader<'a> = &'a (dyn Fn(&Path) -> Result<String, ReadProblem> + Sync);

/// Reads notes from disk with the one reading policy; `max_note_bytes`: `None`, no limit.
pub fn disk(max_note_bytes: Option<u64>) -> impl Fn(&Path) -> Result<String, ReadProblem> + Sync {
    move |path| read_text(path, max_note_bytes)
}

/// Does nothing with progress.
pub fn no_progress(_done: usize, _total: usize) -> bool {
    true
}

/// The workspace pass over some notes.
pub struct Pass<'a> {
    pub kb: &'a Kb,
    pub read: Reader<'a>,
    /// Called after each chunk of pass one with (notes read, notes in all); returning
    /// `false` stops the pass.
    pub progress: &'a (dyn Fn(usize, usize) -> bool + Sync),
}

/// A note as pass one left it: what `first` kept, or why it could not be read.
pub type Kept<K> = Result<K, ReadProblem>;

/// What pass one learnt: what the workspace mentions, and what was kept of each note.
pub struct Tally<K> {
    pub facts: WorkspaceFacts,
    pub notes: Vec<(PathBuf, Kept<K>)>,
}

/// A note's exact mentions (their entities), its paragraph fingerprints and what `first`
/// kept of it.
type Recognised<K> = (Vec<usize>, NotePassages, K);

impl Pass<'_> {
    /// Run both passes over `paths` (in this order in the result). `first` receives each
    /// note's text and recognition and returns what pass two needs; `second` finishes a note
    /// against the facts. `None` when `progress` stopped the pass.
    pub fn run<K, R>(
        &self,
        paths: Vec<PathBuf>,
        first: impl Fn(&Path, String, Recognition) -> K + Sync,
        second: impl Fn(PathBuf, Kept<K>, &WorkspaceFacts) -> R + Sync,
    ) -> Option<Vec<R>>
    where
        K: Send,
        R: Send,
    {
        self.run_with_known(paths, Vec::new(), first, second)
    }

    /// [`Pass::run`] when some notes are known already (the index cache, `super::cache`):
    /// each comes with the entities it names exactly, one per mention, and what pass two
    /// needs of it, and is not read. The result has the notes of `paths` first, then the
    /// known ones.
    pub fn run_with_known<K, R>(
        &self,
        paths: Vec<PathBuf>,
        known: Vec<(PathBuf, Vec<EntityId>, K)>,
        first: impl Fn(&Path, String, Recognition) -> K + Sync,
        second: impl Fn(PathBuf, Kept<K>, &WorkspaceFacts) -> R + Sync,
    ) -> Option<Vec<R>>
    where
        K: Send,
        R: Send,
    {
        let Tally { facts, notes } = self.tally_with_known(paths, known, first)?;
        Some(
            notes
                .into_par_iter()
                .map(|(path, kept)| second(path, kept, &facts))
                .collect(),
        )
    }

    /// Pass one with some notes known already, as [`Pass::run_with_known`] takes them (the
    /// server's index then finishes the notes in two phases of its own).
    pub fn tally_with_known<K: Send>(
        &self,
        paths: Vec<PathBuf>,
        known: Vec<(PathBuf, Vec<EntityId>, K)>,
        first: impl Fn(&Path, String, Recognition) -> K + Sync,
    ) -> Option<Tally<K>> {
        let Tally { mut facts, mut notes } = self.tally(paths, first)?;
        for (path, exact, kept) in known {
            facts.add_mentions(exact, false);
            notes.push((path, Ok(kept)));
        }
        Some(Tally { facts, notes })
    }

    /// Pass one alone: the facts, and what `first` kept of each note.
    pub fn tally<K: Send>(
        &self,
        paths: Vec<PathBuf>,
        first: impl Fn(&Path, String, Recognition) -> K + Sync,
    ) -> Option<Tally<K>> {
        let total = paths.len();
        let chunk = (total / 20).clamp(32, 1024);
        let mut facts = WorkspaceFacts::new(self.kb);
        let mut kept = Vec::with_capacity(total);
        let mut paths = paths.into_iter();
        loop {
            let batch: Vec<PathBuf> = paths.by_ref().take(chunk).collect();
            if batch.is_empty() {
                break;
            }
            let read: Vec<(PathBuf, Kept<Recognised<K>>)> = batch
                .into_par_iter()
                .map(|path| {
                    let note = (self.read)(&path).map(|text| {
                        let recognition = recognize(&text, self.kb);
                        let exact: Vec<usize> = recognition.exact_entities(self.kb).collect();
                        let passages = note_passages(&text, &Layout::parse(&text), &recognition.normalized);
                        (exact, passages, first(&path, text, recognition))
                    });
                    (path, note)
                })
                .collect();
            for (path, note) in read {
                let note = note.map(|(exact, passages, k)| {
                    facts.add_mentions(exact, false);
                    Arc::make_mut(&mut facts.passages).add(&FileId::from_path(&path), &passages, false);
                    k
                });
                kept.push((path, note));
            }
            if !(self.progress)(kept.len(), total) {
                return None;
            }
        }
        Some(Tally { facts, notes: kept })
    }
}
