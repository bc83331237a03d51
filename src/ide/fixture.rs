//! Test worlds for the feature tests: the small test KB (`test/entities.toml`, or a KB of the
//! test's own) and a few notes, open or on disk, with `$0` marking the cursor. Helpers render
//! answers inline so expectations read like the note.

use std::collections::HashMap;
use std::sync::Arc;

use super::{
    Counts, FileId, FileSummary, Index, Inputs, KbSet, Keys, LineCol, OpenFile, PositionEncoding, Span, World,
};
use crate::analysis::facts::WorkspaceFacts;
use crate::analysis::prh::PrhRules;
use crate::analysis::recognize::recognize;
use crate::analysis::settings::Config;
use crate::analysis::test_support::TEST_KB;
use crate::base::LineIndex;
use crate::kb::{parse_kb_file, Kb};

pub const KB_FILE: &str = "/ws/entities.toml";
pub const BUILTIN_COPY: &str = "/cache/seed-lsp/entities.toml";

/// The cursor of a fixture: where `$0` was.
pub struct Cursor {
    pub position: LineCol,
}

/// A KB set built from `kb_text` alone, as the workspace's [`KB_FILE`].
pub fn kb_set_from(kb_text: &str) -> Arc<KbSet> {
    let file = parse_kb_file(KB_FILE, kb_text).expect("test KB parses");
    let (kb, errors) = Kb::build(vec![file]);
    assert!(errors.is_empty(), "{errors:?}");
    let texts = [(Arc::<str>::from(KB_FILE), Arc::<str>::from(kb_text))];
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

pub fn world_with(
    encoding: PositionEncoding,
    config: Config,
    open: &[(&str, &str)],
    closed: &[(&str, &str)],
) -> (World, Option<Cursor>) {
    world_with_kb(TEST_KB, encoding, config, open, closed)
}

/// [`world_with`] over a KB of its own (`kb_text`, as the workspace's [`KB_FILE`]).
pub fn world_with_kb(
    kb_text: &str,
    encoding: PositionEncoding,
    config: Config,
    open: &[(&str, &str)],
    closed: &[(&str, &str)],
) -> (World, Option<Cursor>) {
    let kb = kb_set_from(kb_text);
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
    let mut facts = WorkspaceFacts::new(&kb.kb);
    for (_, text) in open.iter().chain(&closed) {
        facts.add_mentions(
            FileSummary::new(&recognize(text, &kb.kb).mentions, &kb).exact_entities(&kb),
            false,
        );
    }
    let mut counts = Counts::default();
    let mut index = Index::default();
    for (path, text) in &closed {
        let mut recognition = recognize(text, &kb.kb);
        crate::analysis::recognize::near_miss::add_near_misses(text, &kb.kb, &mut recognition, &facts);
        let summary = FileSummary::new(&recognition.mentions, &kb).with_spans(text, &LineIndex::new(text), encoding);
        counts.add(&summary);
        index.files.insert(FileId::new(path.as_str()), Arc::new(summary));
    }
    let mut files = HashMap::new();
    for (path, text) in open {
        let inputs = Inputs {
            kb: &kb,
            config: &config,
            prh: &PrhRules::default(),
            facts: &facts,
        };
        let file = OpenFile::analyze(FileId::new(path.as_str()), 1, text.into(), inputs);
        counts.add(&file.summary);
        files.insert(file.id.clone(), Arc::new(file));
    }
    let world = World {
        encoding,
        kb,
        config: Arc::new(config),
        prh: PrhRules::default(),
        open: files,
        index: Arc::new(index),
        counts: Arc::new(counts),
        roots: Arc::new(vec!["/ws".into()]),
        kb_files: Arc::new(
            [(FileId::new(KB_FILE), Arc::<str>::from(kb_text))]
                .into_iter()
                .collect(),
        ),
    };
    (world, cursor)
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
