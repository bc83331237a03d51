//! `cargo bench --bench vault` — seed-lsp at vault scale, one table.
//!
//! For each vault size (`--sizes`, default 1000,10000 notes of ~20 KB, generated
//! deterministically under `target/bench-vault/` by [`corpus`]):
//! - the physical limit ([`scan`]): a bare Aho–Corasick scan of every KB spelling over the
//!   same files on one thread, beside `check` and indexing as CPU per byte;
//! - `seed-lsp check` throughput (MB/s) with 1 and 2 rayon threads ([`check`]);
//! - the language server, driven over stdio like an editor through the tests' JSON-RPC
//!   client ([`server`]): cold workspace index time (from `initialized` to the end of the
//!   indexing progress) and peak RSS (`VmHWM`); hover, definition, references and completion
//!   latency p50/p99 over JSON-RPC on real mention positions of an open note;
//!   `didChange` → `publishDiagnostics` latency p50/p99 on a 100 KB and a 1 MB note;
//! - `workspace/diagnostic` over every note, from a server started as VS Code starts it
//!   ([`pull`]): the time of the whole pull, hover p50/p99 while it runs, the same pull again
//!   with its result ids (all unchanged), peak RSS.
//!
//! Then, on the smallest vault: where the analysis spends its time, stage by stage, timed
//! by the pipeline's stage clock ([`stages`]), and the side-by-side with textlint + prh +
//! no-unmatched-pair ([`textlint`]): throughput and planted defects found by each.
//!
//! Every figure is printed with the load average when it was taken ([`measure`]). Options
//! ([`options`]) after `--`: `--sizes 1000,10000,50000`, `--requests 300`, `--edits 200`,
//! `--no-textlint`, `--textlint-notes N`, `--no-server`, `--no-check`, `--no-stages`,
//! `--out DIR`. The table is also written to `<out>/results.md`.

mod check;
#[path = "../../tests/it/support/client.rs"]
#[allow(dead_code, reason = "the tests' client: the tests use all of it, the bench a part")]
mod client;
mod corpus;
mod measure;
mod options;
mod pull;
mod scan;
mod server;
mod stages;
mod textlint;

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use corpus::{Corpus, Material};
use measure::{load_average, machine, mb};
use seed_lsp::kb::Kb;

const BINARY: &str = env!("CARGO_BIN_EXE_seed-lsp");

fn main() {
    let o = options::options();
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

    let check_rows: Vec<check::CheckRow> = if o.check {
        corpora.iter().map(|c| check::check_row(&o.out, c)).collect()
    } else {
        Vec::new()
    };

    let scan_rows: Vec<scan::ScanRow> = corpora.iter().map(|c| scan::bare_scan(c, &kb)).collect();

    let mut server_rows = Vec::new();
    if o.server {
        let long_notes: Vec<(String, String)> = [(100_000, "100 KB"), (1_000_000, "1 MB")]
            .into_iter()
            .map(|(bytes, label)| (label.to_string(), material.long_note(bytes)))
            .collect();
        for corpus in &corpora {
            server_rows.push(server::server(&o, corpus, &long_notes));
        }
    }
    let mut pull_rows = Vec::new();
    if o.server {
        for corpus in &corpora {
            let text = std::fs::read_to_string(corpus.path(0)).unwrap();
            let positions: Vec<_> = server::mention_positions(&text, &kb).into_iter().map(|p| p.0).collect();
            pull_rows.push(pull::workspace_pull(corpus, &positions));
        }
    }

    let stages = corpora.first().filter(|_| o.stages).map(|c| {
        let mut out = stages::vault_stages(c, &kb);
        out.push_str(&stages::edit_stages(&material.long_note(100_000), &kb));
        out
    });

    let comparison = match (o.textlint, corpora.first()) {
        (true, Some(smallest)) => {
            let corpus = match o.textlint_notes {
                Some(n) if n != smallest.notes => material.vault(&o.out, n),
                _ => material.vault(&o.out, smallest.notes),
            };
            textlint::side_by_side(&o, &corpus, &kb)
        }
        _ => None,
    };

    // The tables.
    report.push_str(&scan::scan_table(&scan_rows, &check_rows, &server_rows));
    if !check_rows.is_empty() {
        report.push_str(&check::check_table(&check_rows));
    }
    if !server_rows.is_empty() {
        report.push_str(&server::server_tables(&server_rows));
    }
    if !pull_rows.is_empty() {
        report.push_str(&pull::pull_table(&pull_rows));
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
