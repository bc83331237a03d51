//! What the language server computes for every open note, on arbitrary text: the analysis
//! as an `ide::OpenFile` in a `World` with the built-in KB, then every single-document
//! feature at positions taken from the input (hover, definition, highlights, references,
//! prepare-rename and rename, completion, code actions, semantic tokens, folding, links,
//! inlay hints, document symbols, code lenses) and the conversion of its diagnostics to
//! LSP. Nothing may panic, and every span handed back for the note must name real
//! positions of it, in the negotiated encoding.
#![no_main]

use std::sync::{Arc, OnceLock};

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use seed_lsp::analysis::settings::Config;
use seed_lsp::base::Locale;
use seed_lsp::base::{LineCol, PositionEncoding};
use seed_lsp::ide::host::Analysis;
use seed_lsp::ide::{self, AnalysisHost, Cancel, Change, FileId, KbSet, Keys, Markup, OpenFile, Span};
use seed_lsp::kb::Kb;
use seed_lsp_fuzz::{encoding, position, tricky_text};
use tower_lsp_server::ls_types::Uri;

const NOTE: &str = "/ws/note.txt";

fn kb_set() -> Arc<KbSet> {
    static KB: OnceLock<Arc<KbSet>> = OnceLock::new();
    KB.get_or_init(|| Arc::new(KbSet::new(Kb::builtin(), [], None, &mut Keys::default(), 1)))
        .clone()
}

/// `lc` is a position of the note that maps back to itself.
#[track_caller]
fn assert_position(file: &OpenFile, lc: LineCol, enc: PositionEncoding, what: &str) {
    let offset = file.offset(lc, enc);
    assert_eq!(
        file.line_col(offset, enc),
        lc,
        "{what}: {lc:?} is not a position of the note"
    );
}

#[track_caller]
fn assert_span(file: &OpenFile, span: Span, enc: PositionEncoding, what: &str) {
    assert!(span.start <= span.end, "{what}: inverted {span:?}");
    assert_position(file, span.start, enc, what);
    assert_position(file, span.end, enc, what);
}

fn check(u: &mut Unstructured) -> arbitrary::Result<()> {
    let enc = encoding(u)?;
    let text = if u.ratio(1, 2)? {
        tricky_text(u, 300)?
    } else {
        String::from_utf8_lossy(u.bytes(u.len().min(4096))?).into_owned()
    };
    // The note opened in an analysis host, as the server does, and analysed.
    let mut host = AnalysisHost::new(kb_set(), Arc::default(), 16 << 20);
    host.apply_change(Change::Encoding(enc));
    host.apply_change(Change::Roots(vec!["/ws".into()]));
    host.apply_change(Change::Config {
        config: Config::default(),
        prh: Default::default(),
    });
    host.apply_change(Change::Open {
        file: FileId::new(NOTE),
        version: 1,
        text,
    });
    while let Some(Analysis::Stale(job)) = host.analysis(&FileId::new(NOTE)) {
        host.install(job.run());
    }
    let (world, file) = host.latest(&FileId::new(NOTE)).expect("the note is analysed");
    let in_note = |l: &ide::Location| l.file == file.id;
    let cancel = Cancel::new();

    let uri: Uri = "file:///ws/note.txt".parse().expect("a valid URI");
    for locale in [Locale::En, Locale::Ja] {
        for d in seed_lsp::proto::convert::diagnostics(&file, &uri, locale, enc) {
            assert_span(&file, seed_lsp::proto::convert::span(d.range), enc, "diagnostic");
        }
    }
    for t in ide::semantic_tokens::semantic_tokens(&world, &file, None) {
        let start = LineCol {
            line: t.line,
            col: t.start,
        };
        let end = LineCol {
            line: t.line,
            col: t.start + t.length,
        };
        assert_span(&file, Span { start, end }, enc, "semantic token");
    }
    for f in ide::folding::folding_ranges(&file) {
        assert!(f.start_line <= f.end_line && (f.end_line as usize) < file.line_index.line_count());
    }
    for l in ide::links::links(&world, &file) {
        assert_span(&file, l.span, enc, "link");
    }
    for s in ide::symbols::document_symbols(&world, &file) {
        let mut stack = vec![s];
        while let Some(s) = stack.pop() {
            assert_span(&file, s.span, enc, "symbol");
            assert_span(&file, s.selection, enc, "symbol selection");
            stack.extend(s.children);
        }
    }
    for lens in ide::code_lens::code_lenses(&world, &file.id) {
        assert_span(&file, lens.span, enc, "code lens");
    }
    for _ in 0..8 {
        if u.is_empty() {
            break;
        }
        let p = position(u, &file.text)?;
        let q = position(u, &file.text)?;
        let span = Span {
            start: p.min(q),
            end: p.max(q),
        };
        if let Some(card) = ide::hover::hover(&world, &file, p, Markup::Markdown) {
            assert_span(&file, card.span, enc, "hover");
        }
        for l in ide::definition::definition(&world, &file, p)
            .iter()
            .filter(|l| in_note(l))
        {
            assert_span(&file, l.span, enc, "definition");
        }
        for h in ide::references::highlights(&world, &file, p) {
            assert_span(&file, h, enc, "highlight");
        }
        if let Some(entity) = ide::references::entity_at(&world, &file, p) {
            let found = ide::references::references(&world, entity, true, &cancel).expect("not cancelled");
            for l in found.iter().filter(|l| in_note(l)) {
                assert_span(&file, l.span, enc, "reference");
            }
        }
        if let Ok(r) = ide::rename::prepare_rename(&world, &file, p) {
            assert_span(&file, r.span, enc, "rename range");
        }
        let new_name = tricky_text(u, 3)?;
        if let Ok(change) = ide::rename::rename(&world, &file, p, &new_name, &cancel) {
            for (id, edits) in &change.edits {
                for e in edits.iter().filter(|_| *id == file.id) {
                    assert_span(&file, e.span, enc, "rename edit");
                }
            }
        }
        for item in ide::completion::complete(&world, &file, p) {
            assert_span(&file, item.replace, enc, "completion");
        }
        for action in ide::code_actions::code_actions(&world, &file, span, true) {
            for (id, edits) in &action.change.edits {
                for e in edits.iter().filter(|_| *id == file.id) {
                    assert_span(&file, e.span, enc, "code action edit");
                }
            }
        }
        for t in ide::semantic_tokens::semantic_tokens(&world, &file, Some(span)) {
            let start = LineCol {
                line: t.line,
                col: t.start,
            };
            assert_position(&file, start, enc, "semantic token in range");
        }
        for h in ide::inlay_hints::inlay_hints(&world, &file, span) {
            assert_position(&file, h.position, enc, "inlay hint");
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = check(&mut Unstructured::new(data));
});
