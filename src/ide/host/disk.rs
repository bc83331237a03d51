//! The notes on disk in the [`AnalysisHost`]: one note read again ([`Change::DiskNote`]), and
//! the summaries the background phase of the index in force completes with their near
//! misses ([`Change::NearMisses`]: a note read again since the index was installed keeps its
//! newer summary). A note open in the editor keeps contributing its analysis; its disk
//! summary waits in the index for when it is closed.
//!
//! [`Change::DiskNote`]: super::Change::DiskNote
//! [`Change::NearMisses`]: super::Change::NearMisses

use std::sync::Arc;

use super::AnalysisHost;
use crate::ide::{FileId, FileSummary};

impl AnalysisHost {
    /// One note read again (`None`: gone, or no longer a note); true when what the workspace
    /// names changed.
    pub(super) fn disk_note(&mut self, file: FileId, summary: Option<Arc<FileSummary>>) -> bool {
        self.clock += 1;
        self.disk_marks.insert(file.clone(), self.clock);
        let index = Arc::make_mut(&mut self.index);
        match &summary {
            Some(s) => index.files.insert(file.clone(), s.clone()),
            None => index.files.remove(&file),
        };
        self.contributes_from_disk(&file) && self.set_contribution(&file, summary)
    }

    /// Summaries completed by the index's background phase; true when what the workspace
    /// names changed (a near miss that swallows an exact mention, ドネツク in a misspelt
    /// ドネツク民共和国).
    pub(super) fn near_misses(&mut self, found: Vec<(FileId, Arc<FileSummary>)>) -> bool {
        let mut changed = false;
        for (file, summary) in found {
            // Read again since the index was installed, or gone: the newer summary stands.
            if self.disk_marks.contains_key(&file) || !self.index.files.contains_key(&file) {
                continue;
            }
            Arc::make_mut(&mut self.index)
                .files
                .insert(file.clone(), summary.clone());
            if self.contributes_from_disk(&file) {
                changed |= self.set_contribution(&file, Some(summary));
            }
        }
        changed
    }

    /// True when the note's disk summary is its contribution (it is not open with an analysis).
    fn contributes_from_disk(&self, file: &FileId) -> bool {
        self.documents.get(file).is_none_or(|o| o.analysis.is_none())
    }
}
