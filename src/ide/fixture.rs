//! Test worlds for the feature tests: the small test KB (`test/entities.toml`) and a few
//! notes, open or on disk, with `$0` marking the cursor, made the way the server makes its
//! own: the one workspace pass, then an [`AnalysisHost`]. Helpers render answers inline so
//! expectations read like the note.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::host::Analysis;
use super::summary::FirstSummary;
use super::{
    AnalysisHost, AnalysisJob, Change, FileId, Index, KbSet, Keys, LineCol, OpenFile, PositionEncoding, Span, World,
};
use crate::analysis::prh::PrhRules;
use crate::analysis::settings::Config;
use crate::analysis::test_support::TEST_KB;
use crate::base::LineIndex;
use crate::kb::{parse_kb_file, Kb};
// Test code may use any layer: the fixtures go through the one workspace pass.
use crate::project::batch::{self, Pass};
use crate::project::read::MAX_NOTE_BYTES;

pub const KB_FILE: &str = "/ws/entities.toml";
pub const BUILTIN_COPY: &str = "/cache/seed-lsp/entities.toml";

/// The cursor of a fixture: where `$0` was.
pub struct Cursor {
    pub position: LineCol,
}

pub fn kb_set() -> Arc<KbSet> {
    let file = parse_kb_file(KB_FILE, TEST_KB).expect("test KB parses");
    let (kb, errors) = Kb::build(vec![file]);
    assert!(errors.is_empty(), "{errors:?}");
    let texts = [(Arc::<str>::from(KB_FILE), Arc::<str>::from(TEST_KB))];
    Arc::new(KbSet::new(
        Arc::new(kb),
        texts,
        Some(FileId::new(BUILTIN_COPY)),
        &mut Keys::default(),
        1,
    ))
}

/// A world in UTF-16 with `open` files analysed and `closed` files summarised from disk.
pub fn world(open: &[(&str, &str)], closed: &[(&str, &str)]) -> (World, Option<Cursor>) {
    world_in(PositionEncoding::Utf16, open, closed)
}

pub fn world_in(encoding: PositionEncoding, open: &[(&str, &str)], closed: &[(&str, &str)]) -> (World, Option<Cursor>) {
    world_with(encoding, Config::default(), open, closed)
}

/// The world an editor would see: every note on disk summarised by the one workspace pass
/// (the open ones as on disk too), then the `open` ones opened and analysed by an
/// [`AnalysisHost`] until every analysis is current.
pub fn world_with(
    encoding: PositionEncoding,
    config: Config,
    open: &[(&str, &str)],
    closed: &[(&str, &str)],
) -> (World, Option<Cursor>) {
    let mut cursor = None;
    let mut strip = |text: &str| -> String {
        if let Some(offset) = text.find("$0") {
            let clean = text.replacen("$0", "", 1);
            let position = LineIndex::new(&clean).line_col(&clean, offset, encoding);
            cursor = Some(Cursor { position });
            clean
        } else {
            text.to_string()
        }
    };
    let open: Vec<(String, String)> = open.iter().map(|(p, t)| (p.to_string(), strip(t))).collect();
    let closed: Vec<(String, String)> = closed.iter().map(|(p, t)| (p.to_string(), strip(t))).collect();
    let kb = kb_set();
    let mut host = AnalysisHost::new(kb.clone(), Arc::default(), MAX_NOTE_BYTES);
    host.apply_change(Change::Encoding(encoding));
    host.apply_change(Change::Roots(vec!["/ws".into()]));
    host.apply_change(Change::Config {
        config,
        prh: PrhRules::default(),
    });
    host.apply_change(Change::Kb {
        kb: kb.clone(),
        texts: [(FileId::new(KB_FILE), Arc::<str>::from(TEST_KB))]
            .into_iter()
            .collect(),
    });
    // The notes on disk, through the one workspace pass, reading texts from memory.
    let disk: HashMap<PathBuf, String> = open.iter().chain(&closed).map(|(p, t)| (p.into(), t.clone())).collect();
    let read = |path: &Path| Ok(disk[path].clone());
    let pass = Pass {
        kb: &kb.kb,
        read: &read,
        progress: &batch::no_progress,
    };
    let summaries = pass
        .run(
            disk.keys().cloned().collect(),
            |_, text, recognition| FirstSummary::new(&text, recognition, &kb, encoding),
            |path, note, facts| {
                let summary = note.ok()?.finish(facts, || disk.get(&path).cloned(), &kb, encoding)?;
                Some((FileId::from_path(&path), Arc::new(summary)))
            },
        )
        .expect("the pass runs to the end");
    host.apply_change(Change::Index(Index {
        files: summaries.into_iter().flatten().collect(),
    }));
    for (path, text) in &open {
        host.apply_change(Change::Open {
            file: FileId::new(path.as_str()),
            version: 1,
            text: text.clone(),
        });
    }
    // Analyse until every open note is current (an analysis may change what the workspace
    // names, and so the others' analyses).
    loop {
        let stale: Vec<AnalysisJob> = open
            .iter()
            .filter_map(|(path, _)| match host.analysis(&FileId::new(path.as_str()))? {
                Analysis::Stale(job) => Some(job),
                Analysis::Current(..) => None,
            })
            .collect();
        if stale.is_empty() {
            break;
        }
        for job in stale {
            host.install(job.run());
        }
    }
    (host.snapshot(), cursor)
}

/// The open file named `path`.
pub fn open_file<'a>(world: &'a World, path: &str) -> &'a OpenFile {
    &world.open[&FileId::new(path)]
}

/// `line:col-line:col` (zero-based, world encoding).
pub fn show_span(span: Span) -> String {
    format!(
        "{}:{}-{}:{}",
        span.start.line, span.start.col, span.end.line, span.end.col
    )
}

/// The text a span covers in `text` (spans in `encoding`).
pub fn slice(text: &str, span: Span, encoding: PositionEncoding) -> String {
    let index = LineIndex::new(text);
    let start = index.offset(text, span.start, encoding);
    let end = index.offset(text, span.end, encoding);
    text[start..end.max(start)].to_string()
}
