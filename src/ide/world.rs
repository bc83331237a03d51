//! The snapshot every feature reads: [`World`] — the KB, the configuration, the open seed
//! documents with their full analyses ([`OpenFile`]), the summaries of every seed file on
//! disk ([`super::Index`]) and the workspace mention counts. A `World` is cheap to clone
//! (everything big is behind an `Arc`) and never changes; the server builds a new one after
//! each change.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use super::{Counts, FileId, FileSummary, Index, KbSet, LineCol, PositionEncoding, Span};
use crate::analysis::facts::WorkspaceFacts;
use crate::analysis::prh::PrhRules;
use crate::analysis::recognize::memo::RecognitionMemo;
use crate::analysis::recognize::Mention;
use crate::analysis::settings::Config;
use crate::analysis::{analyze, analyze_with_memo, Analysis, Context};
use crate::base::{LineIndex, TextRange};
use crate::kb::EntityId;

/// An open seed document, analysed at one version.
#[derive(Debug)]
pub struct OpenFile {
    pub id: FileId,
    pub version: i32,
    pub text: Arc<str>,
    pub line_index: LineIndex,
    pub analysis: Analysis,
    pub summary: Arc<FileSummary>,
    /// The [`KbSet::generation`] the analysis was made with.
    pub kb_generation: u64,
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
    fn context(&self) -> Context<'a> {
        Context {
            kb: &self.kb.kb,
            config: self.config,
            prh: self.prh,
            facts: self.facts,
        }
    }
}

impl OpenFile {
    pub fn analyze(id: FileId, version: i32, text: Arc<str>, inputs: Inputs) -> OpenFile {
        let analysis = analyze(&text, inputs.context());
        OpenFile::new(id, version, text, inputs.kb, analysis)
    }

    /// [`OpenFile::analyze`] recognising only the lines that changed since the note's last
    /// analysis with `memo` ([`crate::analysis::analyze_with_memo`]).
    pub fn analyze_with_memo(
        id: FileId,
        version: i32,
        text: Arc<str>,
        inputs: Inputs,
        memo: &mut RecognitionMemo,
    ) -> OpenFile {
        let analysis = analyze_with_memo(&text, inputs.context(), inputs.kb.generation, memo);
        OpenFile::new(id, version, text, inputs.kb, analysis)
    }

    fn new(id: FileId, version: i32, text: Arc<str>, kb: &KbSet, analysis: Analysis) -> OpenFile {
        let line_index = LineIndex::new(&text);
        let summary = Arc::new(FileSummary::new(&analysis.recognition.mentions, kb));
        OpenFile {
            id,
            version,
            text,
            line_index,
            analysis,
            summary,
            kb_generation: kb.generation,
            analysed: true,
        }
    }

    /// A note too large to analyse: its text and line index (positions still convert), an
    /// empty analysis (every feature answers nothing).
    pub fn unanalysed(id: FileId, version: i32, text: Arc<str>, kb: &KbSet, config: &Config) -> OpenFile {
        let line_index = LineIndex::new(&text);
        let cx = Context {
            kb: &kb.kb,
            config,
            prh: &PrhRules::default(),
            facts: &WorkspaceFacts::new(&kb.kb),
        };
        let analysis = analyze("", cx);
        let summary = Arc::new(FileSummary::default());
        OpenFile {
            id,
            version,
            text,
            line_index,
            analysis,
            summary,
            kb_generation: kb.generation,
            analysed: false,
        }
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
    /// Open seed documents, analysed.
    pub open: HashMap<FileId, Arc<OpenFile>>,
    /// Every seed file found on disk, as it is on disk.
    pub index: Arc<Index>,
    /// Mention counts over every seed file (open ones counted as they are in the editor).
    pub counts: Arc<Counts>,
    /// Workspace folders.
    pub roots: Arc<Vec<PathBuf>>,
    /// The workspace's KB files with their current text (the editor's, when open), even
    /// when they do not parse — edits to them are computed against this text.
    pub kb_files: Arc<BTreeMap<FileId, Arc<str>>>,
}

impl World {
    /// Every seed file once: the open ones, then the files on disk that are not open.
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
        let key = self.kb.entity_key(entity);
        (self.counts.mentions(key), self.counts.files(key))
    }
}
