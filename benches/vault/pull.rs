//! Workspace diagnostics on a vault: a server started as VS Code starts it (pulling
//! diagnostics), indexed, then one `workspace/diagnostic` over every note (streamed as
//! partial results) while hovers are asked on an open note — the time of the whole pull,
//! the hover p50/p99 meanwhile, the memory after — and the same pull again with the result
//! ids the first gave (every note unchanged). Its table.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::client::{uri, Client};
use crate::corpus::Corpus;
use crate::measure::{load_average, ms, percentiles, status_kb};

/// What one vault's workspace pull measured.
pub struct PullRow {
    notes: usize,
    pull: Duration,
    reports: usize,
    findings: usize,
    hovers: usize,
    hover_p50: Duration,
    hover_p99: Duration,
    unchanged: Duration,
    hwm_kb: u64,
    load: String,
}

/// The partial results received so far: (reports, findings, result ids).
fn take_partials(server: &mut Client, token: &str, previous: &mut Vec<Value>) -> (usize, usize) {
    let (mut reports, mut findings) = (0, 0);
    server.notifications.retain(|n| {
        if n["method"] != "$/progress" || n["params"]["token"] != token {
            return true;
        }
        for item in n["params"]["value"]["items"].as_array().into_iter().flatten() {
            reports += 1;
            findings += item["items"].as_array().map_or(0, Vec::len);
            previous.push(json!({ "uri": item["uri"], "value": item["resultId"] }));
        }
        false
    });
    (reports, findings)
}

pub fn workspace_pull(corpus: &Corpus, hover_at: &[Value]) -> PullRow {
    let mut server = Client::builder().log("error").spawn();
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
                "textDocument": { "hover": { "contentFormat": ["markdown"] }, "diagnostic": {} },
                "workspace": { "diagnostics": { "refreshSupport": true } },
            },
        }),
    );
    server.notify("initialized", json!({}));
    server.wait_indexed();
    let path = corpus.path(0);
    let note = server.open(&path, &std::fs::read_to_string(&path).unwrap());
    let load = load_average();

    let started = Instant::now();
    let id = server.send_request(
        "workspace/diagnostic",
        json!({ "previousResultIds": [], "partialResultToken": "bench" }),
    );
    let mut previous = Vec::new();
    let (mut reports, mut findings) = (0, 0);
    let mut samples = Vec::new();
    let pull = loop {
        if let Some(i) = server.stray_responses.iter().position(|r| r["id"] == json!(id)) {
            server.stray_responses.remove(i);
            break started.elapsed();
        }
        let position = &hover_at[samples.len() % hover_at.len()];
        let asked = Instant::now();
        server.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": note }, "position": position }),
        );
        samples.push(asked.elapsed());
        let (r, f) = take_partials(&mut server, "bench", &mut previous);
        reports += r;
        findings += f;
        std::thread::sleep(Duration::from_millis(20));
    };
    let (r, f) = take_partials(&mut server, "bench", &mut previous);
    reports += r;
    findings += f;
    let hwm_kb = status_kb(server.pid(), "VmHWM").unwrap_or(0);
    let hovers = samples.len();
    let (hover_p50, hover_p99) = if samples.is_empty() {
        (Duration::ZERO, Duration::ZERO)
    } else {
        percentiles(&mut samples)
    };

    let again = Instant::now();
    let answer = server.request("workspace/diagnostic", json!({ "previousResultIds": previous }));
    let unchanged = again.elapsed();
    let all_unchanged = answer["items"]
        .as_array()
        .is_some_and(|items| items.iter().filter(|i| i["kind"] == "unchanged").count() + 1 >= reports);
    eprintln!(
        "workspace/diagnostic, {} notes: {:.2} s ({reports} reports, {findings} findings), hover p99 {:.2} ms meanwhile; again {:.0} ms{}",
        corpus.notes,
        pull.as_secs_f64(),
        ms(hover_p99),
        ms(unchanged),
        if all_unchanged { "" } else { " (NOT all unchanged)" }
    );
    let _ = server.shutdown();
    PullRow {
        notes: corpus.notes,
        pull,
        reports,
        findings,
        hovers,
        hover_p50,
        hover_p99,
        unchanged,
        hwm_kb,
        load,
    }
}

pub fn pull_table(rows: &[PullRow]) -> String {
    let mut report = String::new();
    let _ = writeln!(report, "### Language server: `workspace/diagnostic` over every note\n");
    let _ = writeln!(
        report,
        "| notes | pull (wall) | reports | findings | hover p50 / p99 meanwhile | pull again (all unchanged) | peak RSS | load |"
    );
    let _ = writeln!(report, "|---:|---:|---:|---:|---:|---:|---:|---|");
    for r in rows {
        let _ = writeln!(
            report,
            "| {} | **{:.2} s** | {} | {} | {:.2} / **{:.2}** ms ({} hovers) | {:.0} ms | {:.0} MB | {} |",
            r.notes,
            r.pull.as_secs_f64(),
            r.reports,
            r.findings,
            ms(r.hover_p50),
            ms(r.hover_p99),
            r.hovers,
            ms(r.unchanged),
            r.hwm_kb as f64 / 1e3,
            r.load
        );
    }
    report.push('\n');
    report
}
