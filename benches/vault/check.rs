//! `seed-lsp check` as people run it: the process timed (with GNU time's CPU time and peak
//! RSS when installed), and the throughput table.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::corpus::Corpus;
use crate::measure::{load_average, mb};
use crate::BINARY;

/// What one `check` run took.
pub struct Run {
    pub wall: Duration,
    /// User + system CPU time and peak RSS (kB), from GNU time when installed.
    cpu: Option<Duration>,
    max_rss_kb: Option<u64>,
}

/// A folder without `seeds/` or `entities.toml`, for running `check` from.
fn empty_dir(out: &Path) -> PathBuf {
    let dir = out.join("cwd");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// [`run_check`] (human output) three times on a vault under 300 MB, once above: the run
/// with the median wall time. A shared 2-core VM varies by tens of percent from one run to
/// the next; the median of three is steadier than any one run.
pub fn timed_check(out: &Path, dir: &Path, bytes: u64, threads: usize) -> Run {
    let repeats = if bytes < 300_000_000 { 3 } else { 1 };
    let mut runs: Vec<Run> = (0..repeats).map(|_| run_check(out, dir, threads, false).0).collect();
    runs.sort_by_key(|r| r.wall);
    runs.swap_remove(runs.len() / 2)
}

/// `seed-lsp check <dir>` (under `/usr/bin/time` when there is one): what it took, and the
/// JSON when asked for.
pub fn run_check(out: &Path, dir: &Path, threads: usize, json: bool) -> (Run, Option<Value>) {
    let gnu_time = Path::new("/usr/bin/time");
    let times = out.join("check-time.txt");
    let _ = std::fs::remove_file(&times);
    let mut command = if gnu_time.exists() {
        let mut c = Command::new(gnu_time);
        c.arg("-o").arg(&times).args(["-f", "%U %S %M"]).arg(BINARY);
        c
    } else {
        Command::new(BINARY)
    };
    command
        .arg("check")
        .args(if json { &["--format", "json"][..] } else { &[][..] })
        .arg(dir)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .current_dir(empty_dir(out))
        .stderr(Stdio::null());
    let started = Instant::now();
    let stdout = if json {
        Some(command.output().expect("run seed-lsp check").stdout)
    } else {
        command.stdout(Stdio::null()).status().expect("run seed-lsp check");
        None
    };
    let wall = started.elapsed();
    let measured: Vec<f64> = std::fs::read_to_string(&times)
        .unwrap_or_default()
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    let run = Run {
        wall,
        cpu: (measured.len() == 3).then(|| Duration::from_secs_f64(measured[0] + measured[1])),
        max_rss_kb: (measured.len() == 3).then(|| measured[2] as u64),
    };
    (run, stdout.and_then(|s| serde_json::from_slice(&s).ok()))
}

/// One vault's runs: (threads, run, load average before it).
pub struct CheckRow {
    pub notes: usize,
    bytes: u64,
    runs: Vec<(usize, Run, String)>,
}

impl CheckRow {
    /// The CPU time (user + system) of the run on `threads` threads, when GNU time measured it.
    pub fn cpu(&self, threads: usize) -> Option<Duration> {
        self.runs.iter().find(|r| r.0 == threads).and_then(|r| r.1.cpu)
    }
}

/// `check` of `corpus` with 1 and 2 rayon threads.
pub fn check_row(out: &Path, corpus: &Corpus) -> CheckRow {
    let mut runs = Vec::new();
    for threads in [1, 2] {
        let load = load_average();
        let run = timed_check(out, &corpus.dir, corpus.bytes, threads);
        eprintln!(
            "check {} notes, {threads} thread(s): {:.2} s",
            corpus.notes,
            run.wall.as_secs_f64()
        );
        runs.push((threads, run, load));
    }
    CheckRow {
        notes: corpus.notes,
        bytes: corpus.bytes,
        runs,
    }
}

pub fn check_table(rows: &[CheckRow]) -> String {
    let mut report = String::new();
    let _ = writeln!(report, "### `seed-lsp check` throughput\n");
    let _ = writeln!(
        report,
        "Wall-clock throughput (the median of three runs below 300 MB, one run above), and in brackets MB \
         per CPU-second (user + system, from GNU time: the work done, whatever else the machine runs).\n"
    );
    let _ = writeln!(
        report,
        "| notes | MB | 1 thread | 2 threads | peak RSS (2 threads) | load (1 / 2) |"
    );
    let _ = writeln!(report, "|---:|---:|---:|---:|---:|---|");
    for row in rows {
        let cell = |i: usize| {
            let run = &row.runs[i].1;
            let cpu = run
                .cpu
                .map(|c| format!(" ({:.1})", mb(row.bytes) / c.as_secs_f64()))
                .unwrap_or_default();
            format!(
                "{:.2} s = **{:.1} MB/s**{cpu}",
                run.wall.as_secs_f64(),
                mb(row.bytes) / run.wall.as_secs_f64()
            )
        };
        let rss = row.runs[1]
            .1
            .max_rss_kb
            .map(|k| format!("{:.0} MB", k as f64 / 1e3))
            .unwrap_or_default();
        let _ = writeln!(
            report,
            "| {} | {:.0} | {} | {} | {rss} | {} / {} |",
            row.notes,
            mb(row.bytes),
            cell(0),
            cell(1),
            row.runs[0].2,
            row.runs[1].2
        );
    }
    report.push('\n');
    report
}
