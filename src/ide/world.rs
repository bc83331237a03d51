//! The snapshot every feature reads: [`World`] — the KB, the configuration, the open notes
//! with their full analyses ([`OpenFile`]), the summaries of every note on disk
//! ([`super::Index`]) and what the workspace mentions ([`WorkspaceFacts`]). A `World` is
//! cheap to clone (everything big is behind an `Arc`) and never changes; the
//! [`super::AnalysisHost`] hands out a new one after each change.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use super::host::Stamp;
use super::{FileId, FileSummary, Index, KbSet, LineCol, PositionEncoding, Span};
use crate::analysis::facts::WorkspaceFacts;
use crate::analysis::pipeline::NoteMemo;
use crate::analysis::prh::PrhRules;
use crate::analysis::recognize::Mention;
use crate::analysis::settings::Config;
use crate::analysis::{analyze, analyze_with_memo, Analysis, Context};
use crate::base::{LineIndex, TextRange};
use crate::kb::EntityId;

/// An open note, analysed at one version.
#[derive(Debug)]
pub struct OpenFile {
    pub id: FileId,
    /// What the analysis was made from (the note's version among them).
    pub stamp: Stamp,
    pub text: String,
    pub line_index: LineIndex,
    pub analysis: Analysis,
    pub summary: Arc<FileSummary>,
    /// False when the text was too large to analyse ([`OpenFile::unanalysed`]).
    pub analysed: bool,
}

/// What an open note is analysed against.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    pub kb: &'a KbSet,
    pub config: &'a Config,
    pub prh: &'a PrhRules,
    pub facts: &'a WorkspaceFacts,
}

impl<'a> Inputs<'a> {
    fn context<'b>(&self, file: &'b FileId) -> Context<'b>
    where
        'a: 'b,
    {
        Context {
            kb: &self.kb.kb,
            config: self.config,
            prh: self.prh,
            facts: self.facts,
            file: Some(file),
        }
    }
}

impl OpenFile {
    /// Analyse `text` afresh.
    pub fn analyze(id: FileId, stamp: Stamp, text: String, inputs: Inputs) -> OpenFile {
        let analysis = analyze(&text, inputs.context(&id));
        OpenFile::new(id, stamp, text, inputs.kb, analysis)
    }

    /// [`OpenFile::analyze`] recognising only the lines that changed since the note's last
    /// analysis with `memo` ([`crate::analysis::analyze_with_memo`]).
    pub fn analyze_with_memo(id: FileId, stamp: Stamp, text: String, inputs: Inputs, memo: &mut NoteMemo) -> OpenFile {
        let analysis = analyze_with_memo(&text, inputs.context(&id), inputs.kb.generation, memo);
        OpenFile::new(id, stamp, text, inputs.kb, analysis)
    }

    fn new(id: FileId, stamp: Stamp, text: String, kb: &KbSet, analysis: Analysis) -> OpenFile {
        let line_index = LineIndex::new(&text);
        let passages = analysis.passages.clone();
        let summary = Arc::new(FileSummary::new(&analysis.recognition.mentions, kb).with_passages(passages));
        OpenFile {
            id,
            stamp,
            text,
            line_index,
            analysis,
            summary,
            analysed: true,
        }
    }

    /// A note too large to analyse: its text and line index (positions still convert), an
    /// empty analysis (every feature answers nothing).
    pub fn unanalysed(id: FileId, stamp: Stamp, text: String, inputs: Inputs) -> OpenFile {
        let line_index = LineIndex::new(&text);
        let analysis = analyze("", inputs.context(&id));
        OpenFile {
            id,
            stamp,
            text,
            line_index,
            analysis,
            summary: Arc::new(FileSummary::default()),
            analysed: false,
        }
    }

    /// The version of the text the analysis was made of.
    pub fn version(&self) -> i32 {
        self.stamp.version
    }

    /// Byte offset of a position (clamped into the text, as LSP clients expect).
    pub fn offset(&self, position: LineCol, encoding: PositionEncoding) -> usize {
        self.line_index.offset(&self.text, position, encoding)
    }

    pub fn line_col(&self, offset: usize, encoding: PositionEncoding) -> LineCol {
        self.line_index.line_col(&self.text, offset, encoding)
    }

    pub fn span(&self, range: TextRange, encoding: PositionEncoding) -> Span {
        Span {
            start: self.line_col(range.start, encoding),
            end: self.line_col(range.end, encoding),
        }
    }

    /// Byte range of a span.
    pub fn range(&self, span: Span, encoding: PositionEncoding) -> TextRange {
        let start = self.offset(span.start, encoding);
        let end = self.offset(span.end, encoding).max(start);
        TextRange::new(start, end)
    }

    /// The mention under byte `offset`: one containing it, else one ending right there.
    pub fn mention_at(&self, offset: usize) -> Option<&Mention> {
        let mentions = &self.analysis.recognition.mentions;
        let i = mentions.partition_point(|m| m.range.end <= offset);
        if let Some(m) = mentions.get(i).filter(|m| m.range.start <= offset) {
            return Some(m);
        }
        i.checked_sub(1).map(|j| &mentions[j]).filter(|m| m.range.end == offset)
    }
}

/// One seed file of the workspace as a feature sees it.
#[derive(Clone, Copy, Debug)]
pub enum SeedView<'a> {
    Open(&'a OpenFile),
    Closed(&'a FileId, &'a FileSummary),
}

impl<'a> SeedView<'a> {
    pub fn id(&self) -> &'a FileId {
        match self {
            SeedView::Open(f) => &f.id,
            SeedView::Closed(id, _) => id,
        }
    }

    pub fn summary(&self) -> &'a FileSummary {
        match self {
            SeedView::Open(f) => &f.summary,
            SeedView::Closed(_, s) => s,
        }
    }

    /// The span of the summary's `i`-th mention.
    pub fn mention_span(&self, i: usize, encoding: PositionEncoding) -> Option<Span> {
        match self {
            SeedView::Open(f) => Some(f.span(f.summary.mentions.get(i)?.range, encoding)),
            SeedView::Closed(_, s) => s.spans.as_ref()?.get(i).copied(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct World {
    pub encoding: PositionEncoding,
    pub kb: Arc<KbSet>,
    pub config: Arc<Config>,
    /// The rules of the configured prh dictionaries.
    pub prh: PrhRules,
    /// Open notes, analysed.
    pub open: HashMap<FileId, Arc<OpenFile>>,
    /// Every note found on disk, as it is on disk.
    pub index: Arc<Index>,
    /// What every note mentions (open ones counted as they are in the editor).
    pub facts: Arc<WorkspaceFacts>,
    /// Workspace folders.
    pub roots: Arc<Vec<PathBuf>>,
    /// The workspace's KB files with their current text (the editor's, when open), even
    /// when they do not parse — edits to them are computed against this text.
    pub kb_files: Arc<BTreeMap<FileId, Arc<str>>>,
}

impl World {
    /// Every note once: the open ones, then the notes on disk that are not open.
    pub fn seed_files(&self) -> impl Iterator<Item = SeedView<'_>> {
        let mut open: Vec<&Arc<OpenFile>> = self.open.values().collect();
        open.sort_by(|a, b| a.id.cmp(&b.id));
        open.into_iter().map(|f| SeedView::Open(f)).chain(
            self.index
                .files
                .iter()
                .filter(|(id, _)| !self.open.contains_key(*id))
                .map(|(id, s)| SeedView::Closed(id, s)),
        )
    }

    /// (mentions, files) of an entity across the workspace.
    pub fn entity_counts(&self, entity: EntityId) -> (u32, u32) {
        self.facts.all_mentions(entity)
    }
}
