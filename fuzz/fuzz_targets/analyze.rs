//! The analysis core on arbitrary bytes: `analysis::analyze` with the built-in KB, the
//! default configuration, and workspace facts that mention either nothing or every entity
//! (near misses are only confirmed against mentioned entities, so both paths run). Every
//! range returned must be a valid range of the text, mentions sorted and disjoint, every
//! fix applicable — and the text after applying the first fixes must analyse too.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use seed_lsp::analysis::facts::WorkspaceFacts;
use seed_lsp::analysis::prh::PrhRules;
use seed_lsp::analysis::settings::Config;
use seed_lsp::analysis::{analyze, Context};
use seed_lsp::kb::Kb;
use seed_lsp_fuzz::{apply_fix, assert_analysis};

fn facts(everything: bool) -> &'static WorkspaceFacts {
    static NONE: OnceLock<WorkspaceFacts> = OnceLock::new();
    static ALL: OnceLock<WorkspaceFacts> = OnceLock::new();
    let kb = Kb::builtin();
    if everything {
        ALL.get_or_init(|| {
            let mut facts = WorkspaceFacts::new(&kb);
            facts.add_mentions(0..kb.entities.len(), false);
            facts
        })
    } else {
        NONE.get_or_init(|| WorkspaceFacts::new(&kb))
    }
}

fuzz_target!(|data: &[u8]| {
    let (everything, bytes) = match data.split_first() {
        Some((flag, rest)) => (flag & 1 == 1, rest),
        None => (false, data),
    };
    let text = String::from_utf8_lossy(bytes);
    let kb = Kb::builtin();
    let config = Config::default();
    let prh = PrhRules::default();
    let cx = Context {
        kb: &kb,
        config: &config,
        prh: &prh,
        facts: facts(everything),
        file: None,
    };
    let analysis = analyze(&text, cx);
    assert_analysis(&text, &analysis);
    for d in analysis.diagnostics.iter().take(3) {
        if let Some(fix) = d.fixes.first() {
            let fixed = apply_fix(&text, fix);
            let again = analyze(&fixed, cx);
            assert_analysis(&fixed, &again);
        }
    }
});
