//! `cargo bench --bench vault` — seed-lsp at vault scale, one table.
//!
//! For each vault size (`--sizes`, default 1000,10000 notes of ~20 KB, generated
//! deterministically under `target/bench-vault/` by [`corpus`]):
//! - `seed-lsp check` throughput (MB/s) with 1 and 2 rayon threads;
//! - the language server, driven over stdio like an editor: cold workspace index time (from
//!   `initialized` to the end of the indexing progress) and peak RSS (`VmHWM`);
//!   hover, definition, references and completion latency p50/p99 over JSON-RPC on real
//!   mention positions of an open note; `didChange` → `publishDiagnostics` latency p50/p99 on
//!   a 100 KB and a 1 MB note.
//!
//! Then, on the smallest vault: where `analyze` spends its time (per stage, one thread, in
//! process), and the side-by-side with textlint + prh + no-unmatched-pair ([`textlint`]):
//! throughput and planted defects found by each.
//!
//! Every figure is printed with the load average when it was taken. Options (after `--`):
//! `--sizes 1000,10000,50000`, `--requests 300`, `--edits 200`, `--no-textlint`,
//! `--textlint-notes N`, `--no-server`, `--no-check`, `--no-stages`, `--out DIR`. The table is also written to
//! `<out>/results.md`.

mod corpus;
mod lsp;
mod textlint;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use corpus::{Corpus, Defect, Material};
use seed_lsp::analysis::facts::WorkspaceFacts;
use seed_lsp::analysis::prh::PrhRules;
use seed_lsp::analysis::recognize::{near_miss, recognize};
use seed_lsp::analysis::settings::Config;
use seed_lsp::analysis::{analyze, analyze_with_memo, Context};
use seed_lsp::base::{LineIndex, PositionEncoding};
use seed_lsp::kb::Kb;

const BINARY: &str = env!("CARGO_BIN_EXE_seed-lsp");

struct Options {
    sizes: Vec<usize>,
    requests: usize,
    edits: usize,
    textlint: bool,
    textlint_notes: Option<usize>,
    server: bool,
    check: bool,
    stages: bool,
    out: PathBuf,
}

fn options() -> Options {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let mut o = Options {
        sizes: vec![1000, 10_000],
        requests: 300,
        edits: 200,
        textlint: true,
        textlint_notes: None,
        server: true,
        check: true,
        stages: true,
        out: target.join("bench-vault"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--sizes" => o.sizes = value().split(',').map(|s| s.trim().parse().expect("a size")).collect(),
            "--requests" => o.requests = value().parse().expect("a count"),
            "--edits" => o.edits = value().parse().expect("a count"),
            "--textlint-notes" => o.textlint_notes = Some(value().parse().expect("a count")),
            "--no-textlint" => o.textlint = false,
            "--no-server" => o.server = false,
            "--no-check" => o.check = false,
            "--no-stages" => o.stages = false,
            // Absolute: textlint runs from a folder under it.
            "--out" => o.out = std::path::absolute(value()).expect("an --out path"),
            "--bench" => {} // passed by `cargo bench`
            other => panic!("unknown option {other}"),
        }
    }
    o.sizes.sort_unstable();
    o
}

/// The 1-minute load average, as a string.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// CPU time of the calling thread (`CLOCK_THREAD_CPUTIME_ID`): the stage table counts work
/// done, whatever else the machine is running.
fn thread_cpu() -> Duration {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut t = Timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec through the valid, exclusive pointer.
    let ok = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
    if ok {
        Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
    } else {
        Duration::ZERO
    }
}

/// (p50, p99) by nearest rank.
fn percentiles(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort_unstable();
    let rank = |p: f64| samples[((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1];
    (rank(0.50), rank(0.99))
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
            })
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<u64>().unwrap_or(0))
        })
        .unwrap_or(0);
    let command = |c: &str, a: &str| {
        Command::new(c)
            .arg(a)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    format!(
        "{cpu}, {cores} cores, {:.0} GB RAM, Linux {}, {}, node {}",
        memory as f64 / 1e6,
        command("uname", "-r"),
        command("rustc", "-V"),
        command("node", "--version"),
    )
}

/// A folder without `seeds/` or `entities.toml`, for running `check` from.
fn empty_dir(out: &Path) -> PathBuf {
    let dir = out.join("cwd");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// What one `check` run took.
struct Run {
    wall: Duration,
    /// User + system CPU time and peak RSS (kB), from GNU time when installed.
    cpu: Option<Duration>,
    max_rss_kb: Option<u64>,
}

/// `seed-lsp check <dir>` (under `/usr/bin/time` when there is one): what it took, and the
/// JSON when asked for.
/// [`run_check`] (human output) three times on a vault under 300 MB, once above: the run
/// with the median wall time. A shared 2-core VM varies by tens of percent from one run to
/// the next; the median of three is steadier than any one run.
fn timed_check(out: &Path, dir: &Path, bytes: u64, threads: usize) -> Run {
    let repeats = if bytes < 300_000_000 { 3 } else { 1 };
    let mut runs: Vec<Run> = (0..repeats).map(|_| run_check(out, dir, threads, false).0).collect();
    runs.sort_by_key(|r| r.wall);
    runs.swap_remove(runs.len() / 2)
}

fn run_check(out: &Path, dir: &Path, threads: usize, json: bool) -> (Run, Option<Value>) {
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

struct CheckRow {
    notes: usize,
    bytes: u64,
    runs: Vec<(usize, Run, String)>,
}

struct ServerRow {
    notes: usize,
    bytes: u64,
    start: Duration,
    index: Duration,
    /// Server CPU time from `initialized` to the end of indexing.
    index_cpu: Option<Duration>,
    hwm_kb: u64,
    rss_kb: u64,
    load: String,
    latency: Vec<(&'static str, Duration, Duration, f64, String)>,
    edits: Vec<(String, Duration, Duration, usize, String)>,
}

fn main() {
    let o = options();
    std::fs::create_dir_all(&o.out).unwrap();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let material = Material::load(&manifest.join("seeds"));
    let kb = Kb::builtin();
    let mut report = String::new();
    let _ = writeln!(report, "## seed-lsp vault benchmark\n");
    let _ = writeln!(report, "- Machine: {}", machine());
    let _ = writeln!(report, "- Binary: `{BINARY}` (release)");
    let _ = writeln!(report, "- Load average at start: {}\n", load_average());

    let mut corpora: Vec<Corpus> = Vec::new();
    for &n in &o.sizes {
        let started = Instant::now();
        let corpus = material.vault(&o.out, n);
        eprintln!(
            "vault of {n} notes: {:.0} MB, {} planted defects ({:.1} s)",
            mb(corpus.bytes),
            corpus.planted.len(),
            started.elapsed().as_secs_f64()
        );
        corpora.push(corpus);
    }

    let mut check_rows = Vec::new();
    if o.check {
        for corpus in &corpora {
            let mut runs = Vec::new();
            for threads in [1, 2] {
                let load = load_average();
                let run = timed_check(&o.out, &corpus.dir, corpus.bytes, threads);
                eprintln!(
                    "check {} notes, {threads} thread(s): {:.2} s",
                    corpus.notes,
                    run.wall.as_secs_f64()
                );
                runs.push((threads, run, load));
            }
            check_rows.push(CheckRow {
                notes: corpus.notes,
                bytes: corpus.bytes,
                runs,
            });
        }
    }

    let mut server_rows = Vec::new();
    if o.server {
        let long_notes: Vec<(String, String)> = [(100_000, "100 KB"), (1_000_000, "1 MB")]
            .into_iter()
            .map(|(bytes, label)| (label.to_string(), material.long_note(bytes)))
            .collect();
        for corpus in &corpora {
            server_rows.push(server(&o, corpus, &long_notes));
        }
    }

    let stages = corpora.first().filter(|_| o.stages).map(|c| {
        let mut out = stages(c, &kb);
        out.push_str(&edit_stages(&material.long_note(100_000), &kb));
        out
    });

    let comparison = match (o.textlint, corpora.first()) {
        (true, Some(smallest)) => {
            let corpus = match o.textlint_notes {
                Some(n) if n != smallest.notes => material.vault(&o.out, n),
                _ => material.vault(&o.out, smallest.notes),
            };
            compare(&o, &corpus, &kb)
        }
        _ => None,
    };

    // The tables.
    if !check_rows.is_empty() {
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
        for row in &check_rows {
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
    }
    if !server_rows.is_empty() {
        let _ = writeln!(report, "### Language server: cold index and memory\n");
        let _ = writeln!(
            report,
            "| notes | MB | start → initialize | index (wall) | index (server CPU) | peak RSS (VmHWM) | RSS after | RSS / corpus | load |"
        );
        let _ = writeln!(report, "|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for r in &server_rows {
            let _ = writeln!(
                report,
                "| {} | {:.0} | {:.0} ms | **{:.2} s** | {} | {:.0} MB | {:.0} MB | {:.2}× | {} |",
                r.notes,
                mb(r.bytes),
                ms(r.start),
                r.index.as_secs_f64(),
                r.index_cpu.map_or("?".into(), |c| format!("{:.2} s", c.as_secs_f64())),
                r.hwm_kb as f64 / 1e3,
                r.rss_kb as f64 / 1e3,
                r.hwm_kb as f64 * 1e3 / r.bytes as f64,
                r.load
            );
        }
        let _ = writeln!(
            report,
            "\n### Language server: request latency over JSON-RPC (p50 / p99)\n"
        );
        let kinds: Vec<&str> = server_rows[0].latency.iter().map(|l| l.0).collect();
        let _ = writeln!(report, "| notes | {} | load |", kinds.join(" | "));
        let _ = writeln!(report, "|---:|{}---|", "---:|".repeat(kinds.len()));
        for r in &server_rows {
            let cells: Vec<String> = r
                .latency
                .iter()
                .map(|(kind, p50, p99, results, _)| {
                    let extra = if *kind == "references" {
                        format!(" ({results:.0} locations)")
                    } else {
                        String::new()
                    };
                    format!("{:.2} / **{:.2}** ms{extra}", ms(*p50), ms(*p99))
                })
                .collect();
            let loads: Vec<&str> = r.latency.iter().map(|l| l.4.as_str()).collect();
            let _ = writeln!(report, "| {} | {} | {} |", r.notes, cells.join(" | "), loads.join(", "));
        }
        let _ = writeln!(report, "\n### `didChange` → `publishDiagnostics` (p50 / p99)\n");
        let labels: Vec<&str> = server_rows[0].edits.iter().map(|e| e.0.as_str()).collect();
        let _ = writeln!(report, "| notes | {} | load |", labels.join(" | "));
        let _ = writeln!(report, "|---:|{}---|", "---:|".repeat(labels.len()));
        for r in &server_rows {
            let cells: Vec<String> = r
                .edits
                .iter()
                .map(|(_, p50, p99, diagnostics, _)| {
                    format!("{:.1} / **{:.1}** ms ({diagnostics} diagnostics)", ms(*p50), ms(*p99))
                })
                .collect();
            let loads: Vec<&str> = r.edits.iter().map(|e| e.4.as_str()).collect();
            let _ = writeln!(report, "| {} | {} | {} |", r.notes, cells.join(" | "), loads.join(", "));
        }
        report.push('\n');
    }
    if let Some(stages) = stages {
        report.push_str(&stages);
    }
    if let Some(comparison) = comparison {
        report.push_str(&comparison);
    }
    print!("{report}");
    let path = o.out.join("results.md");
    std::fs::write(&path, &report).unwrap();
    eprintln!("written to {}", path.display());
}

/// A mention's positions in an open note: (hover/definition/references position,
/// completion position two characters into the name).
fn mention_positions(text: &str, kb: &Kb) -> Vec<(Value, Value)> {
    let recognition = recognize(text, kb);
    let index = LineIndex::new(text);
    let position = |offset: usize| {
        let lc = index.line_col(text, offset, PositionEncoding::Utf16);
        json!({ "line": lc.line, "character": lc.col })
    };
    recognition
        .mentions
        .iter()
        .filter(|m| m.range.slice(text).chars().count() >= 3)
        .map(|m| {
            let mut chars = m.range.slice(text).char_indices().skip(1);
            let inside = m.range.start + chars.next().unwrap().0;
            let after_two = m.range.start + chars.next().unwrap().0;
            (position(inside), position(after_two))
        })
        .collect()
}

fn server(o: &Options, corpus: &Corpus, long_notes: &[(String, String)]) -> ServerRow {
    let cache = o.out.join("cache");
    let spawned = Instant::now();
    let mut server = lsp::Server::spawn(Path::new(BINARY), &cache);
    let root = seed_lsp::proto::lsp_json::file_uri(&corpus.dir);
    let long = Duration::from_secs(1800);
    server.request(
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": root,
            "workspaceFolders": [{ "uri": root, "name": "vault" }],
            "capabilities": {
                "general": { "positionEncodings": ["utf-16"] },
                "window": { "workDoneProgress": true },
                "textDocument": { "hover": { "contentFormat": ["markdown", "plaintext"] } },
            },
        }),
        long,
    );
    let start = spawned.elapsed();
    let load = load_average();
    let initialized = Instant::now();
    let cpu_before = server.cpu_time();
    server.notify("initialized", json!({}));
    server
        .wait_for("$/progress", long, |p| {
            p["token"].as_str().is_some_and(|t| t.contains("indexing")) && p["value"]["kind"] == "end"
        })
        .expect("the indexing progress ends");
    let index = initialized.elapsed();
    let index_cpu = server.cpu_time().zip(cpu_before).map(|(a, b)| a.saturating_sub(b));
    let hwm_kb = server.status_kb("VmHWM").unwrap_or(0);
    let rss_kb = server.status_kb("VmRSS").unwrap_or(0);
    eprintln!(
        "server, {} notes: indexed in {:.2} s, peak RSS {:.0} MB",
        corpus.notes,
        index.as_secs_f64(),
        hwm_kb as f64 / 1e3
    );

    // An open note of the vault, and requests on its mentions.
    let path = corpus.path(0);
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = seed_lsp::proto::lsp_json::file_uri(&path);
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "seed", "version": 1, "text": text } }),
    );
    server
        .wait_for("textDocument/publishDiagnostics", long, |p| p["uri"] == uri.as_str())
        .expect("diagnostics of the open note");
    let positions = mention_positions(&text, &Kb::builtin());
    let mut latency = Vec::new();
    let kinds: [(&str, &str); 4] = [
        ("hover", "textDocument/hover"),
        ("definition", "textDocument/definition"),
        ("references", "textDocument/references"),
        ("completion", "textDocument/completion"),
    ];
    for (kind, method) in kinds {
        let load = load_average();
        let mut samples = Vec::new();
        let mut results = 0usize;
        let budget = Instant::now() + Duration::from_secs(60);
        for i in 0..o.requests + 20 {
            let (at, typed) = &positions[i % positions.len()];
            let position = if kind == "completion" { typed } else { at };
            let mut params = json!({ "textDocument": { "uri": uri }, "position": position });
            if kind == "references" {
                params["context"] = json!({ "includeDeclaration": true });
            }
            let (result, elapsed) = server.request(method, params, long);
            if i >= 20 {
                samples.push(elapsed);
                results += result.as_array().map_or(0, Vec::len);
            }
            if Instant::now() > budget && samples.len() >= 20 {
                break;
            }
        }
        let count = samples.len();
        let (p50, p99) = percentiles(&mut samples);
        eprintln!(
            "  {kind}: p50 {:.2} ms, p99 {:.2} ms ({count} requests)",
            ms(p50),
            ms(p99)
        );
        latency.push((kind, p50, p99, results as f64 / count as f64, load));
    }

    // Edits in long notes that are not on disk.
    let mut edits = Vec::new();
    for (n, (label, text)) in long_notes.iter().enumerate() {
        let path = corpus.dir.join(format!("unsaved-{n}.txt"));
        let uri = seed_lsp::proto::lsp_json::file_uri(&path);
        server.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "seed", "version": 1, "text": text } }),
        );
        server
            .wait_for("textDocument/publishDiagnostics", long, |p| {
                p["uri"] == uri.as_str() && p["version"] == 1
            })
            .expect("diagnostics of the long note");
        let index = LineIndex::new(text);
        let lines = index.line_count() as u32;
        let rounds = if text.len() > 500_000 {
            (o.edits / 4).max(10)
        } else {
            o.edits
        };
        let load = load_average();
        let mut samples = Vec::new();
        let mut diagnostics = 0;
        let mut rng = corpus::Rng::new(n as u64 + 7);
        for round in 0..rounds + 5 {
            let version = 2 + 2 * round as i64;
            // Type a character at the start of some line, then delete it.
            let line = rng.below(lines as usize) as u32;
            for (v, change) in [
                (
                    version,
                    json!({ "range": { "start": { "line": line, "character": 0 }, "end": { "line": line, "character": 0 } }, "text": "ア" }),
                ),
                (
                    version + 1,
                    json!({ "range": { "start": { "line": line, "character": 0 }, "end": { "line": line, "character": 1 } }, "text": "" }),
                ),
            ] {
                let started = Instant::now();
                server.notify(
                    "textDocument/didChange",
                    json!({ "textDocument": { "uri": uri, "version": v }, "contentChanges": [change] }),
                );
                let published = server
                    .wait_for("textDocument/publishDiagnostics", long, |p| {
                        p["uri"] == uri.as_str() && p["version"] == v
                    })
                    .expect("diagnostics after an edit");
                if round >= 5 {
                    samples.push(started.elapsed());
                    diagnostics = published["diagnostics"].as_array().map_or(0, Vec::len);
                }
            }
        }
        let (p50, p99) = percentiles(&mut samples);
        eprintln!("  edit in {label}: p50 {:.1} ms, p99 {:.1} ms", ms(p50), ms(p99));
        edits.push((label.clone(), p50, p99, diagnostics, load));
        server.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    }
    server.shutdown();
    ServerRow {
        notes: corpus.notes,
        bytes: corpus.bytes,
        start,
        index,
        index_cpu,
        hwm_kb,
        rss_kb,
        load,
        latency,
        edits,
    }
}

/// Where one-threaded `analyze` spends its time on a vault, stage by stage, in process: on a
/// rayon pool of one thread (the pipeline uses the pool), so the thread's CPU time is all of it.
fn stages(corpus: &Corpus, kb: &Kb) -> String {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool")
        .install(|| stages_on_this_thread(corpus, kb))
}

fn stages_on_this_thread(corpus: &Corpus, kb: &Kb) -> String {
    let texts: Vec<String> = (0..corpus.notes)
        .map(|i| std::fs::read_to_string(corpus.path(i)).unwrap())
        .collect();
    let load = load_average();
    let mut facts = WorkspaceFacts::new(kb);
    let mut times: HashMap<&str, Duration> = HashMap::new();
    let mut time = |stage: &'static str, f: &mut dyn FnMut()| {
        let started = thread_cpu();
        f();
        *times.entry(stage).or_default() += thread_cpu().saturating_sub(started);
    };
    for text in &texts {
        let mut entities = Vec::new();
        time("pass 1: exact recognition (workspace facts)", &mut || {
            entities = recognize(text, kb).mentions.iter().map(|m| m.entity).collect();
        });
        facts.add_mentions(entities, false);
    }
    let config = Config::default();
    let prh = PrhRules::default();
    let cx = Context {
        kb,
        config: &config,
        prh: &prh,
        facts: &facts,
    };
    for text in &texts {
        let mut layout = None;
        time("layout", &mut || {
            layout = Some(seed_lsp::analysis::layout::Layout::parse(text))
        });
        let mut recognition = None;
        time("recognition", &mut || recognition = Some(recognize(text, kb)));
        let mut recognition = recognition.unwrap();
        time("near misses", &mut || {
            near_miss::add_near_misses(text, kb, &mut recognition, &facts)
        });
        let layout = layout.unwrap();
        let mut sources = None;
        time("sources", &mut || {
            sources = Some(seed_lsp::analysis::sources::find_sources(
                text,
                &layout,
                &recognition.mentions,
                kb,
            ))
        });
        time("analyze (whole pipeline, for reference)", &mut || {
            std::hint::black_box(analyze(text, cx));
        });
    }
    let whole = times["analyze (whole pipeline, for reference)"];
    let known: Duration = ["layout", "recognition", "near misses", "sources"]
        .iter()
        .map(|s| times[s])
        .sum();
    times.insert("rules (whole pipeline − the stages above)", whole.saturating_sub(known));
    let mut out = format!(
        "### Where `analyze` spends its time ({} notes, {:.0} MB, one thread, in process, thread CPU time; load {load})\n\n| stage | CPU time | MB per CPU-second |\n|---|---:|---:|\n",
        corpus.notes,
        mb(corpus.bytes)
    );
    let mut rows: Vec<(&str, Duration)> = times.into_iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
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

/// Where the server's analysis of an open note spends its time after each keystroke: the
/// stages of `analyze_with_memo` timed one by one (wall time: some stages use the rayon
/// pool) on a 100 KB note, a character typed at
/// the start of a random line and deleted again, as the edit-latency benchmark does.
fn edit_stages(text: &str, kb: &Kb) -> String {
    use seed_lsp::analysis::layout::Layout;
    use seed_lsp::analysis::recognize::memo::RecognitionMemo;
    use seed_lsp::analysis::rules::{run_rules, RuleContext, RULES};
    use seed_lsp::analysis::settings::RuleSeverities;
    use seed_lsp::analysis::sources::find_sources;

    let load = load_average();
    let facts = WorkspaceFacts::new(kb);
    let config = Config::default();
    let prh = PrhRules::default();
    let mut memo = RecognitionMemo::default();
    memo.recognize(text, kb, 1);
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i < text.len())
        .collect();
    let mut rng = corpus::Rng::new(11);
    let mut times: Vec<(String, Vec<Duration>)> = Vec::new();
    let mut record = |stage: &str, d: Duration| match times.iter_mut().find(|(s, _)| s == stage) {
        Some((_, v)) => v.push(d),
        None => times.push((stage.to_string(), vec![d])),
    };
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
    for round in 0..rounds {
        let edited = edit(round, &mut rng);
        let text = edited.as_str();
        let whole = Instant::now();
        let started = Instant::now();
        let (mut recognition, candidates) = memo.recognize(text, kb, 1);
        record("recognition of the changed lines (memo)", started.elapsed());
        let started = Instant::now();
        let layout = Layout::parse(text);
        record("layout (paragraphs, fences)", started.elapsed());
        let started = Instant::now();
        candidates.weigh(text, kb, &recognition).apply(
            kb,
            &mut recognition.mentions,
            &mut recognition.leftovers,
            &facts,
        );
        record("near misses weighed and applied", started.elapsed());
        let started = Instant::now();
        let sources = find_sources(text, &layout, &recognition.mentions, kb);
        record("sources", started.elapsed());
        let cx = RuleContext {
            text,
            kb,
            layout: &layout,
            recognition: &recognition,
            sources: &sources,
            workspace: &facts,
            prh: &prh,
        };
        for rule in RULES {
            let mut only = RuleSeverities::default();
            for other in RULES.iter().filter(|r| r.id != rule.id) {
                only.set(other.id, None);
            }
            let started = Instant::now();
            std::hint::black_box(run_rules(&cx, &only));
            record(&format!("rule {}", rule.id), started.elapsed());
        }
        let started = Instant::now();
        std::hint::black_box(LineIndex::new(text));
        record("line index", started.elapsed());
        record("sum of the stages", whole.elapsed());
    }
    // The pipeline as the server runs it (layout beside recognition, source lines and rules
    // side by side on the rayon pool).
    for round in 0..rounds {
        let edited = edit(round, &mut rng);
        let started = Instant::now();
        let cx = Context {
            kb,
            config: &config,
            prh: &prh,
            facts: &facts,
        };
        std::hint::black_box(analyze_with_memo(&edited, cx, 1, &mut memo));
        record(
            "analyze_with_memo (as the server runs it, rayon pool)",
            started.elapsed(),
        );
    }
    let mut out = format!(
        "### Where the analysis of an open 100 KB note spends its time after a keystroke ({rounds} edits, in process, wall time: the stages one by one, a rule alone pays the rayon dispatch; then the whole pipeline; load {load})\n\n| stage | p50 | p99 |\n|---|---:|---:|\n"
    );
    for (stage, mut samples) in times {
        let (p50, p99) = percentiles(&mut samples);
        let _ = writeln!(out, "| {stage} | {:.3} ms | {:.3} ms |", ms(p50), ms(p99));
    }
    out.push('\n');
    out
}

/// Findings by (note, line): (start column, end column, family).
type FindingsByLine = HashMap<(u32, u32), Vec<(u32, u32, &'static str)>>;

/// seed-lsp vs textlint on the same vault: throughput, planted defects found, findings.
fn compare(o: &Options, corpus: &Corpus, kb: &Kb) -> Option<String> {
    let tool = textlint::install(&o.out.join("textlint"), kb)?;
    let load_t = load_average();
    eprintln!("textlint on {} notes…", corpus.notes);
    let (t_time, t_findings) = tool.run(&corpus.dir);
    let load_s = load_average();
    // Timed as people run it (human output); the JSON run only collects the findings.
    let s_run = timed_check(&o.out, &corpus.dir, corpus.bytes, 2);
    let s1_run = timed_check(&o.out, &corpus.dir, corpus.bytes, 1);
    let (s_time, s1_time) = (s_run.wall, s1_run.wall);
    let s_json = run_check(&o.out, &corpus.dir, 2, true).1.expect("seed-lsp check JSON");
    let mut s_findings: Vec<textlint::Finding> = Vec::new();
    for file in s_json["files"].as_array().into_iter().flatten() {
        let path = PathBuf::from(file["path"].as_str().unwrap_or_default());
        for d in file["diagnostics"].as_array().into_iter().flatten() {
            let family = match d["code"].as_str().unwrap_or("") {
                "unmatched-bracket" => "bracket",
                "misspelled-entity" | "deprecated-name" | "glued-entities" => "name",
                _ => "other",
            };
            let (s, e) = (&d["range"]["start"], &d["range"]["end"]);
            let line = s["line"].as_u64().unwrap_or(0) as u32;
            let col = s["character"].as_u64().unwrap_or(0) as u32;
            let end = if e["line"] == s["line"] {
                e["character"].as_u64().unwrap_or(0) as u32
            } else {
                u32::MAX
            };
            s_findings.push((path.clone(), line, col, end.max(col + 1), family));
        }
    }
    // Findings by (note, line).
    let note_of: HashMap<PathBuf, u32> = (0..corpus.notes).map(|i| (corpus.path(i), i as u32)).collect();
    let index = |findings: &[textlint::Finding]| {
        let mut by_line: FindingsByLine = HashMap::new();
        for (path, line, s, e, family) in findings {
            let path = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            if let Some(&note) = note_of.get(&path) {
                by_line.entry((note, *line)).or_default().push((*s, *e, family));
            }
        }
        by_line
    };
    let (s_index, t_index) = (index(&s_findings), index(&t_findings));
    let found = |by_line: &FindingsByLine, kind: Defect| {
        corpus
            .planted
            .iter()
            .filter(|p| p.kind == kind)
            .filter(|p| {
                by_line.get(&(p.note, p.line)).is_some_and(|hits| {
                    hits.iter().any(|&(s, e, family)| {
                        if kind.by_line() {
                            family == "bracket"
                        } else {
                            family == "name" && s < p.col_end && p.col_start < e
                        }
                    })
                })
            })
            .count()
    };
    let s_rate = mb(corpus.bytes) / s_time.as_secs_f64();
    let s1_rate = mb(corpus.bytes) / s1_time.as_secs_f64();
    let t_rate = mb(corpus.bytes) / t_time.as_secs_f64();
    let mut out = format!(
        "### Side by side with textlint ({} notes, {:.1} MB)\n\n\
         textlint {} + textlint-rule-prh ({} rules, {} patterns generated from the KB: aliases, outdated names, misspellings) \
         + @textlint-rule/no-unmatched-pair; seed-lsp check with its default rules. \
         Planted defects are found when a diagnostic of the right kind overlaps them (brackets: on their line).\n\n\
         | | time | MB/s | findings | load |\n|---|---:|---:|---:|---|\n",
        corpus.notes,
        mb(corpus.bytes),
        tool.version,
        tool.prh_rules,
        tool.prh_patterns
    );
    let _ = writeln!(
        out,
        "| textlint + prh + no-unmatched-pair (1 process) | {:.1} s | {t_rate:.2} | {} | {load_t} |",
        t_time.as_secs_f64(),
        t_findings.len()
    );
    let _ = writeln!(
        out,
        "| seed-lsp check, 1 thread (median of 3) | {:.2} s | {s1_rate:.1} | | {load_s} |",
        s1_time.as_secs_f64()
    );
    let _ = writeln!(
        out,
        "| seed-lsp check, 2 threads (median of 3) | {:.2} s | {s_rate:.1} | {} | {load_s} |",
        s_time.as_secs_f64(),
        s_findings.len()
    );
    let _ = writeln!(
        out,
        "\n**Throughput ratio: {:.0}× (2 threads), {:.0}× (1 thread).**\n\n| planted defect | planted | seed-lsp found | textlint found |\n|---|---:|---:|---:|",
        s_rate / t_rate,
        s1_rate / t_rate
    );
    let (mut total, mut s_total, mut t_total) = (0, 0, 0);
    for kind in Defect::ALL {
        let planted = corpus.planted.iter().filter(|p| p.kind == kind).count();
        let (s, t) = (found(&s_index, kind), found(&t_index, kind));
        total += planted;
        s_total += s;
        t_total += t;
        let _ = writeln!(out, "| {} | {planted} | {s} | {t} |", kind.label());
    }
    let _ = writeln!(out, "| **all** | {total} | **{s_total}** | **{t_total}** |\n");
    Some(out)
}
