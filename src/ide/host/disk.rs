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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::facts::WorkspaceFacts;
    use crate::analysis::recognize::recognize;
    use crate::ide::summary::{exact_summary, summarize};
    use crate::ide::{Change, Index, KbSet, Keys, PositionEncoding};

    /// Phase one's summaries, then phase two's: a near miss that swallows the vault's only
    /// exact ドネツク changes what the workspace names (open notes are checked again); a note
    /// read again meanwhile keeps its newer summary.
    #[test]
    fn near_misses_replace_the_first_summaries_but_not_newer_reads() {
        let kb = Arc::new(KbSet::new(crate::kb::Kb::builtin(), [], None, &mut Keys::default(), 1));
        let mut host = AnalysisHost::new(kb.clone(), Arc::default(), u64::MAX);
        let encoding = PositionEncoding::Utf16;
        let notes = [
            ("/ws/x.txt", "ドネツク民共和国について述べた。\n"),
            ("/ws/y.txt", "ドネツク人民共和国の首長は述べた。\n"),
            (
                "/ws/z.txt",
                "昨日、ゼレンスキが語った。ゼレンスキー大統領は演説した。\n",
            ),
        ];
        let mut facts = WorkspaceFacts::new(&kb.kb);
        for (_, text) in notes {
            let exact: Vec<_> = recognize(text, &kb.kb).exact_entities(&kb.kb).collect();
            facts.add_mentions(exact, false);
        }
        let first = |text: &str| Arc::new(exact_summary(text, &recognize(text, &kb.kb), &kb, encoding));
        let files = notes.iter().map(|(p, t)| (FileId::new(*p), first(t))).collect();
        host.apply_change(Change::Index(Index { files }));
        let named_before = host.facts.clone();
        // z.txt changes on disk before phase two reaches it.
        let (z, newer) = (FileId::new("/ws/z.txt"), first("ゼレンスキー氏\n"));
        host.apply_change(Change::DiskNote {
            file: z.clone(),
            summary: Some(newer.clone()),
        });
        let found = notes
            .iter()
            .map(|(p, t)| (FileId::new(*p), Arc::new(summarize(t, &kb, &facts, encoding))))
            .collect::<Vec<_>>();
        let x = FileId::new("/ws/x.txt");
        assert_ne!(host.index.files[&x], found[0].1, "x.txt has a near miss");
        let applied = host.apply_change(Change::NearMisses(found.clone()));
        assert!(applied.facts_changed, "ドネツク is no longer named");
        assert_ne!(*host.facts, *named_before);
        assert_eq!(host.index.files[&x], found[0].1);
        assert!(Arc::ptr_eq(&host.index.files[&z], &newer));
        // The same summaries again change nothing.
        assert!(!host.apply_change(Change::NearMisses(found)).facts_changed);
    }
}
