//! A warm start over real JSON-RPC: the server indexes a vault and keeps its index cache in
//! the folder named by `SEED_LSP_CACHE_DIR`; started again, it reads only the notes that
//! changed (its last indexing `$/progress` report says how many) and answers as a cold start
//! does; a damaged cache is discarded with a log line and rebuilt.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::{capabilities, hover_text, position_of, reference_files, seed_workspace, Client, TIMEOUT};
use serde_json::Value;

const A: &str = "トカエフ大統領は述べた。\n";
const B: &str = "トカエフ大統領とゼレンスキー大統領が会談した。\n";
/// A near miss only `B` confirms.
const C: &str = "昨日、ゼレンスキが語ったところでは、支援は続く。\n";

/// What a run of the server answered about the vault.
#[derive(Debug, PartialEq)]
struct Answers {
    /// The indexing's last report: "N notes unchanged, M read".
    reread: String,
    hover: String,
    references: Vec<String>,
    /// Codes and messages of the open note `C`'s diagnostics.
    diagnostics: Vec<(String, String)>,
}

/// The cache files in `cache`.
fn cache_files(cache: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(cache) else {
        return Vec::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "idx"))
        .collect()
}

/// Start the server on `root` with the cache in `cache` (waiting for a log line containing
/// `expect_log`, if given), ask it, wait for its new cache file unless it read nothing, and
/// shut it down.
fn run(root: &Path, cache: &Path, expect_log: Option<&str>) -> Answers {
    let before: Vec<Vec<u8>> = cache_files(cache).iter().map(|f| std::fs::read(f).unwrap()).collect();
    let mut client = Client::builder()
        .env("SEED_LSP_CACHE_DIR", cache.to_str().unwrap())
        .log("seed_lsp=info")
        .spawn();
    client.initialize(root, capabilities(&["utf-16"]), Value::Null);
    let report = client.wait_for("$/progress", |p| {
        p["value"]["message"].as_str().is_some_and(|m| m.contains("unchanged"))
    });
    client.wait_indexed();
    if let Some(needle) = expect_log {
        client.wait_for("window/logMessage", |p| {
            p["message"].as_str().is_some_and(|m| m.contains(needle))
        });
    }
    let a = client.open(&root.join("a.txt"), A);
    let c = client.open(&root.join("c.txt"), C);
    let diagnostics = client.diagnostics(&c, 1);
    let answers = Answers {
        reread: report["value"]["message"].as_str().unwrap().to_string(),
        hover: hover_text(&mut client, &a, A, "トカエフ"),
        references: reference_files(&mut client, &a, position_of(A, "トカエフ", 0, 1, "utf-16")),
        diagnostics: diagnostics
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or("").into(),
                    d["message"].as_str().unwrap_or("").into(),
                )
            })
            .collect(),
    };
    // The cache is written after the index is in force: wait for a new file.
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let now: Vec<Vec<u8>> = cache_files(cache).iter().map(|f| std::fs::read(f).unwrap()).collect();
        if now.len() == 1 && now != before || answers.reread.ends_with(" 0 read") {
            break;
        }
        assert!(Instant::now() < deadline, "the cache was not written");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(client.shutdown().success());
    answers
}

#[test]
fn a_second_start_reads_only_what_changed_and_answers_the_same() {
    let workspace = seed_workspace();
    let root = workspace.path();
    for (name, text) in [("a.txt", A), ("b.txt", B), ("c.txt", C)] {
        std::fs::write(root.join(name), text).unwrap();
    }
    let cache = tempfile::tempdir().unwrap();
    let notes = 8; // the five bundled notes and three

    let cold = run(root, cache.path(), None);
    assert_eq!(cold.reread, format!("0 notes unchanged, {notes} read"));
    assert!(!cold.hover.is_empty(), "{cold:?}");
    assert!(cold.references.len() >= 2, "{cold:?}");
    assert!(
        cold.diagnostics.iter().any(|(code, _)| code == "misspelled-entity"),
        "the near miss is confirmed by b.txt: {cold:?}"
    );
    assert_eq!(cache_files(cache.path()).len(), 1);

    // Nothing changed: the cache file is not written again.
    let written = std::fs::metadata(&cache_files(cache.path())[0])
        .unwrap()
        .modified()
        .unwrap();
    let warm = run(root, cache.path(), Some("index cache up to date: not written again"));
    assert_eq!(warm.reread, format!("{notes} notes unchanged, 0 read"));
    let file = &cache_files(cache.path())[0];
    assert_eq!(std::fs::metadata(file).unwrap().modified().unwrap(), written);
    assert_eq!(
        Answers {
            reread: cold.reread.clone(),
            ..warm
        },
        cold
    );

    // One note changed: it alone is read.
    std::fs::write(root.join("b.txt"), format!("{B}トカエフ大統領は帰国した。\n")).unwrap();
    let changed = run(root, cache.path(), None);
    assert_eq!(changed.reread, format!("{} notes unchanged, 1 read", notes - 1));
    assert_eq!(changed.diagnostics, cold.diagnostics);

    // A damaged cache: discarded with a log line, every note read, the same answers.
    let file = &cache_files(cache.path())[0];
    let bytes = std::fs::read(file).unwrap();
    std::fs::write(file, &bytes[..bytes.len() / 2]).unwrap();
    let rebuilt = run(root, cache.path(), Some("discarded (truncated)"));
    assert_eq!(rebuilt.reread, format!("0 notes unchanged, {notes} read"));
    assert_eq!(
        Answers {
            reread: changed.reread.clone(),
            ..rebuilt
        },
        changed
    );
    // And rebuilt: the next start reads nothing.
    let again = run(root, cache.path(), None);
    assert_eq!(again.reread, format!("{notes} notes unchanged, 0 read"));
}

/// `SEED_LSP_CACHE=off`: nothing is written, every start reads every note.
#[test]
fn the_cache_can_be_turned_off() {
    let workspace = tempfile::tempdir().unwrap();
    std::fs::write(workspace.path().join("a.txt"), A).unwrap();
    let cache = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let mut client = Client::builder()
            .env("SEED_LSP_CACHE_DIR", cache.path().to_str().unwrap())
            .env("SEED_LSP_CACHE", "off")
            .spawn();
        client.initialize(workspace.path(), capabilities(&["utf-16"]), Value::Null);
        let report = client.wait_for("$/progress", |p| {
            p["value"]["message"].as_str().is_some_and(|m| m.contains("unchanged"))
        });
        assert_eq!(report["value"]["message"], "0 notes unchanged, 1 read");
        client.wait_indexed();
        assert!(client.shutdown().success());
    }
    assert!(cache_files(cache.path()).is_empty());
}
