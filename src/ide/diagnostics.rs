//! Every note's diagnostics, open or closed. An open note's come from its analysis
//! ([`super::AnalysisHost::analysis`]); a closed note is analysed on demand from its disk
//! text, which the caller reads and hands in ([`ClosedInputs::analyse`]) — the host keeps no
//! text of a closed note, only the mark of the disk version its summary was made from.
//!
//! A result id ([`result_id`]) names what a note's diagnostics were made from: the document's
//! opening and version (open) or its disk mark (closed), and the KB, configuration and facts
//! generations. Equal ids mean equal diagnostics, so a client that sends the id back gets an
//! "unchanged" answer without the note being analysed again.
//!
//! No I/O, no LSP types, no async.

use std::sync::Arc;

use super::host::Stamp;
use super::{FileId, Inputs, KbSet, OpenFile};
use crate::analysis::facts::WorkspaceFacts;
use crate::analysis::prh::PrhRules;
use crate::analysis::settings::Config;

/// The notes on disk that are not open, and what their diagnostics are made from now.
#[derive(Clone, Debug)]
pub struct ClosedNotes {
    /// Each note with the mark of the disk text the host knows of.
    pub notes: Vec<(FileId, u64)>,
    pub inputs: ClosedInputs,
}

/// Everything the analysis of a closed note reads besides its text, shared.
#[derive(Clone, Debug)]
pub struct ClosedInputs {
    /// The KB, configuration and facts generations (version and session 0).
    pub stamp: Stamp,
    pub kb: Arc<KbSet>,
    pub config: Arc<Config>,
    pub prh: PrhRules,
    pub facts: Arc<WorkspaceFacts>,
    pub max_note_bytes: u64,
}

impl ClosedInputs {
    /// Analyse a closed note's disk text (a note over the size limit is not analysed: its
    /// `analysed` is false).
    pub fn analyse(&self, file: FileId, text: String) -> OpenFile {
        let inputs = Inputs {
            kb: &self.kb,
            config: &self.config,
            prh: &self.prh,
            facts: &self.facts,
        };
        if text.len() as u64 > self.max_note_bytes {
            return OpenFile::unanalysed(file, self.stamp, text, inputs);
        }
        OpenFile::analyze(file, self.stamp, text, inputs)
    }

    /// The result id of a closed note whose disk text has `mark`.
    pub fn result_id(&self, mark: u64) -> String {
        result_id(&self.stamp, Some(mark))
    }
}

/// The result id of diagnostics made from `stamp` (an open note's analysis), or from a
/// closed note's disk text with `disk_mark`.
pub fn result_id(stamp: &Stamp, disk_mark: Option<u64>) -> String {
    let generations = format!(
        "{}.{}.{}",
        stamp.kb_generation, stamp.config_generation, stamp.facts_epoch
    );
    match disk_mark {
        Some(mark) => format!("d{mark}.{generations}"),
        None => format!("o{}.{}.{generations}", stamp.session, stamp.version),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture::Fixture;
    use crate::ide::host::Analysis;
    use crate::ide::{Change, FileSummary};

    fn rules(file: &OpenFile) -> Vec<&'static str> {
        file.analysis.diagnostics.iter().map(|d| d.rule.as_str()).collect()
    }

    #[test]
    fn a_closed_note_is_analysed_from_the_text_handed_in() {
        let fixture = Fixture::parse("//- /ws/a.txt\n本文。\n//- /ws/b.txt closed\n「閉じていない括弧。\n");
        let mut host = fixture.host();
        let closed = host.closed_notes();
        let b = FileId::new("/ws/b.txt");
        assert_eq!(closed.notes.iter().map(|n| &n.0).collect::<Vec<_>>(), vec![&b]);
        let analysed = closed.inputs.analyse(b.clone(), fixture.files[1].1.clone());
        assert_eq!(rules(&analysed), vec!["unmatched-bracket"]);

        // Another disk text gets another mark, hence another result id; nothing else does.
        let before = closed.inputs.result_id(closed.notes[0].1);
        let same = host.closed_notes();
        assert_eq!(same.inputs.result_id(same.notes[0].1), before);
        host.apply_change(Change::DiskNote {
            file: b,
            summary: Some(Arc::new(FileSummary::default())),
        });
        let again = host.closed_notes();
        assert_ne!(again.inputs.result_id(again.notes[0].1), before);
    }

    #[test]
    fn a_note_opened_again_has_another_result_id_at_the_same_version() {
        let fixture = Fixture::parse("//- /ws/a.txt\n本文。\n");
        let mut host = fixture.host();
        let a = FileId::new("/ws/a.txt");
        let stamp_of = |host: &crate::ide::AnalysisHost| match host.analysis(&a) {
            Some(Analysis::Current(_, file)) => file.stamp,
            Some(Analysis::Stale(job)) => job.stamp,
            None => panic!("a is open"),
        };
        let first = result_id(&stamp_of(&host), None);
        host.apply_change(Change::Close { file: a.clone() });
        assert_eq!(host.closed_notes().notes.len(), 1);
        host.apply_change(Change::Open {
            file: a.clone(),
            version: 1,
            text: "「別の本文。\n".into(),
        });
        assert_ne!(result_id(&stamp_of(&host), None), first);
    }
}
