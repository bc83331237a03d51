//! Where the analysis spends its time, in process, timed by the pipeline's own stage clock
//! ([`StageClock`]): on a vault, one thread, in thread CPU time (the workspace pass of
//! `check`, then `analyze` of each note); and on an open 100 KB note after each keystroke,
//! in wall time, as the server runs `analyze_with_memo`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use seed_lsp::analysis::facts::WorkspaceFacts;
use seed_lsp::analysis::layout::Layout;
use seed_lsp::analysis::pipeline::{analyze_timed, analyze_with_memo_timed, NoteMemo, Stage, StageClock};
use seed_lsp::analysis::prh::PrhRules;
use seed_lsp::analysis::rules::duplicate_passage::note_passages;
use seed_lsp::analysis::rules::RULES;
use seed_lsp::analysis::settings::Config;
use seed_lsp::analysis::{analyze_with_memo, Context};
use seed_lsp::base::normalize::NormalizedText;
use seed_lsp::base::{FileId, LineIndex};
use seed_lsp::kb::Kb;
use seed_lsp::project::batch::{no_progress, Pass};

use crate::corpus::{self, Corpus};
use crate::measure::{load_average, mb, ms, percentiles, thread_cpu, wall};

/// Every stage's durations, on one clock.
struct StageTimes {
    clock: fn() -> Duration,
    samples: Mutex<HashMap<Stage, Vec<Duration>>>,
}

impl StageClock for StageTimes {
    fn now(&self) -> Duration {
        (self.clock)()
    }

    fn stage(&self, stage: Stage, took: Duration) {
        self.samples.lock().unwrap().entry(stage).or_default().push(took);
    }
}

impl StageTimes {
    fn new(clock: fn() -> Duration) -> StageTimes {
        StageTimes {
            clock,
            samples: Mutex::default(),
        }
    }

    /// (stage name, durations) in pipeline order, the rules in registry order; `name` names
    /// the stages it knows better than [`Stage`]'s own name.
    fn rows(self, name: impl Fn(Stage) -> Option<&'static str>) -> Vec<(String, Vec<Duration>)> {
        let mut samples = self.samples.into_inner().unwrap();
        [
            Stage::Recognition,
            Stage::Layout,
            Stage::NearMisses,
            Stage::Sources,
            Stage::PassageKeys,
        ]
        .into_iter()
        .chain(RULES.iter().map(|r| Stage::Rule(r.id)))
        .filter_map(|stage| {
            let label = name(stage).map_or_else(|| stage.to_string(), str::to_string);
            Some((label, samples.remove(&stage)?))
        })
        .collect()
    }
}

/// Where one-threaded `analyze` spends its time on a vault, stage by stage, in process: on a
/// rayon pool of one thread (the pipeline uses the pool), so the thread's CPU time is all of it.
pub fn vault_stages(corpus: &Corpus, kb: &Kb) -> String {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool")
        .install(|| vault_stages_on_this_thread(corpus, kb))
}

fn vault_stages_on_this_thread(corpus: &Corpus, kb: &Kb) -> String {
    let paths: Vec<PathBuf> = (0..corpus.notes).map(|i| corpus.path(i)).collect();
    let texts: HashMap<PathBuf, String> = paths
        .iter()
        .map(|p| (p.clone(), std::fs::read_to_string(p).unwrap()))
        .collect();
    let load = load_average();
    // Pass one of `check`: every note recognised, its exact mentions tallied.
    let read = |path: &Path| Ok(texts[path].clone());
    let pass = Pass {
        kb,
        read: &read,
        progress: &no_progress,
    };
    let started = thread_cpu();
    let tally = pass.tally(paths, |_, text, _| text).expect("nothing stops the pass");
    let pass_one = thread_cpu().saturating_sub(started);
    // Pass one's share for passages pasted into two notes: each note's layout and paragraph
    // fingerprints (its normalised text is recognition's, made outside the clock).
    let mut fingerprinting = Duration::ZERO;
    for (_, text) in &tally.notes {
        let text = text.as_ref().expect("the notes are in memory");
        let normalized = NormalizedText::new(text);
        let started = thread_cpu();
        std::hint::black_box(note_passages(text, &Layout::parse(text), &normalized));
        fingerprinting += thread_cpu().saturating_sub(started);
    }
    let fingerprints = tally.facts.passages.len();
    let (config, prh) = (Config::default(), PrhRules::default());
    let clock = StageTimes::new(thread_cpu);
    let mut whole = Duration::ZERO;
    for (path, text) in tally.notes {
        let text = text.expect("the notes are in memory");
        let file = FileId::from_path(&path);
        let cx = Context {
            kb,
            config: &config,
            prh: &prh,
            facts: &tally.facts,
            file: Some(&file),
        };
        let started = thread_cpu();
        std::hint::black_box(analyze_timed(&text, cx, &clock));
        whole += thread_cpu().saturating_sub(started);
    }
    let name = |stage| match stage {
        Stage::NearMisses => Some("near misses (found, weighed, applied)"),
        _ => None,
    };
    let mut rows: Vec<(String, Duration)> = clock.rows(name).into_iter().map(|(s, d)| (s, d.iter().sum())).collect();
    let rules: Duration = rows
        .iter()
        .filter(|(s, _)| s.starts_with("rule "))
        .map(|(_, d)| *d)
        .sum();
    rows.push(("pass 1: exact recognition (workspace facts)".into(), pass_one));
    rows.push((
        format!(
            "pass 1 share: paragraph fingerprints ({fingerprints} kept, about {:.1} MB)",
            passage_mb(fingerprints)
        ),
        fingerprinting,
    ));
    rows.push(("all rules (the rule rows together)".into(), rules));
    rows.push(("analyze (whole pipeline, for reference)".into(), whole));
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    let mut out = format!(
        "### Where `analyze` spends its time ({} notes, {:.0} MB, one thread, in process, thread CPU time; load {load})\n\n| stage | CPU time | MB per CPU-second |\n|---|---:|---:|\n",
        corpus.notes,
        mb(corpus.bytes)
    );
    for (stage, d) in rows {
        let _ = writeln!(
            out,
            "| {stage} | {:.2} s | {:.1} |",
            d.as_secs_f64(),
            mb(corpus.bytes) / d.as_secs_f64()
        );
    }
    out.push('\n');
    out
}

/// About what the passage index keeps per fingerprint: the hash-map slot (hash and vector,
/// 32 bytes, at the map's load factor) and the copy (12 bytes, rounded up by the allocator).
fn passage_mb(fingerprints: usize) -> f64 {
    fingerprints as f64 * (32.0 / 0.875 + 16.0) / 1e6
}

/// Where the server's analysis of an open note spends its time after each keystroke: the
/// stages of `analyze_with_memo` as the server runs it (layout beside recognition, the rules
/// side by side on the rayon pool), in wall time, on a 100 KB note with a character typed at
/// the start of a random line and deleted again, as the edit-latency benchmark does; then the
/// whole pipeline without a clock.
pub fn edit_stages(text: &str, kb: &Kb) -> String {
    let load = load_average();
    let facts = WorkspaceFacts::new(kb);
    let (config, prh) = (Config::default(), PrhRules::default());
    let cx = Context {
        kb,
        config: &config,
        prh: &prh,
        facts: &facts,
        file: None,
    };
    let mut memo = NoteMemo::default();
    analyze_with_memo(text, cx, 1, &mut memo);
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i < text.len())
        .collect();
    let mut rng = corpus::Rng::new(11);
    let rounds = 400;
    // Even rounds type ア at the start of a random line, odd rounds delete it again.
    let edit = |round: usize, rng: &mut corpus::Rng| {
        let at = line_starts[rng.below(line_starts.len())];
        if round % 2 == 0 {
            format!("{}ア{}", &text[..at], &text[at..])
        } else {
            text.to_string()
        }
    };
    let clock = StageTimes::new(wall);
    let mut line_index = Vec::new();
    for round in 0..rounds {
        let edited = edit(round, &mut rng);
        std::hint::black_box(analyze_with_memo_timed(&edited, cx, 1, &mut memo, &clock));
        let started = wall();
        std::hint::black_box(LineIndex::new(&edited));
        line_index.push(wall().saturating_sub(started));
    }
    let name = |stage| match stage {
        Stage::Recognition => Some("recognition of the changed lines (memo)"),
        Stage::Layout => Some("layout (paragraphs, fences)"),
        Stage::NearMisses => Some("near misses weighed and applied"),
        _ => None,
    };
    let mut rows = clock.rows(name);
    rows.push(("line index".into(), line_index));
    let mut whole = Vec::new();
    for round in 0..rounds {
        let edited = edit(round, &mut rng);
        let started = wall();
        std::hint::black_box(analyze_with_memo(&edited, cx, 1, &mut memo));
        whole.push(wall().saturating_sub(started));
    }
    rows.push(("analyze_with_memo (as the server runs it, rayon pool)".into(), whole));
    let mut out = format!(
        "### Where the analysis of an open 100 KB note spends its time after a keystroke ({rounds} edits, in process, wall time: each stage as it runs inside `analyze_with_memo`, layout beside recognition and the rules side by side on the rayon pool; then the whole pipeline; load {load})\n\n| stage | p50 | p99 |\n|---|---:|---:|\n"
    );
    for (stage, mut samples) in rows {
        let (p50, p99) = percentiles(&mut samples);
        let _ = writeln!(out, "| {stage} | {:.3} ms | {:.3} ms |", ms(p50), ms(p99));
    }
    out.push('\n');
    out
}
