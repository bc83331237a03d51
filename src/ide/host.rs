//! The analysis host, in rust-analyzer's sense: the one mutable model of a workspace. A
//! [`Change`] goes in ([`AnalysisHost::apply_change`]); immutable [`World`] snapshots come out
//! ([`AnalysisHost::snapshot`]). It keeps the open documents, the KB in force, the
//! configuration, the summary of every note on disk, and one tally of what the workspace
//! mentions ([`WorkspaceFacts`]), kept up to date note by note: every note contributes one
//! [`FileSummary`] — the open document's latest analysis when it is open, else the disk's —
//! and replacing a contribution takes the old one away and adds the new one.
//!
//! Analysing a note is the one slow step, so it is not done under whatever lock guards the
//! host: [`AnalysisHost::analysis`] hands out an [`AnalysisJob`] (everything the analysis
//! reads, shared), the job runs anywhere, and [`AnalysisHost::install`] keeps its result if
//! nothing it was made from changed meanwhile. Building a KB is likewise done outside and
//! handed in ([`Change::Kb`]). Whether an open document is a note, a KB file or the
//! configuration is decided here ([`DocKind`]). The closed notes are listed with the mark of
//! the disk text their summary was made from ([`AnalysisHost::closed_notes`]): their
//! diagnostics are made on demand from that text ([`super::diagnostics`]). The notes on
//! disk — one read again, the near misses an index finds in the background — are
//! `host/disk.rs`.
//!
//! No I/O, no LSP types, no async.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::diagnostics::{ClosedInputs, ClosedNotes};
use super::document::{DocKind, Document, TextChange};
use super::{FileId, FileSummary, Index, Inputs, KbSet, Keys, OpenFile, PositionEncoding, World};
use crate::analysis::facts::{NoteTally, WorkspaceFacts};
use crate::analysis::pipeline::NoteMemo;
use crate::analysis::prh::PrhRules;
use crate::analysis::settings::Config;
use crate::kb::EntityId;

mod disk;

/// What an analysis of an open note was made from; it is current while all four still hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Stamp {
    /// The document's version.
    pub version: i32,
    pub kb_generation: u64,
    pub config_generation: u64,
    /// Bumped whenever which entities the workspace names changes.
    pub facts_epoch: u64,
    /// Which opening of the document (a note opened again restarts its versions).
    pub session: u64,
}

/// One change to the host.
#[derive(Debug)]
pub enum Change {
    /// The position encoding negotiated with the client.
    Encoding(PositionEncoding),
    /// The workspace folders.
    Roots(Vec<PathBuf>),
    /// A document was opened in the editor.
    Open { file: FileId, version: i32, text: String },
    /// An open document changed (changes applied in order).
    Edit {
        file: FileId,
        version: i32,
        changes: Vec<TextChange>,
    },
    /// A document was closed.
    Close { file: FileId },
    /// A new KB, built from the KB files whose current texts come with it.
    Kb {
        kb: Arc<KbSet>,
        texts: BTreeMap<FileId, Arc<str>>,
    },
    /// The configuration, and the rules of the prh dictionaries it names.
    Config { config: Config, prh: PrhRules },
    /// The summaries of every note on disk (a whole new index).
    Index(Index),
    /// Summaries the background phase of the index in force completed (their near misses
    /// found); a note read again since the index was installed keeps its newer summary.
    NearMisses(Vec<(FileId, Arc<FileSummary>)>),
    /// One note on disk was read again (`None`: it is gone or no longer a note).
    DiskNote {
        file: FileId,
        summary: Option<Arc<FileSummary>>,
    },
}

/// What applying a change did that the caller may have to act on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Which entities the workspace names changed: other open notes may need re-checking.
    pub facts_changed: bool,
    /// The change concerned an open document of this kind (open, edit, close).
    pub document: Option<DocKind>,
    /// The configuration or prh rules changed.
    pub config_changed: bool,
}

/// An open document with its latest analysis.
#[derive(Debug)]
struct Open {
    doc: Document,
    /// When it was opened, on the host's clock (part of its [`Stamp`]).
    session: u64,
    /// The latest analysis (notes), possibly of an older version.
    analysis: Option<Arc<OpenFile>>,
}

/// A note's contribution to the tally: its summary and the summary's tally in the terms of
/// the KB in force.
#[derive(Debug)]
struct Contribution {
    summary: Arc<FileSummary>,
    tally: NoteTally,
}

/// Everything one analysis of an open note reads, shared; run it anywhere.
pub struct AnalysisJob {
    pub file: FileId,
    pub stamp: Stamp,
    text: String,
    memo: Arc<Mutex<NoteMemo>>,
    kb: Arc<KbSet>,
    config: Arc<Config>,
    prh: PrhRules,
    facts: Arc<WorkspaceFacts>,
    /// Notes larger than this are not analysed.
    max_note_bytes: u64,
}

impl AnalysisJob {
    /// Analyse the note (recognising only the lines that changed since its last analysis).
    pub fn run(self) -> OpenFile {
        let inputs = Inputs {
            kb: &self.kb,
            config: &self.config,
            prh: &self.prh,
            facts: &self.facts,
        };
        if self.text.len() as u64 > self.max_note_bytes {
            return OpenFile::unanalysed(self.file, self.stamp, self.text, inputs);
        }
        // After a panic in an earlier analysis the memo may have forgotten lines, never holds
        // wrong ones: still usable.
        let mut memo = self.memo.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        OpenFile::analyze_with_memo(self.file, self.stamp, self.text, inputs, &mut memo)
    }
}

/// The analysis of an open note: current, or to be made.
pub enum Analysis {
    Current(World, Arc<OpenFile>),
    Stale(AnalysisJob),
}

#[derive(Debug)]
pub struct AnalysisHost {
    encoding: PositionEncoding,
    /// Interns the stable keys of entities and spellings; shared, so a KB can be wrapped
    /// into a [`KbSet`] outside the host's lock.
    keys: Arc<Mutex<Keys>>,
    kb: Arc<KbSet>,
    kb_files: Arc<BTreeMap<FileId, Arc<str>>>,
    config: Arc<Config>,
    prh: PrhRules,
    config_generation: u64,
    roots: Arc<Vec<PathBuf>>,
    documents: HashMap<FileId, Open>,
    index: Arc<Index>,
    contributions: HashMap<FileId, Contribution>,
    facts: Arc<WorkspaceFacts>,
    facts_epoch: u64,
    max_note_bytes: u64,
    /// Ticks at every opening and every change to the notes on disk.
    clock: u64,
    /// When the index in force was installed, and when single notes were read again since:
    /// a closed note's diagnostics are made from its disk text as of that mark.
    index_mark: u64,
    disk_marks: HashMap<FileId, u64>,
}

impl AnalysisHost {
    /// A host with `kb` in force; notes larger than `max_note_bytes` are not analysed.
    pub fn new(kb: Arc<KbSet>, keys: Arc<Mutex<Keys>>, max_note_bytes: u64) -> Self {
        AnalysisHost {
            encoding: PositionEncoding::Utf16,
            keys,
            facts: Arc::new(WorkspaceFacts::new(&kb.kb)),
            kb,
            kb_files: Arc::default(),
            config: Arc::new(Config::default()),
            prh: PrhRules::default(),
            config_generation: 1,
            roots: Arc::default(),
            documents: HashMap::new(),
            index: Arc::default(),
            contributions: HashMap::new(),
            facts_epoch: 1,
            max_note_bytes,
            clock: 1,
            index_mark: 1,
            disk_marks: HashMap::new(),
        }
    }

    pub fn apply_change(&mut self, change: Change) -> Applied {
        let mut applied = Applied::default();
        match change {
            Change::Encoding(encoding) => self.encoding = encoding,
            Change::Roots(roots) => self.roots = Arc::new(roots),
            Change::Open { file, version, text } => {
                let kind = DocKind::of(file.path(), &self.config.kb_paths);
                let doc = Document::new(version, &text, kind);
                self.clock += 1;
                let session = self.clock;
                self.documents.insert(
                    file,
                    Open {
                        doc,
                        session,
                        analysis: None,
                    },
                );
                applied.document = Some(kind);
            }
            Change::Edit { file, version, changes } => {
                let encoding = self.encoding;
                if let Some(open) = self.documents.get_mut(&file) {
                    for change in &changes {
                        open.doc.apply(change, encoding);
                    }
                    open.doc.version = version;
                    applied.document = Some(open.doc.kind);
                }
            }
            Change::Close { file } => {
                if let Some(open) = self.documents.remove(&file) {
                    applied.document = Some(open.doc.kind);
                    if open.analysis.is_some() {
                        // Its disk version counts again.
                        let disk = self.index.files.get(&file).cloned();
                        applied.facts_changed = self.set_contribution(&file, disk);
                    }
                }
            }
            Change::Kb { kb, texts } => {
                self.kb = kb;
                self.kb_files = Arc::new(texts);
                self.recount();
                applied.facts_changed = true;
            }
            Change::Config { config, prh } => {
                if *self.config != config || self.prh != prh {
                    self.config = Arc::new(config);
                    self.prh = prh;
                    self.config_generation += 1;
                    applied.config_changed = true;
                }
            }
            Change::Index(index) => {
                self.index = Arc::new(index);
                self.clock += 1;
                self.index_mark = self.clock;
                self.disk_marks.clear();
                let analysed: Vec<FileId> = self
                    .documents
                    .iter()
                    .filter(|(_, open)| open.analysis.is_some())
                    .map(|(id, _)| id.clone())
                    .collect();
                self.contributions.retain(|id, _| analysed.contains(id));
                for (id, summary) in &self.index.files {
                    if !analysed.contains(id) {
                        // The tally is counted by `recount`, for every note at once.
                        let contribution = Contribution {
                            summary: summary.clone(),
                            tally: NoteTally::default(),
                        };
                        self.contributions.insert(id.clone(), contribution);
                    }
                }
                self.recount();
                applied.facts_changed = true;
            }
            Change::NearMisses(found) => applied.facts_changed = self.near_misses(found),
            Change::DiskNote { file, summary } => applied.facts_changed = self.disk_note(file, summary),
        }
        if applied.facts_changed {
            self.facts_epoch += 1;
        }
        applied
    }

    /// What an analysis of an open document at `version` made now would be made from.
    fn stamp(&self, version: i32, session: u64) -> Stamp {
        Stamp {
            version,
            session,
            kb_generation: self.kb.generation,
            config_generation: self.config_generation,
            facts_epoch: self.facts_epoch,
        }
    }

    /// A snapshot for the features: open notes with their latest analyses.
    pub fn snapshot(&self) -> World {
        let open = self
            .documents
            .iter()
            .filter_map(|(id, o)| o.analysis.as_ref().map(|a| (id.clone(), a.clone())))
            .collect();
        World {
            encoding: self.encoding,
            kb: self.kb.clone(),
            config: self.config.clone(),
            prh: self.prh.clone(),
            open,
            index: self.index.clone(),
            facts: self.facts.clone(),
            roots: self.roots.clone(),
            kb_files: self.kb_files.clone(),
        }
    }

    /// The analysis of the open note `file`: current, or a job to make it (`None` when
    /// `file` is not an open note).
    pub fn analysis(&self, file: &FileId) -> Option<Analysis> {
        let open = self.documents.get(file).filter(|o| o.doc.kind == DocKind::Note)?;
        let stamp = self.stamp(open.doc.version, open.session);
        if let Some(current) = open.analysis.as_ref().filter(|a| a.stamp == stamp) {
            return Some(Analysis::Current(self.snapshot(), current.clone()));
        }
        Some(Analysis::Stale(AnalysisJob {
            file: file.clone(),
            stamp,
            text: open.doc.text(),
            memo: open.doc.memo.clone(),
            kb: self.kb.clone(),
            config: self.config.clone(),
            prh: self.prh.clone(),
            facts: self.facts.clone(),
            max_note_bytes: self.max_note_bytes,
        }))
    }

    /// The latest analysis of an open note, current or not.
    pub fn latest(&self, file: &FileId) -> Option<(World, Arc<OpenFile>)> {
        let analysis = self.documents.get(file)?.analysis.clone()?;
        Some((self.snapshot(), analysis))
    }

    /// Keep an analysis made by a job if the document is still what the job read. Returns
    /// the analysis and whether which entities the workspace names changed (other notes may
    /// then need re-checking).
    pub fn install(&mut self, file: OpenFile) -> Option<(Arc<OpenFile>, bool)> {
        let id = file.id.clone();
        let open = self.documents.get(&id)?;
        let current = self.stamp(open.doc.version, open.session);
        if current != file.stamp {
            return None;
        }
        let mut file = file;
        let changed = self.set_contribution(&id, Some(file.summary.clone()));
        if changed {
            self.facts_epoch += 1;
        }
        // Its own mentions are already in its analysis: it stays current.
        file.stamp.facts_epoch = self.facts_epoch;
        let file = Arc::new(file);
        self.documents.get_mut(&id)?.analysis = Some(file.clone());
        Some((file, changed))
    }

    /// Replace a note's contribution to the tally; true when the set of entities the
    /// workspace names changed.
    fn set_contribution(&mut self, id: &FileId, summary: Option<Arc<FileSummary>>) -> bool {
        let old = self.contributions.remove(id);
        let new = summary.map(|summary| Contribution {
            tally: summary.tally(&self.kb),
            summary,
        });
        let mut touched: Vec<EntityId> = old
            .iter()
            .chain(new.iter())
            .flat_map(|c| c.tally.0.iter().map(|&(e, _, _)| e))
            .collect();
        touched.sort_unstable();
        touched.dedup();
        let named = |facts: &WorkspaceFacts| -> Vec<bool> { touched.iter().map(|&e| facts.mentions(e) > 0).collect() };
        let before = named(&self.facts);
        let old_passages = old.as_ref().map(|c| &c.summary.passages);
        let new_passages = new.as_ref().map(|c| &c.summary.passages);
        let passages_changed = old_passages != new_passages;
        let facts = Arc::make_mut(&mut self.facts);
        if let Some(old) = &old {
            facts.add_note(&old.tally, true);
        }
        if passages_changed {
            let index = Arc::make_mut(&mut facts.passages);
            if let Some(old) = old_passages {
                index.add(id, old, true);
            }
            if let Some(new) = new_passages {
                index.add(id, new, false);
            }
        }
        // Other notes' diagnostics change when a passage this note added or took away is
        // also in one of them.
        let shared = passages_changed && {
            let index = &self.facts.passages;
            let mut hashes = old_passages
                .into_iter()
                .chain(new_passages)
                .flat_map(|p| p.0.iter().map(|h| h.0));
            hashes.any(|h| index.in_other_notes(h, id))
        };
        if let Some(new) = new {
            Arc::make_mut(&mut self.facts).add_note(&new.tally, false);
            self.contributions.insert(id.clone(), new);
        }
        shared || before != named(&self.facts)
    }

    /// Count everything again from the contributions (after the KB or the index changed).
    fn recount(&mut self) {
        let mut facts = WorkspaceFacts::new(&self.kb.kb);
        let mut passages = crate::analysis::facts::PassageIndex::default();
        let kb = &self.kb;
        self.contributions
            .par_iter_mut()
            .for_each(|(_, c)| c.tally = c.summary.tally(kb));
        for (id, c) in self.contributions.iter() {
            facts.add_note(&c.tally, false);
            passages.add(id, &c.summary.passages, false);
        }
        facts.passages = Arc::new(passages);
        self.facts = Arc::new(facts);
    }

    // What the server reads of the host.

    pub fn encoding(&self) -> PositionEncoding {
        self.encoding
    }

    pub fn kb(&self) -> &Arc<KbSet> {
        &self.kb
    }

    /// The key table KBs are wrapped with ([`KbSet::new`]).
    pub fn keys(&self) -> Arc<Mutex<Keys>> {
        self.keys.clone()
    }

    pub fn config(&self) -> &Arc<Config> {
        &self.config
    }

    pub fn prh(&self) -> &PrhRules {
        &self.prh
    }

    pub fn roots(&self) -> &Arc<Vec<PathBuf>> {
        &self.roots
    }

    /// An open document.
    pub fn document(&self, file: &FileId) -> Option<&Document> {
        self.documents.get(file).map(|o| &o.doc)
    }

    /// Every open document, with its kind.
    pub fn documents(&self) -> impl Iterator<Item = (&FileId, DocKind)> {
        self.documents.iter().map(|(id, o)| (id, o.doc.kind))
    }

    /// Every note on disk that is not open, with the mark of its disk text, and what their
    /// diagnostics are made from now ([`ClosedNotes`]).
    pub fn closed_notes(&self) -> ClosedNotes {
        let notes = self
            .index
            .files
            .keys()
            .filter(|id| !self.documents.contains_key(*id))
            .map(|id| (id.clone(), *self.disk_marks.get(id).unwrap_or(&self.index_mark)))
            .collect();
        ClosedNotes {
            notes,
            inputs: ClosedInputs {
                stamp: self.stamp(0, 0),
                kb: self.kb.clone(),
                config: self.config.clone(),
                prh: self.prh.clone(),
                facts: self.facts.clone(),
                max_note_bytes: self.max_note_bytes,
            },
        }
    }

    /// How many notes on disk are summarised.
    pub fn indexed_notes(&self) -> usize {
        self.index.files.len()
    }
}
