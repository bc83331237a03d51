//! The physical limit of the design, measured in the same run: a bare leftmost-longest
//! Aho–Corasick scan of every KB spelling (the same automaton `kb::matcher` builds for
//! recognition, over the same normalised spellings) over the vault's files, read one by one
//! on one thread, in thread CPU time; and its table beside `check` and indexing, as CPU per
//! byte and the ratio to the scan.

use std::fmt::Write as _;
use std::time::Duration;

use aho_corasick::{AhoCorasickBuilder, MatchKind};
use seed_lsp::kb::Kb;

use crate::check::CheckRow;
use crate::corpus::Corpus;
use crate::measure::{load_average, mb, thread_cpu};
use crate::server::ServerRow;

/// One vault's bare scan: CPU time of reading and scanning every note, of the scan alone,
/// and the matches found (so nothing is optimised away).
pub struct ScanRow {
    notes: usize,
    bytes: u64,
    read_and_scan: Duration,
    scan: Duration,
    matches: usize,
    load: String,
}

/// The median of three bare scans of `corpus` (reading included) on this thread.
pub fn bare_scan(corpus: &Corpus, kb: &Kb) -> ScanRow {
    let patterns: Vec<&str> = kb.spellings.iter().map(|s| s.normalized.as_str()).collect();
    let automaton = AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&patterns)
        .expect("KB spellings compile into an automaton");
    let load = load_average();
    let mut runs: Vec<(Duration, Duration, usize)> = (0..3)
        .map(|_| {
            let (mut scan, mut matches) = (Duration::ZERO, 0);
            let started = thread_cpu();
            for note in 0..corpus.notes {
                let text = std::fs::read_to_string(corpus.path(note)).unwrap();
                let before = thread_cpu();
                matches += automaton.find_iter(&text).count();
                scan += thread_cpu().saturating_sub(before);
            }
            (thread_cpu().saturating_sub(started), scan, matches)
        })
        .collect();
    runs.sort_by_key(|r| r.0);
    let (read_and_scan, scan, matches) = runs[1];
    eprintln!(
        "bare scan of {} notes: {:.2} s CPU ({:.0} MB/s), {matches} matches",
        corpus.notes,
        read_and_scan.as_secs_f64(),
        mb(corpus.bytes) / read_and_scan.as_secs_f64()
    );
    ScanRow {
        notes: corpus.notes,
        bytes: corpus.bytes,
        read_and_scan,
        scan,
        matches,
        load,
    }
}

/// The bare scan beside `check` (1 and 2 threads, GNU time's CPU) and the server's indexing
/// (its CPU time while indexing): CPU per MB, and each as a multiple of the bare scan.
pub fn scan_table(scans: &[ScanRow], checks: &[CheckRow], servers: &[ServerRow]) -> String {
    let mut report = String::new();
    let _ = writeln!(
        report,
        "### The physical limit: a bare scan beside `check` and indexing\n"
    );
    let _ = writeln!(
        report,
        "CPU milliseconds per MB (lower is better) and, in brackets, the multiple of the bare scan (reading \
         + leftmost-longest Aho–Corasick over every KB spelling, one thread; the scan alone beside it).\n"
    );
    let _ = writeln!(
        report,
        "| notes | MB | bare scan (read + scan) | scan alone | matches | check, 1 thread | check, 2 threads | index (server) | load |"
    );
    let _ = writeln!(report, "|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for s in scans {
        let per_mb = |cpu: Duration| cpu.as_secs_f64() * 1e3 / mb(s.bytes);
        let base = per_mb(s.read_and_scan);
        let cell = |cpu: Option<Duration>| {
            cpu.map_or("–".into(), |c| {
                format!("{:.1} ms (**{:.1}×**)", per_mb(c), per_mb(c) / base)
            })
        };
        let check = checks.iter().find(|c| c.notes == s.notes);
        let server = servers.iter().find(|r| r.notes == s.notes);
        let _ = writeln!(
            report,
            "| {} | {:.0} | {base:.1} ms | {:.1} ms | {} | {} | {} | {} | {} |",
            s.notes,
            mb(s.bytes),
            per_mb(s.scan),
            s.matches,
            cell(check.and_then(|c| c.cpu(1))),
            cell(check.and_then(|c| c.cpu(2))),
            cell(server.and_then(|r| r.index_cpu)),
            s.load
        );
    }
    report.push('\n');
    report
}
