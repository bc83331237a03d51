//! KB file parsing on arbitrary text: `kb::parse_kb_file` must return a KB file or errors
//! whose ranges are valid ranges of the text (the server and `kb check` show them at a line
//! and column). A file that parses is merged with `Kb::build` (its errors must be valid
//! ranges too) and the resulting KB recognises a note written from its own spellings:
//! mentions sorted, disjoint, inside the note, and the full analysis holds its invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;
use seed_lsp::analysis::facts::WorkspaceFacts;
use seed_lsp::analysis::prh::PrhRules;
use seed_lsp::analysis::settings::Config;
use seed_lsp::analysis::{analyze, Context};
use seed_lsp::kb::{parse_kb_file, Kb, KbError};
use seed_lsp_fuzz::{assert_analysis, assert_range};

const FILE: &str = "/fuzz/entities.toml";

fn assert_errors(text: &str, errors: &[KbError]) {
    for e in errors {
        if &*e.file == FILE {
            assert_range(text, e.range, &format!("KB error {:?}", e.message));
        }
        assert!(!e.message.trim().is_empty(), "an empty message at {:?}", e.range);
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let file = match parse_kb_file(FILE, &text) {
        Ok(file) => file,
        Err(errors) => {
            assert!(!errors.is_empty(), "a failed parse reports why");
            assert_errors(&text, &errors);
            return;
        }
    };
    let (kb, errors) = Kb::build(vec![file]);
    assert_errors(&text, &errors);
    let mut note = String::new();
    for (i, s) in kb.spellings.iter().take(64).enumerate() {
        note.push_str(&s.text);
        note.push_str(["、", "は", "\n", "", "大統領", "ー"][i % 6]);
    }
    let mut facts = WorkspaceFacts::new(&kb);
    facts.add_mentions(0..kb.entities.len(), false);
    let cx = Context {
        kb: &kb,
        config: &Config::default(),
        prh: &PrhRules::default(),
        facts: &facts,
        file: None,
    };
    let analysis = analyze(&note, cx);
    assert_analysis(&note, &analysis);
});
