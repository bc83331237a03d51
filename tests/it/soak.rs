//! Soak: many random incremental edits through the protocol, then the server's text must
//! equal the client's (`seedLsp/debugText`), and its diagnostics must equal those of the
//! same text opened fresh.
//!
//! The client keeps its own model of the note, independent of the server's rope and line
//! index, with lines as LSP 3.17 defines them (`\n`, `\r\n` and a lone `\r` each end one):
//! positions are computed per line in the negotiated encoding, never between a CRLF's `\r`
//! and `\n`. Edits insert, delete and replace (names, 𠮷, CRLF,
//! lone CR, fences, brackets), span lines, arrive several to a notification, and now and
//! then replace the whole text; the note's size stays bounded.
//!
//! `cargo test` runs 10,000 edits in each of the three encodings' share (a few seconds);
//! `SEED_LSP_SOAK_EDITS=100000` runs the long soak (`.ci/soak.sh` does), and
//! `SEED_LSP_SOAK_SEED` replays a run (the seed is printed when it fails).

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::{capabilities, seed_path, Client, TIMEOUT};
use serde_json::{json, Value};

const DEFAULT_EDITS: usize = 10_000;

const INSERTS: &[&str] = &[
    "トカエフ",
    "大統領",
    "キエフ",
    "ゼレンスキー",
    "𠮷",
    "😀",
    "\n",
    "\r\n",
    "\r",
    "、",
    "。",
    "「",
    "」",
    "（ロイター）",
    "****見出し****\n",
    "******\n",
    "ｶｻﾞﾌ",
    "ヴォ",
    "a",
    "NATO",
    " ",
    "",
];

/// A small deterministic generator (xorshift64*), so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

#[derive(Clone, Copy)]
enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
            Encoding::Utf32 => "utf-32",
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// The client's copy of the note: its chars, with lines found by LSP 3.17's definition (a line
/// ends at `\n`, `\r\n` or `\r`), written here independently of the server's rope and line
/// index.
struct Model {
    text: Vec<char>,
}

/// A place in the model: line and char index.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Place {
    line: usize,
    ch: usize,
}

impl Model {
    fn new(text: &str) -> Model {
        Model {
            text: text.chars().collect(),
        }
    }

    fn text(&self) -> String {
        self.text.iter().collect()
    }

    fn len(&self) -> usize {
        self.text.len()
    }

    /// Each line's first char and the end of its content (before its terminator).
    fn lines(&self) -> Vec<(usize, usize)> {
        let mut lines = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while i < self.text.len() {
            match self.text[i] {
                '\r' if self.text.get(i + 1) == Some(&'\n') => {
                    lines.push((start, i));
                    i += 1;
                    start = i + 1;
                }
                '\r' | '\n' => {
                    lines.push((start, i));
                    start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        lines.push((start, self.text.len()));
        lines
    }

    /// The last char index a position may name on `line`: the end of its content.
    fn max_ch(&self, line: usize) -> usize {
        let (start, end) = self.lines()[line];
        end - start
    }

    fn random_place(&self, rng: &mut Rng) -> Place {
        let line = rng.below(self.lines().len());
        Place {
            line,
            ch: rng.below(self.max_ch(line) + 1),
        }
    }

    /// A place at most a few lines after `from`.
    fn place_after(&self, from: Place, rng: &mut Rng) -> Place {
        let line = (from.line + [0, 0, 0, 1, 2][rng.below(5)]).min(self.lines().len() - 1);
        let max = self.max_ch(line);
        let ch = if line == from.line {
            (from.ch + rng.below(6)).min(max)
        } else {
            rng.below(max + 1)
        };
        Place { line, ch }
    }

    fn index(&self, p: Place) -> usize {
        self.lines()[p.line].0 + p.ch
    }

    fn position(&self, p: Place, enc: Encoding) -> Value {
        let start = self.lines()[p.line].0;
        let col: usize = self.text[start..start + p.ch].iter().map(|&c| enc.width(c)).sum();
        json!({ "line": p.line, "character": col })
    }

    fn replace(&mut self, start: Place, end: Place, text: &str) {
        let (a, b) = (self.index(start), self.index(end));
        self.text.splice(a..b, text.chars());
    }
}

fn edits_to_run() -> usize {
    std::env::var("SEED_LSP_SOAK_EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_EDITS)
}

fn seed() -> u64 {
    std::env::var("SEED_LSP_SOAK_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0x5eed_50a4_2024_0001)
}

/// The diagnostics of `uri` once they have settled at `version`: the last publication,
/// after a quiet spell with none (requests drain the stream, so nothing sent before the
/// answer is missed).
fn settled_diagnostics(client: &mut Client, uri: &str, version: i64) -> Vec<Value> {
    let deadline = Instant::now() + TIMEOUT;
    let mut last: Option<Value> = None;
    loop {
        std::thread::sleep(Duration::from_millis(400));
        client.request("seedLsp/status", Value::Null);
        let mut fresh = false;
        let mut kept = Vec::new();
        for n in std::mem::take(&mut client.notifications) {
            if n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri {
                last = Some(n["params"].clone());
                fresh = true;
            } else {
                kept.push(n);
            }
        }
        client.notifications = kept;
        if let Some(params) = last.as_ref().filter(|p| !fresh && p["version"] == version) {
            return params["diagnostics"].as_array().cloned().unwrap_or_default();
        }
        assert!(
            Instant::now() < deadline,
            "diagnostics never settled at version {version}: {last:?}"
        );
    }
}

fn soak(enc: Encoding, edits: usize, seed: u64) {
    let workspace = tempfile::tempdir().unwrap();
    let mut client = Client::spawn();
    let result = client.initialize(workspace.path(), capabilities(&[enc.name()]), Value::Null);
    assert_eq!(result["capabilities"]["positionEncoding"], enc.name());
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR"));
    let initial = std::fs::read_to_string(seed_path(seeds, "002")).unwrap();
    let mut model = Model::new(&initial);
    let uri = client.open(&workspace.path().join("soak.txt"), &initial);
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut version = 1;
    let mut done = 0;
    while done < edits {
        version += 1;
        let mut changes = Vec::new();
        let count = if rng.one_in(8) { 2 + rng.below(3) } else { 1 };
        for _ in 0..count {
            done += 1;
            if rng.one_in(4000) {
                // The whole text replaced: a short note, or the original back.
                let text = if rng.one_in(2) {
                    "トカエフ\r\n𠮷\n".to_string()
                } else {
                    initial.clone()
                };
                model = Model::new(&text);
                changes.push(json!({ "text": text }));
                continue;
            }
            let start = model.random_place(&mut rng);
            // Keep the note near its original size: delete more when it has grown.
            let grown = model.len() > initial.chars().count() * 2;
            let end = if grown || rng.one_in(2) {
                model.place_after(start, &mut rng)
            } else {
                start
            };
            let text = if grown && rng.one_in(2) {
                ""
            } else {
                INSERTS[rng.below(INSERTS.len())]
            };
            changes.push(
                json!({ "range": { "start": model.position(start, enc), "end": model.position(end, enc) },
                                 "text": text }),
            );
            model.replace(start, end, text);
        }
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        );
        if version % 2000 == 0 {
            let server = client.request("seedLsp/debugText", json!({ "textDocument": { "uri": uri } }));
            assert_eq!(
                server["text"].as_str().unwrap(),
                model.text(),
                "{} seed {seed}: texts differ after {done} edits",
                enc.name()
            );
        }
    }
    let server = client.request("seedLsp/debugText", json!({ "textDocument": { "uri": uri } }));
    let final_text = model.text();
    assert_eq!(server["version"], version, "{} seed {seed}", enc.name());
    assert_eq!(
        server["text"].as_str().unwrap(),
        final_text,
        "{} seed {seed}: texts differ at the end",
        enc.name()
    );
    eprintln!(
        "soak {}: {done} edits in {version} notifications, {:?}",
        enc.name(),
        started.elapsed()
    );
    // The diagnostics of the edited note are those of the same text opened fresh.
    let edited = settled_diagnostics(&mut client, &uri, version as i64);
    // Closed (it was never saved, so it leaves the workspace) before its text is opened again:
    // the fresh note is alone, not a passage pasted from the edited one (duplicate-passage).
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    let fresh_uri = client.open(&workspace.path().join("fresh.txt"), &final_text);
    let fresh = settled_diagnostics(&mut client, &fresh_uri, 1);
    let shape = |ds: &[Value]| -> Vec<String> {
        ds.iter()
            .map(|d| format!("{} {} {} {}", d["code"], d["range"], d["severity"], d["message"]))
            .collect()
    };
    assert!(!edited.is_empty(), "a note this long has diagnostics to compare");
    assert_eq!(shape(&edited), shape(&fresh), "{} seed {seed}", enc.name());
    eprintln!("soak {}: {} diagnostics as on a fresh open", enc.name(), edited.len());
    assert!(client.shutdown().success());
}

#[test]
fn random_incremental_edits_leave_the_server_with_the_clients_text() {
    let edits = edits_to_run();
    let seed = seed();
    // Most edits in UTF-16 (what VS Code speaks), a share in the two others.
    soak(Encoding::Utf16, edits * 3 / 5, seed);
    soak(Encoding::Utf8, edits / 5, seed ^ 1);
    soak(Encoding::Utf32, edits / 5, seed ^ 2);
}
