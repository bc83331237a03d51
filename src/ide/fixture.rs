//! Test worlds for the feature tests: the small test KB (`test/entities.toml`, or a KB of the
//! test's own) and a few notes, open or on disk, with `$0` marking the cursor, made the way the
//! server makes its own: the one workspace pass, then an [`AnalysisHost`]. Helpers render
//! answers inline so expectations read like the note.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::host::Analysis;
use super::summary::FirstSummary;
use super::{
    AnalysisHost, AnalysisJob, Change, FileId, Index, KbSet, Keys, LineCol, Location, OpenFile, PositionEncoding, Span,
    World,
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
/// Where the built-in KB files are materialised in the test worlds.
pub const BUILTIN_DIR: &str = "/cache/seed-lsp";

/// A KB set built from `kb_text` alone, as the workspace's [`KB_FILE`].
pub fn kb_set_from(kb_text: &str) -> Arc<KbSet> {
    let file = parse_kb_file(KB_FILE, kb_text).expect("test KB parses");
    let (kb, errors) = Kb::build(vec![file]);
    assert!(errors.is_empty(), "{errors:?}");
    let texts = [(Arc::<str>::from(KB_FILE), Arc::<str>::from(kb_text))];
    Arc::new(KbSet::new(
        Arc::new(kb),
        texts,
        Some(std::path::Path::new(BUILTIN_DIR)),
        &mut Keys::default(),
        1,
    ))
}

/// The world an editor would see: every note on disk summarised by the one workspace pass
/// (the open ones as on disk too), then the `open` ones opened and analysed by an
/// [`AnalysisHost`] until every analysis is current. Texts have no markers left.
fn build(
    kb_text: &str,
    encoding: PositionEncoding,
    config: Config,
    open: &[(&str, &str)],
    closed: &[(&str, &str)],
) -> World {
    build_host(kb_text, encoding, config, open, closed).snapshot()
}

/// The host behind [`build`]'s world.
fn build_host(
    kb_text: &str,
    encoding: PositionEncoding,
    config: Config,
    open: &[(&str, &str)],
    closed: &[(&str, &str)],
) -> AnalysisHost {
    let kb = kb_set_from(kb_text);
    let owned = |files: &[(&str, &str)]| -> Vec<(String, String)> {
        files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
    };
    let (open, closed) = (owned(open), owned(closed));
    let mut host = AnalysisHost::new(kb.clone(), Arc::default(), MAX_NOTE_BYTES);
    host.apply_change(Change::Encoding(encoding));
    host.apply_change(Change::Roots(vec!["/ws".into()]));
    host.apply_change(Change::Config {
        config,
        prh: PrhRules::default(),
    });
    host.apply_change(Change::Kb {
        kb: kb.clone(),
        texts: [(FileId::new(KB_FILE), Arc::<str>::from(kb_text))]
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
    host
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

/// One fixture string: several notes, each under a `//- /path` header (`//- /path closed`
/// for a note that is on disk but not open; a fixture without a header is one open note,
/// `/ws/note.txt`), `$0` at the cursor, `⟦…⟧` around expected ranges.
///
/// ```text
/// //- /ws/a.txt
/// 首都キーウ$0と⟦キエフ⟧
/// //- /ws/b.txt closed
/// ロシア
/// ```
pub struct Fixture {
    /// (path, text without markers, open)
    pub files: Vec<(String, String, bool)>,
    /// The file and position of `$0`.
    pub cursor: Option<(FileId, LineCol)>,
    /// The `⟦…⟧` ranges, per file, in the world's encoding.
    pub marked: Vec<Location>,
    pub encoding: PositionEncoding,
}

impl Fixture {
    pub fn parse(text: &str) -> Fixture {
        Fixture::parse_in(PositionEncoding::Utf16, text)
    }

    pub fn parse_in(encoding: PositionEncoding, text: &str) -> Fixture {
        let text = text.strip_prefix('\n').unwrap_or(text);
        let mut chunks: Vec<(String, bool, String)> = Vec::new();
        for line in text.split_inclusive('\n') {
            if let Some(header) = line.strip_prefix("//- ") {
                let mut words = header.split_whitespace();
                let path = words.next().expect("a path after //-").to_string();
                let open = words.next() != Some("closed");
                chunks.push((path, open, String::new()));
            } else {
                if chunks.is_empty() {
                    chunks.push(("/ws/note.txt".into(), true, String::new()));
                }
                chunks.last_mut().expect("a file").2.push_str(line);
            }
        }
        let mut fixture = Fixture {
            files: Vec::new(),
            cursor: None,
            marked: Vec::new(),
            encoding,
        };
        for (path, open, raw) in chunks {
            let mut clean = String::with_capacity(raw.len());
            let (mut cursor, mut starts, mut ranges) = (None, Vec::new(), Vec::new());
            let mut rest = raw.as_str();
            while let Some(i) = rest.find(['$', '⟦', '⟧']) {
                clean.push_str(&rest[..i]);
                rest = &rest[i..];
                if let Some(after) = rest.strip_prefix("$0") {
                    cursor = Some(clean.len());
                    rest = after;
                } else if let Some(after) = rest.strip_prefix('⟦') {
                    starts.push(clean.len());
                    rest = after;
                } else if let Some(after) = rest.strip_prefix('⟧') {
                    ranges.push((starts.pop().expect("⟧ closes a ⟦"), clean.len()));
                    rest = after;
                } else {
                    clean.push('$');
                    rest = &rest[1..];
                }
            }
            clean.push_str(rest);
            let index = LineIndex::new(&clean);
            let lc = |offset| index.line_col(&clean, offset, encoding);
            let id = FileId::new(path.as_str());
            if let Some(offset) = cursor {
                fixture.cursor = Some((id.clone(), lc(offset)));
            }
            ranges.sort_unstable();
            for (start, end) in ranges {
                fixture.marked.push(Location {
                    file: id.clone(),
                    span: Span {
                        start: lc(start),
                        end: lc(end),
                    },
                });
            }
            fixture.files.push((path, clean, open));
        }
        fixture
    }

    /// The world of the fixture's notes over the test KB (see [`build`]).
    pub fn world(&self) -> World {
        self.world_with(Config::default())
    }

    pub fn world_with(&self, config: Config) -> World {
        self.world_with_kb(TEST_KB, config)
    }

    /// The world of the fixture's notes over a KB of the test's own.
    pub fn world_with_kb(&self, kb_text: &str, config: Config) -> World {
        let pick = |open: bool| -> Vec<(&str, &str)> {
            self.files
                .iter()
                .filter(|f| f.2 == open)
                .map(|(p, t, _)| (p.as_str(), t.as_str()))
                .collect()
        };
        build(kb_text, self.encoding, config, &pick(true), &pick(false))
    }

    /// The analysis host behind [`Fixture::world`] (test KB, default configuration).
    pub fn host(&self) -> AnalysisHost {
        let pick = |open: bool| -> Vec<(&str, &str)> {
            self.files
                .iter()
                .filter(|f| f.2 == open)
                .map(|(p, t, _)| (p.as_str(), t.as_str()))
                .collect()
        };
        build_host(TEST_KB, self.encoding, Config::default(), &pick(true), &pick(false))
    }

    /// The note under test: the one with `$0`, else the first open one.
    pub fn note<'w>(&self, world: &'w World) -> &'w OpenFile {
        let id = match &self.cursor {
            Some((id, _)) => id.clone(),
            None => FileId::new(self.files.iter().find(|f| f.2).expect("an open note").0.as_str()),
        };
        &world.open[&id]
    }

    /// The file and position of `$0`.
    pub fn cursor(&self) -> (FileId, LineCol) {
        self.cursor.clone().expect("the fixture has a $0")
    }

    /// Locations shown the way fixtures mark them: each note of the fixture with `⟦…⟧` around
    /// the locations in it (in order, files in fixture order, notes without one left out),
    /// then every other location as `path line:col-line:col` (KB entries).
    pub fn render(&self, locations: &[Location]) -> String {
        let mut out = String::new();
        for (path, text, _) in &self.files {
            let id = FileId::new(path.as_str());
            let mut here: Vec<Span> = locations.iter().filter(|l| l.file == id).map(|l| l.span).collect();
            if here.is_empty() {
                continue;
            }
            here.sort();
            let index = LineIndex::new(text);
            let mut at = 0;
            out.push_str(&format!("//- {path}\n"));
            for span in here {
                let start = index.offset(text, span.start, self.encoding);
                let end = index.offset(text, span.end, self.encoding).max(start);
                out.push_str(&text[at.min(start)..start]);
                out.push('⟦');
                out.push_str(&text[start..end]);
                out.push('⟧');
                at = end;
            }
            out.push_str(&text[at..]);
            if !out.ends_with('\n') {
                out.push('\n');
            }
        }
        for l in locations {
            if !self.files.iter().any(|(p, _, _)| l.file.as_str() == p) {
                out.push_str(&format!("{} {}\n", l.file, show_span(l.span)));
            }
        }
        out
    }
}
