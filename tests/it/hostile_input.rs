//! Hostile input to the analysis core (issue 15): input built to make the program slow or
//! big ends with a result, and the bounds that make it end hold on any input of the shape.
//! No timings are asserted: a case that came back after 92 seconds fails by never finishing
//! within the test run, and the figures are in docs/reliability.md.

use proptest::prelude::*;
use seed_lsp::analysis::facts::WorkspaceFacts;
use seed_lsp::analysis::prh::PrhRules;
use seed_lsp::analysis::recognize::MentionForm;
use seed_lsp::analysis::settings::Config;
use seed_lsp::analysis::{analyze, Context};
use seed_lsp::kb::{parse_kb_file, Kb, MAX_SPELLING_CHARS};

/// The built-in KB and one entity with a katakana name of the longest spelling matched.
fn kb_with_a_long_name() -> (Kb, String) {
    let long: String = (0..MAX_SPELLING_CHARS as u32)
        .map(|i| char::from_u32(0x30A2 + (i * 7) % 80).unwrap())
        .collect();
    let text = format!("[[entity]]\nid = \"long\"\nkind = \"organization\"\nname = \"{long}\"\n");
    let mut files = seed_lsp::kb::builtin_sources().unwrap();
    files.push(parse_kb_file("long.toml", &text).unwrap());
    let (kb, errors) = Kb::build(files);
    assert!(errors.is_empty(), "{errors:?}");
    (kb, long)
}

/// Katakana and ー, without the middle dot that would split a run into words.
fn katakana() -> impl Strategy<Value = char> {
    prop_oneof![
        20 => (0x30A1u32..=0x30FA).prop_map(|c| char::from_u32(c).unwrap()),
        1 => Just('ー'),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A run of random katakana of any length — up to ten thousand characters, with the
    /// longest name in the KB somewhere inside — is searched for near misses word by word
    /// within bounds: the note is analysed, and every near miss is a word of at most two
    /// characters more or fewer than the spelling it stands for.
    #[test]
    fn near_miss_search_on_random_katakana_of_any_length(
        run in prop::collection::vec(katakana(), 0..10_000),
        insert_at in 0.0f64..1.0,
    ) {
        let (kb, long) = kb_with_a_long_name();
        let mut text: String = run.iter().collect();
        let at = text.char_indices().map(|(i, _)| i).nth((run.len() as f64 * insert_at) as usize).unwrap_or(text.len());
        text.insert_str(at, &format!("。{long}氏は"));
        let config = Config::default();
        let cx = Context { kb: &kb, config: &config, prh: &PrhRules::default(), facts: &WorkspaceFacts::default(), file: None };
        let analysis = analyze(&text, cx);
        for mention in &analysis.recognition.mentions {
            prop_assert!(mention.range.end <= text.len());
            if let MentionForm::NearMiss { spelling, .. } = mention.form {
                let written = mention.range.slice(&text).chars().count();
                let target = kb.spellings[spelling].normalized.chars().count();
                prop_assert!(written.abs_diff(target) <= 2, "{written} vs {target}");
            }
        }
    }
}
