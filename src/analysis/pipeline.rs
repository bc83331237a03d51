//! The one entry point of the core: text in, everything known about the note out.
//!
//! `analyze` runs, in order: layout ([`Layout`]) beside exact recognition, near-miss
//! detection (needs the workspace facts), sources, then every diagnostic rule. It is pure
//! and synchronous, and uses the rayon pool for what is independent (layout beside
//! recognition, source lines, rules; see ARCHITECTURE.md); the CLI calls it per file in parallel and the server per document
//! version. [`analyze_recognized`] starts from a recognition already made (the CLI recognises
//! every note once, for the workspace facts, and keeps it); [`analyze_with_memo`] recognises
//! and scans for sources only the lines that changed since the last analysis of the same note
//! (the server, as the user types; what it keeps between versions is a [`NoteMemo`]).
//!
//! [`analyze_timed`] and [`analyze_with_memo_timed`] run the same pipeline and report how
//! long each [`Stage`] took to a [`StageClock`] (the vault benchmark's stage tables); the
//! untimed entry points read no clock.

use std::fmt;
use std::time::Duration;

use crate::analysis::facts::{NotePassages, WorkspaceFacts};
use crate::analysis::layout::Layout;
use crate::analysis::note_date::{date_note, Dating};
use crate::analysis::prh::PrhRules;
use crate::analysis::recognize::memo::RecognitionMemo;
use crate::analysis::recognize::near_miss::Candidates;
use crate::analysis::recognize::{recognize, Recognition};
use crate::analysis::rules::duplicate_passage::{passages_of, PassageKeys, PassageMemo};
use crate::analysis::rules::{run_rules, run_rules_around, RuleContext};
use crate::analysis::settings::Config;
use crate::analysis::sources::{find_sources, find_sources_with_memo, SourceMemo, Sources};
use crate::base::{Diagnostic, FileId, RuleId};
use crate::kb::Kb;

/// What a note is analysed against: everything but its own text.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub kb: &'a Kb,
    pub config: &'a Config,
    /// The rules of the configured prh dictionaries (empty when there are none).
    pub prh: &'a PrhRules,
    /// What the rest of the workspace mentions.
    pub facts: &'a WorkspaceFacts,
    /// The note's name, when it has one: its file name may carry its date
    /// ([`crate::analysis::note_date`]).
    pub file: Option<&'a FileId>,
}

#[derive(Debug)]
pub struct Analysis {
    pub layout: Layout,
    /// Mentions (exact and near misses), and what recognition left over.
    pub recognition: Recognition,
    pub sources: Sources,
    /// The note's own date, for paragraphs no dated source covers.
    pub dating: Dating,
    /// The fingerprints of its substantial paragraphs (the workspace's passage index).
    pub passages: NotePassages,
    pub diagnostics: Vec<Diagnostic>,
}

/// What the analysis of one version of a note that keeps changing (an editor's open note)
/// keeps for the next: each line's recognition ([`RecognitionMemo`]) and sources
/// ([`SourceMemo`]), each paragraph's comparison key ([`PassageMemo`]). Whatever a memo holds, [`analyze_with_memo`] gives what [`analyze`]
/// gives (held to it by `tests/it/properties.rs`).
#[derive(Debug, Default)]
pub struct NoteMemo {
    /// The KB the memo's lines were read with (its generation).
    kb_generation: Option<u64>,
    pub recognition: RecognitionMemo,
    pub sources: SourceMemo,
    pub passages: PassageMemo,
}

impl NoteMemo {
    /// The memo, emptied of everything read with another KB than `kb_generation`.
    fn for_kb(&mut self, kb_generation: u64) -> &mut NoteMemo {
        if self.kb_generation != Some(kb_generation) {
            self.sources.clear();
            self.kb_generation = Some(kb_generation);
        }
        self
    }
}

/// A stage of the pipeline, as reported to a [`StageClock`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// Exact recognition: of the whole note ([`analyze_timed`]), or of the lines that changed,
    /// with their near-miss candidates ([`analyze_with_memo_timed`]).
    Recognition,
    /// Lines, paragraphs, fences and clipping blocks (beside recognition).
    Layout,
    /// Near misses found (after a whole-note recognition), weighed and applied.
    NearMisses,
    /// Source attributions, the source covering each paragraph, and the note's date.
    Sources,
    /// The paragraphs' comparison keys (for `duplicate-passage` and the note's fingerprints).
    PassageKeys,
    /// One rule's check (the rules run side by side).
    Rule(RuleId),
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stage::Recognition => f.write_str("recognition"),
            Stage::Layout => f.write_str("layout"),
            Stage::NearMisses => f.write_str("near misses"),
            Stage::Sources => f.write_str("sources"),
            Stage::PassageKeys => f.write_str("paragraph keys"),
            Stage::Rule(id) => write!(f, "rule {id}"),
        }
    }
}

/// Where the timed entry points report: once per stage per analysis, every rule that runs
/// included. Stages that run side by side report from their own threads.
pub trait StageClock: Sync {
    /// A reading of the clock (wall time, the thread's CPU time…: the clock's choice); a
    /// stage took the difference of two readings.
    fn now(&self) -> Duration;
    /// `stage` of one analysis took `took`.
    fn stage(&self, stage: Stage, took: Duration);
}

/// `f()`, and what it took on `clock` (zero, and no reading, without one).
fn time<T>(clock: Option<&dyn StageClock>, f: impl FnOnce() -> T) -> (T, Duration) {
    match clock {
        None => (f(), Duration::ZERO),
        Some(clock) => {
            let start = clock.now();
            let out = f();
            (out, clock.now().saturating_sub(start))
        }
    }
}

fn report(clock: Option<&dyn StageClock>, stage: Stage, took: Duration) {
    if let Some(clock) = clock {
        clock.stage(stage, took);
    }
}

pub fn analyze(text: &str, cx: Context) -> Analysis {
    analyze_recognized(text, recognize(text, cx.kb), cx)
}

/// [`analyze`], each stage timed on `clock`.
pub fn analyze_timed(text: &str, cx: Context, clock: &dyn StageClock) -> Analysis {
    let clock = Some(clock);
    let (recognition, took) = time(clock, || recognize(text, cx.kb));
    report(clock, Stage::Recognition, took);
    finish_recognized(text, recognition, cx, clock)
}

/// [`analyze`], given `recognize(text, kb)`.
pub fn analyze_recognized(text: &str, recognition: Recognition, cx: Context) -> Analysis {
    finish_recognized(text, recognition, cx, None)
}

fn finish_recognized(text: &str, recognition: Recognition, cx: Context, clock: Option<&dyn StageClock>) -> Analysis {
    let ((candidates, finding), (layout, laying_out)) = rayon::join(
        || time(clock, || Candidates::find(cx.kb, &recognition)),
        || time(clock, || Layout::parse(text)),
    );
    report(clock, Stage::Layout, laying_out);
    analyze_candidates(text, layout, recognition, (candidates, finding), cx, None, clock)
}

/// What [`analyze_candidates`] takes from a [`NoteMemo`].
struct Memos<'m> {
    sources: &'m mut SourceMemo,
    passages: &'m mut PassageMemo,
}

/// [`analyze`] of a note that keeps changing (an editor's open note): the lines the last
/// analysis read are taken from `memo` ([`NoteMemo`]); only changed lines are recognised and
/// scanned for sources. `kb_generation` identifies `kb` to the memo.
pub fn analyze_with_memo(text: &str, cx: Context, kb_generation: u64, memo: &mut NoteMemo) -> Analysis {
    with_memo(text, cx, kb_generation, memo, None)
}

/// [`analyze_with_memo`], each stage timed on `clock`.
pub fn analyze_with_memo_timed(
    text: &str,
    cx: Context,
    kb_generation: u64,
    memo: &mut NoteMemo,
    clock: &dyn StageClock,
) -> Analysis {
    with_memo(text, cx, kb_generation, memo, Some(clock))
}

fn with_memo(
    text: &str,
    cx: Context,
    kb_generation: u64,
    memo: &mut NoteMemo,
    clock: Option<&dyn StageClock>,
) -> Analysis {
    let memo = memo.for_kb(kb_generation);
    let recognition_memo = &mut memo.recognition;
    let (((recognition, candidates), recognizing), (layout, laying_out)) = rayon::join(
        || time(clock, || recognition_memo.recognize(text, cx.kb, kb_generation)),
        || time(clock, || Layout::parse(text)),
    );
    report(clock, Stage::Recognition, recognizing);
    report(clock, Stage::Layout, laying_out);
    let found = (candidates, Duration::ZERO);
    let memos = Memos {
        sources: &mut memo.sources,
        passages: &mut memo.passages,
    };
    analyze_candidates(text, layout, recognition, found, cx, Some(memos), clock)
}

/// The rest of the pipeline once the note is recognised and its near-miss candidates found
/// (in the time given with them).
fn analyze_candidates(
    text: &str,
    layout: Layout,
    mut recognition: Recognition,
    (candidates, finding): (Candidates, Duration),
    cx: Context,
    mut memos: Option<Memos>,
    clock: Option<&dyn StageClock>,
) -> Analysis {
    let kb = cx.kb;
    let ((), weighing) = time(clock, || {
        let near_misses = candidates.weigh(text, kb, &recognition);
        near_misses.apply(kb, &mut recognition.mentions, &mut recognition.leftovers, cx.facts);
    });
    report(clock, Stage::NearMisses, finding + weighing);
    // The note's date is read from its sources and what else it says, in the sources stage.
    let ((sources, dating), took) = time(clock, || {
        let sources = match memos.as_mut() {
            Some(memos) => find_sources_with_memo(text, &layout, &recognition.mentions, kb, memos.sources),
            None => find_sources(text, &layout, &recognition.mentions, kb),
        };
        let file_name = cx.file.map(FileId::file_name);
        let dating = date_note(text, file_name, &sources, kb, &recognition.mentions);
        (sources, dating)
    });
    report(clock, Stage::Sources, took);
    let normalized = &recognition.normalized;
    let (passage_keys, took) = time(clock, || match memos {
        Some(memos) => PassageKeys::with_memo(text, &layout, normalized, memos.passages),
        None => PassageKeys::of(text, &layout, normalized),
    });
    report(clock, Stage::PassageKeys, took);
    let rules = RuleContext {
        text,
        kb,
        layout: &layout,
        recognition: &recognition,
        sources: &sources,
        dating: &dating,
        workspace: cx.facts,
        prh: cx.prh,
        file: cx.file,
        passages: Some(&*cx.facts.passages).filter(|_| cx.config.passages_across_notes),
        passage_keys: &passage_keys,
    };
    let diagnostics = match clock {
        None => run_rules(&rules, &cx.config.rules),
        Some(clock) => run_rules_around(&rules, &cx.config.rules, |rule, check| {
            let (_, took) = time(Some(clock), check);
            clock.stage(Stage::Rule(rule.id), took);
        }),
    };
    let passages = passages_of(&layout, &passage_keys);
    drop(passage_keys);
    Analysis {
        layout,
        recognition,
        sources,
        dating,
        passages,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Mutex;

    use super::*;
    use crate::analysis::rules::RULES;
    use crate::base::Severity;

    const NOTE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/002_b7666d67213713ef.txt"));

    /// Every report, on a clock that moves one microsecond per reading.
    #[derive(Default)]
    struct Recorder {
        ticks: AtomicU64,
        stages: Mutex<Vec<(Stage, Duration)>>,
    }

    impl StageClock for Recorder {
        fn now(&self) -> Duration {
            Duration::from_micros(self.ticks.fetch_add(1, Ordering::Relaxed))
        }

        fn stage(&self, stage: Stage, took: Duration) {
            self.stages.lock().unwrap().push((stage, took));
        }
    }

    impl Recorder {
        /// The stages reported since the last call, sorted; each took some time.
        fn take(&self) -> Vec<Stage> {
            let reported = std::mem::take(&mut *self.stages.lock().unwrap());
            assert!(reported.iter().all(|(_, took)| !took.is_zero()), "{reported:?}");
            let mut stages: Vec<Stage> = reported.into_iter().map(|(s, _)| s).collect();
            stages.sort();
            stages
        }
    }

    /// Once each: the four stages and every rule `config` runs.
    fn every_stage(config: &Config) -> Vec<Stage> {
        let mut stages = vec![
            Stage::Recognition,
            Stage::Layout,
            Stage::NearMisses,
            Stage::Sources,
            Stage::PassageKeys,
        ];
        let rules = RULES.iter().filter(|r| config.rules.get(r.id).is_some());
        stages.extend(rules.map(|r| Stage::Rule(r.id)));
        stages.sort();
        stages
    }

    fn context<'a>(kb: &'a Kb, config: &'a Config, prh: &'a PrhRules, facts: &'a WorkspaceFacts) -> Context<'a> {
        Context {
            kb,
            config,
            prh,
            facts,
            file: None,
        }
    }

    /// The note with `n` characters typed at the start of line `n` (the keystrokes the
    /// server analyses with its memo).
    fn edited(n: usize) -> String {
        let at = NOTE.match_indices('\n').nth(n).map_or(0, |(i, _)| i + 1);
        format!("{}{}{}", &NOTE[..at], "ア".repeat(n), &NOTE[at..])
    }

    #[test]
    fn every_stage_is_reported_once_per_analysis() {
        let kb = Kb::builtin();
        let (prh, facts) = (PrhRules::default(), WorkspaceFacts::new(&kb));
        let mut config = Config::default();
        let clock = Recorder::default();
        let cx = context(&kb, &config, &prh, &facts);
        analyze_timed(NOTE, cx, &clock);
        assert_eq!(clock.take(), every_stage(&config));
        let mut memo = NoteMemo::default();
        for n in 0..3 {
            analyze_with_memo_timed(&edited(n), cx, 1, &mut memo, &clock);
            assert_eq!(clock.take(), every_stage(&config), "edit {n}");
        }
        // A rule turned off does not run, and is not reported.
        config.rules.set(RULES[0].id, None);
        config.rules.set(RULES[1].id, Some(Severity::Error));
        let cx = context(&kb, &config, &prh, &facts);
        analyze_timed(NOTE, cx, &clock);
        let reported = clock.take();
        assert_eq!(reported, every_stage(&config));
        assert!(!reported.contains(&Stage::Rule(RULES[0].id)));
    }

    #[test]
    fn the_analysis_is_the_same_with_and_without_a_clock() {
        let kb = Kb::builtin();
        let (config, prh) = (Config::default(), PrhRules::default());
        let mut facts = WorkspaceFacts::new(&kb);
        facts.add_mentions(recognize(NOTE, &kb).exact_entities(&kb), false);
        let cx = context(&kb, &config, &prh, &facts);
        let clock = Recorder::default();
        let plain = analyze(NOTE, cx);
        assert!(plain.diagnostics.len() > 3, "the note has diagnostics to compare");
        assert_eq!(format!("{:?}", analyze_timed(NOTE, cx, &clock)), format!("{plain:?}"));
        let (mut memo, mut timed_memo) = (NoteMemo::default(), NoteMemo::default());
        for n in 0..4 {
            let text = edited(n);
            let untimed = analyze_with_memo(&text, cx, 1, &mut memo);
            let timed = analyze_with_memo_timed(&text, cx, 1, &mut timed_memo, &clock);
            assert_eq!(format!("{timed:?}"), format!("{untimed:?}"), "edit {n}");
        }
    }

    #[test]
    fn stages_are_named_for_tables() {
        let names: Vec<String> = [Stage::Recognition, Stage::NearMisses, Stage::Rule(RULES[0].id)]
            .iter()
            .map(Stage::to_string)
            .collect();
        assert_eq!(names, ["recognition", "near misses", &format!("rule {}", RULES[0].id)]);
    }
}
