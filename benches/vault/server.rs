//! The language server driven over stdio like an editor, through the tests' JSON-RPC client:
//! cold and warm index time (a second start on the index cache the first wrote) — usable (the end of `$/progress`) and
//! near misses done (`seedLsp/status` says the background phase is over) — and memory, request latency on real mention positions of an open note,
//! and `didChange` → `publishDiagnostics` latency on long notes; their tables.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use seed_lsp::analysis::recognize::recognize;
use seed_lsp::base::{LineIndex, PositionEncoding};
use seed_lsp::kb::Kb;

use crate::client::{uri, Client};
use crate::corpus::{self, Corpus};
use crate::measure::{cpu_time, load_average, mb, ms, percentiles, status_kb};
use crate::options::Options;

/// What one vault's server run measured.
pub struct ServerRow {
    pub notes: usize,
    bytes: u64,
    start: Duration,
    /// From `initialized` to the end of `$/progress`: the index is usable.
    index: Duration,
    /// Server CPU time from `initialized` to the end of `$/progress`.
    pub index_cpu: Option<Duration>,
    /// The same to the end of the background phase (near misses found).
    near_misses: Duration,
    near_misses_cpu: Option<Duration>,
    /// The same for a second start on the cache the first one wrote, and what it read.
    warm_index: Duration,
    warm_index_cpu: Option<Duration>,
    warm_reread: String,
    hwm_kb: u64,
    rss_kb: u64,
    load: String,
    /// (kind, p50, p99, results per request, load).
    latency: Vec<(&'static str, Duration, Duration, f64, String)>,
    /// (note, p50, p99, diagnostics, load).
    edits: Vec<(String, Duration, Duration, usize, String)>,
}

/// A mention's positions in an open note: (hover/definition/references position,
/// completion position two characters into the name).
pub fn mention_positions(text: &str, kb: &Kb) -> Vec<(Value, Value)> {
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

/// `request` and its round-trip time.
fn timed_request(server: &mut Client, method: &str, params: Value) -> (Value, Duration) {
    let started = Instant::now();
    let result = server.request(method, params);
    (result, started.elapsed())
}

/// A server started on the vault with the bench's cache folder, and how its start went.
struct Started {
    server: Client,
    start: Duration,
    index: Duration,
    index_cpu: Option<Duration>,
    near_misses: Duration,
    near_misses_cpu: Option<Duration>,
    load: String,
    /// The indexing's last report: "N notes unchanged, M read".
    reread: String,
}

/// Spawn the server on the vault, initialise it and wait until its index is made.
fn start_indexed(corpus: &Corpus, cache: &Path) -> Started {
    let spawned = Instant::now();
    // The server's own timings: `VAULT_SERVER_LOG=seed_lsp=debug cargo bench --bench vault`.
    let log = std::env::var("VAULT_SERVER_LOG").unwrap_or_else(|_| "error".into());
    let mut server = Client::builder()
        .log(&log)
        .env("SEED_LSP_CACHE_DIR", cache.to_str().expect("a UTF-8 cache path"))
        .spawn();
    server.timeout = Duration::from_secs(1800);
    let root = uri(&corpus.dir);
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
            // Closed notes' diagnostics are measured on their own (`pull.rs`).
            "initializationOptions": { "diagnostics": { "scope": "open" } },
        }),
    );
    let start = spawned.elapsed();
    let load = load_average();
    let initialized = Instant::now();
    let cpu_before = cpu_time(server.pid());
    server.notify("initialized", json!({}));
    let is_indexing = |p: &Value| p["token"].as_str().is_some_and(|t| t.contains("indexing"));
    let report = server.wait_for("$/progress", |p| {
        is_indexing(p) && p["value"]["message"].as_str().is_some_and(|m| m.contains("unchanged"))
    });
    server.wait_for("$/progress", |p| is_indexing(p) && p["value"]["kind"] == "end");
    let index = initialized.elapsed();
    let index_cpu = cpu_time(server.pid()).zip(cpu_before).map(|(a, b)| a.saturating_sub(b));
    // The background phase: near misses, until the status says it is over.
    while server.request("seedLsp/status", Value::Null)["findingNearMisses"] == true {
        std::thread::sleep(Duration::from_millis(20));
    }
    let near_misses = initialized.elapsed();
    let near_misses_cpu = cpu_time(server.pid()).zip(cpu_before).map(|(a, b)| a.saturating_sub(b));
    Started {
        server,
        start,
        index,
        index_cpu,
        near_misses,
        near_misses_cpu,
        load,
        reread: report["value"]["message"].as_str().unwrap_or("").to_string(),
    }
}

/// One vault: the server spawned, indexed (cold: its cache folder emptied first), asked
/// and edited, then started again on its cache (warm); `long_notes` are (label, text) of the
/// notes the edits are typed into.
pub fn server(o: &Options, corpus: &Corpus, long_notes: &[(String, String)]) -> ServerRow {
    let cache = o.out.join(format!("cache-{}", corpus.notes));
    let _ = std::fs::remove_dir_all(&cache);
    let Started {
        mut server,
        start,
        index,
        index_cpu,
        near_misses,
        near_misses_cpu,
        load,
        reread: cold_reread,
    } = start_indexed(corpus, &cache);
    let hwm_kb = status_kb(server.pid(), "VmHWM").unwrap_or(0);
    let rss_kb = status_kb(server.pid(), "VmRSS").unwrap_or(0);
    eprintln!(
        "server, {} notes: usable in {:.2} s ({cold_reread}), near misses done in {:.2} s, peak RSS {:.0} MB",
        corpus.notes,
        index.as_secs_f64(),
        near_misses.as_secs_f64(),
        hwm_kb as f64 / 1e3
    );
    // Nothing waits for the indexing's other reports.
    server.notifications.clear();

    // An open note of the vault, and requests on its mentions.
    let path = corpus.path(0);
    let text = std::fs::read_to_string(&path).unwrap();
    let note = server.open(&path, &text);
    server.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == note.as_str());
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
            let mut params = json!({ "textDocument": { "uri": note }, "position": position });
            if kind == "references" {
                params["context"] = json!({ "includeDeclaration": true });
            }
            let (result, elapsed) = timed_request(&mut server, method, params);
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
        let uri = server.open(&corpus.dir.join(format!("unsaved-{n}.txt")), text);
        server.diagnostics(&uri, 1);
        let lines = LineIndex::new(text).line_count() as u32;
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
                let published = server.diagnostics(&uri, v);
                if round >= 5 {
                    samples.push(started.elapsed());
                    diagnostics = published.len();
                }
            }
        }
        let (p50, p99) = percentiles(&mut samples);
        eprintln!("  edit in {label}: p50 {:.1} ms, p99 {:.1} ms", ms(p50), ms(p99));
        edits.push((label.clone(), p50, p99, diagnostics, load));
        server.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    }
    if !server.shutdown().success() {
        eprintln!("the server's exit after shutdown was not a success");
    }

    // A warm start: the same vault, the cache the first server wrote.
    let warm = start_indexed(corpus, &cache);
    eprintln!(
        "server, {} notes: warm start indexed in {:.2} s ({})",
        corpus.notes,
        warm.index.as_secs_f64(),
        warm.reread
    );
    if !warm.server.shutdown().success() {
        eprintln!("the warm server's exit after shutdown was not a success");
    }
    ServerRow {
        notes: corpus.notes,
        bytes: corpus.bytes,
        start,
        index,
        index_cpu,
        near_misses,
        near_misses_cpu,
        warm_index: warm.index,
        warm_index_cpu: warm.index_cpu,
        warm_reread: warm.reread,
        hwm_kb,
        rss_kb,
        load,
        latency,
        edits,
    }
}

/// The server's three tables: cold index and memory, request latency, edit latency.
pub fn server_tables(rows: &[ServerRow]) -> String {
    let mut report = String::new();
    let _ = writeln!(report, "### Language server: cold and warm index, memory\n");
    let _ = writeln!(
        report,
        "| notes | MB | start → initialize | cold index usable (wall) | cold index usable (server CPU) | near misses done (wall) | near misses done (server CPU) | warm index (wall) | warm index (server CPU) | warm start read | peak RSS (VmHWM) | RSS after | RSS / corpus | load |"
    );
    let _ = writeln!(
        report,
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|"
    );
    let cpu = |c: Option<Duration>| c.map_or("?".into(), |c| format!("{:.2} s", c.as_secs_f64()));
    for r in rows {
        let _ = writeln!(
            report,
            "| {} | {:.0} | {:.0} ms | **{:.2} s** | {} | {:.2} s | {} | **{:.2} s** | {} | {} | {:.0} MB | {:.0} MB | {:.2}× | {} |",
            r.notes,
            mb(r.bytes),
            ms(r.start),
            r.index.as_secs_f64(),
            cpu(r.index_cpu),
            r.near_misses.as_secs_f64(),
            cpu(r.near_misses_cpu),
            r.warm_index.as_secs_f64(),
            cpu(r.warm_index_cpu),
            r.warm_reread,
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
    let kinds: Vec<&str> = rows[0].latency.iter().map(|l| l.0).collect();
    per_vault(&mut report, &kinds, rows, |r| {
        let cell = |(kind, p50, p99, results, _): &(&str, Duration, Duration, f64, String)| {
            let extra = if *kind == "references" {
                format!(" ({results:.0} locations)")
            } else {
                String::new()
            };
            format!("{:.2} / **{:.2}** ms{extra}", ms(*p50), ms(*p99))
        };
        r.latency.iter().map(|l| (cell(l), l.4.as_str())).collect()
    });
    let _ = writeln!(report, "\n### `didChange` → `publishDiagnostics` (p50 / p99)\n");
    let labels: Vec<&str> = rows[0].edits.iter().map(|e| e.0.as_str()).collect();
    per_vault(&mut report, &labels, rows, |r| {
        let cell = |(_, p50, p99, diagnostics, _): &(String, Duration, Duration, usize, String)| {
            format!("{:.1} / **{:.1}** ms ({diagnostics} diagnostics)", ms(*p50), ms(*p99))
        };
        r.edits.iter().map(|e| (cell(e), e.4.as_str())).collect()
    });
    report.push('\n');
    report
}

/// A table of one row per vault: its notes, a cell per column, and the load average each
/// column was measured at; `cells` gives a vault's (cell, load) per column.
fn per_vault<'a>(
    report: &mut String,
    columns: &[&str],
    rows: &'a [ServerRow],
    cells: impl Fn(&'a ServerRow) -> Vec<(String, &'a str)>,
) {
    let _ = writeln!(report, "| notes | {} | load |", columns.join(" | "));
    let _ = writeln!(report, "|---:|{}---|", "---:|".repeat(columns.len()));
    for r in rows {
        let (cells, loads): (Vec<String>, Vec<&str>) = cells(r).into_iter().unzip();
        let _ = writeln!(report, "| {} | {} | {} |", r.notes, cells.join(" | "), loads.join(", "));
    }
}
