//! Notes written for these tests, not taken from the seeds: misspellings the seeds do not
//! contain must be found by the same rules (nothing is listed in the KB as a misspelling),
//! and a clean note on the same topics must produce nothing.

use seed_lsp::analysis::facts::WorkspaceFacts;
use seed_lsp::analysis::prh::PrhRules;
use seed_lsp::analysis::settings::Config;
use seed_lsp::analysis::{analyze, Context};
use seed_lsp::base::Locale;
use seed_lsp::base::{LineIndex, PositionEncoding};
use seed_lsp::kb::Kb;

fn check(text: &str) -> String {
    let kb = Kb::builtin();
    let cx = Context {
        kb: &kb,
        config: &Config::default(),
        prh: &PrhRules::default(),
        facts: &WorkspaceFacts::new(&kb),
    };
    let analysis = analyze(text, cx);
    let index = LineIndex::new(text);
    let mut out = String::new();
    for d in &analysis.diagnostics {
        let at = index.line_col(text, d.range.start, PositionEncoding::Utf32);
        let fix = d
            .fixes
            .first()
            .and_then(|f| f.edits.first())
            .map(|e| format!(" → {:?}", e.new_text))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}:{} {}[{}] {:?}{fix}\n",
            at.line + 1,
            at.col + 1,
            d.severity.as_str(),
            d.rule,
            d.range.slice(text),
        ));
        out.push_str(&format!("    {}\n", d.message.get(Locale::Ja)));
    }
    out
}

#[test]
fn misspellings_that_are_not_in_the_seeds() {
    expect_test::expect_file!["../notes/unseen_misspellings.expected"]
        .assert_eq(&check(include_str!("../notes/unseen_misspellings.txt")));
}

#[test]
fn a_clean_note_on_the_same_topics_is_silent() {
    expect_test::expect![""].assert_eq(&check(include_str!("../notes/unseen_clean.txt")));
}
