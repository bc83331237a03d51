//! Workspace faults, over real JSON-RPC stdio to the built binary: what a messy workspace
//! holds — a KB file with a TOML error, notes that are not UTF-8, a 50 MB note, files deleted
//! and renamed while indexing, symlink loops, FIFOs and unreadable files — and the promise
//! that the server never writes a user file. Each is reported or skipped, and nothing else
//! is affected. The protocol's faults are in `faults_protocol`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::support::{
    capabilities, debug_text, diagnostics_until, hover_text, position_of, reference_files, references_until, seed_path,
    seed_workspace, status, uri, Client, KB_ZOLTANIA,
};

const ZOLTANIA_NOTE: &str = "大統領府のゾルタニヤ報道官は会見した。\n";

#[test]
fn a_kb_file_broken_on_disk_shows_its_error_and_the_last_good_kb_stays() {
    let ws = tempfile::tempdir().unwrap();
    let kb_path = ws.path().join("entities.toml");
    std::fs::write(&kb_path, KB_ZOLTANIA).unwrap();
    let mut client = Client::spawn();
    client.initialize(ws.path(), capabilities(&["utf-16"]), Value::Null);
    client.wait_indexed();
    let note = client.open(&ws.path().join("note.txt"), ZOLTANIA_NOTE);
    assert!(hover_text(&mut client, &note, ZOLTANIA_NOTE, "ゾルタニヤ").contains("Zoltania Test"));
    let kb_uri = uri(&kb_path);
    let changed = json!({ "changes": [{ "uri": kb_uri, "type": 2 }] });

    // A TOML error on line 5 (0-based 4): an unterminated string.
    std::fs::write(&kb_path, KB_ZOLTANIA.replace("kind = \"person\"", "kind = \"person")).unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed.clone());
    let errors = diagnostics_until(&mut client, &kb_uri, |d| !d.is_empty());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["range"]["start"]["line"], 4, "{errors:?}");
    assert_eq!(errors[0]["severity"], 1);
    assert!(!errors[0]["message"].as_str().unwrap().is_empty());
    // The last good KB is still in force.
    assert!(hover_text(&mut client, &note, ZOLTANIA_NOTE, "ゾルタニヤ").contains("Zoltania Test"));
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": note, "version": 2 }, "contentChanges": [{ "text": ZOLTANIA_NOTE }] }),
    );
    let codes: Vec<Value> = client.diagnostics(&note, 2).iter().map(|d| d["code"].clone()).collect();
    assert!(!codes.contains(&json!("unknown-entity")), "{codes:?}");

    // Not UTF-8 at all: an error at the top of the file, the last good KB still in force.
    std::fs::write(&kb_path, b"\x82\xa0\x82\xa2 = 1\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed.clone());
    let errors = diagnostics_until(&mut client, &kb_uri, |d| {
        d.iter().any(|e| e["message"].as_str().unwrap().contains("UTF-8"))
    });
    assert_eq!(errors[0]["range"]["start"]["line"], 0, "{errors:?}");
    assert!(hover_text(&mut client, &note, ZOLTANIA_NOTE, "ゾルタニヤ").contains("Zoltania Test"));

    // Fixed: the problems go away.
    std::fs::write(&kb_path, KB_ZOLTANIA).unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed);
    diagnostics_until(&mut client, &kb_uri, <[Value]>::is_empty);
    assert!(client.shutdown().success());
}

#[test]
fn notes_that_are_not_utf8_are_skipped_with_a_message() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    std::fs::write(root.join("good.txt"), "トカエフ大統領\n").unwrap();
    let mut bom = vec![0xef, 0xbb, 0xbf];
    bom.extend_from_slice("トカエフ氏\n".as_bytes());
    std::fs::write(root.join("bom.txt"), bom).unwrap();
    // Shift_JIS, UTF-16 with a byte-order mark, Latin-1, and a file cut inside a character.
    std::fs::write(root.join("sjis.txt"), [0x83, 0x67, 0x83, 0x4a, 0x83, 0x47, 0x83, 0x74]).unwrap();
    let utf16: Vec<u8> = [0xfeff_u16]
        .into_iter()
        .chain("トカエフ".encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(root.join("utf16.txt"), utf16).unwrap();
    std::fs::write(root.join("latin1.txt"), b"caf\xe9\n").unwrap();
    std::fs::write(root.join("cut.txt"), &"トカエフ".as_bytes()[..7]).unwrap();
    let mut raw = Client::spawn_raw();
    raw.initialize(root, json!({}), Value::Null);
    let log = raw.wait_stderr("indexed");
    for name in ["sjis.txt", "utf16.txt", "latin1.txt", "cut.txt"] {
        assert!(
            log.lines().any(|l| l.contains(name) && l.contains("not UTF-8")),
            "no message for {name}:\n{log}"
        );
    }
    let status = raw.request_raw("seedLsp/status", Value::Null);
    assert_eq!(status["result"]["indexedFiles"], 2, "{status}");
    // References see the two readable notes, the BOM one included.
    let text = "トカエフ\n";
    let open = raw.open(&root.join("open.txt"), text);
    let found = raw.request_raw(
        "textDocument/references",
        json!({ "textDocument": { "uri": open }, "position": { "line": 0, "character": 1 },
                "context": { "includeDeclaration": false } }),
    );
    let mut files: Vec<&str> = found["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap())
        .collect();
    files.sort();
    let mut expected = vec![uri(&root.join("bom.txt")), uri(&root.join("good.txt")), open.clone()];
    expected.sort();
    assert_eq!(files, expected);
}

#[test]
fn a_50_mb_note_is_refused_politely_and_nothing_else_is_affected() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    let seed = std::fs::read_to_string(seed_path(Path::new(env!("CARGO_MANIFEST_DIR")), "000")).unwrap();
    let big = seed.repeat(50 * 1024 * 1024 / seed.len() + 1);
    assert!(big.len() >= 50 * 1024 * 1024);
    std::fs::write(root.join("big.txt"), &big).unwrap();
    std::fs::write(root.join("small.txt"), "トカエフ大統領\n").unwrap();
    let mut client = Client::spawn();
    client.initialize(root, capabilities(&["utf-16"]), Value::Null);
    let status = client.wait_indexed();
    assert_eq!(
        status["indexedFiles"], 1,
        "the big note is left out of the index: {status}"
    );
    // Opened in the editor: the server keeps the text, says why it does not check it, and
    // keeps answering everything else.
    let big_uri = client.open(&root.join("big.txt"), &big);
    let small_text = "トカエフ大統領とキエフ\n";
    let small = client.open(&root.join("other.txt"), small_text);
    let started = Instant::now();
    let small_diagnostics = client.diagnostics(&small, 1);
    assert!(
        small_diagnostics.iter().any(|d| d["code"] == "deprecated-name"),
        "{small_diagnostics:?}"
    );
    assert!(hover_text(&mut client, &small, small_text, "トカエフ").contains("Tokayev"));
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "a big note delays others: {:?}",
        started.elapsed()
    );
    let big_diagnostics = client.diagnostics(&big_uri, 1);
    assert_eq!(big_diagnostics.len(), 1, "{:?}", &big_diagnostics);
    let message = big_diagnostics[0]["message"].as_str().unwrap();
    assert!(message.contains("too large") && message.contains("16 MB"), "{message}");
    // Edits to it still apply.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": big_uri, "version": 2 },
                "contentChanges": [{ "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } },
                                     "text": "追記\n" }] }),
    );
    let text = debug_text(&mut client, &big_uri)["text"].as_str().unwrap().to_string();
    assert_eq!(text.len(), big.len() + "追記\n".len());
    let tail: String = seed
        .chars()
        .rev()
        .take(20)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    assert!(text.starts_with("追記\n") && text.ends_with(&tail));
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": big_uri } }));
    assert_eq!(crate::support::status(&mut client)["openDocuments"], 1);
    assert!(client.shutdown().success());
}

#[test]
fn files_deleted_and_renamed_while_indexing() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path().to_path_buf();
    let count = 600;
    for i in 0..count {
        let body = if i % 2 == 0 {
            "トカエフ大統領は述べた。\n"
        } else {
            "ロシアの発表。\n"
        };
        std::fs::write(root.join(format!("n{i:04}.txt")), body.repeat(20)).unwrap();
    }
    let mut client = Client::spawn();
    client.initialize(&root, capabilities(&["utf-16"]), Value::Null);
    // While the server walks and reads: delete a third, rename a third.
    let mut events = Vec::new();
    for i in 0..count {
        let path = root.join(format!("n{i:04}.txt"));
        match i % 3 {
            0 => {
                std::fs::remove_file(&path).unwrap();
                events.push(json!({ "uri": uri(&path), "type": 3 }));
            }
            1 => {
                let to = root.join(format!("renamed-{i:04}.txt"));
                std::fs::rename(&path, &to).unwrap();
                events.push(json!({ "uri": uri(&path), "type": 3 }));
                events.push(json!({ "uri": uri(&to), "type": 1 }));
            }
            _ => {}
        }
    }
    client.wait_indexed();
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": events }));
    // The index converges on what is on disk: every note mentioning トカエフ, no other.
    let mut expected: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| std::fs::read_to_string(p).unwrap().contains("トカエフ"))
        .map(|p| uri(&p))
        .collect();
    let open_text = "トカエフ\n";
    let open = client.open(&root.join("zz-open.txt"), open_text);
    expected.push(open.clone());
    expected.sort();
    references_until(&mut client, &open, open_text, |files| files == expected.as_slice());
    assert!(client.shutdown().success());
}

#[cfg(unix)]
#[test]
fn symlink_loops_fifos_and_unreadable_files_affect_nothing_else() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    std::fs::write(root.join("good.txt"), "トカエフ大統領\n").unwrap();
    std::fs::create_dir_all(root.join("sub/deeper")).unwrap();
    std::fs::write(root.join("sub/deeper/also.txt"), "トカエフ氏\n").unwrap();
    symlink(root, root.join("sub/deeper/to-root")).unwrap();
    symlink(root.join("sub"), root.join("sub/deeper/to-sub")).unwrap();
    symlink(root.join("self.txt"), root.join("self.txt")).unwrap();
    symlink(root.join("a-loop.txt"), root.join("b-loop.txt")).unwrap();
    symlink(root.join("b-loop.txt"), root.join("a-loop.txt")).unwrap();
    symlink(root.join("missing.txt"), root.join("dangling.txt")).unwrap();
    std::fs::create_dir(root.join("folder.txt")).unwrap();
    let fifo = root.join("pipe.txt");
    let kb_fifo = root.join("sub/entities.toml");
    for path in [&fifo, &kb_fifo] {
        let made = Command::new("mkfifo").arg(path).status().expect("mkfifo runs");
        assert!(made.success());
    }
    let locked = root.join("locked.txt");
    std::fs::write(&locked, "トカエフ\n").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads anything: then the locked file is simply readable.
    let locked_readable = std::fs::read(&locked).is_ok();

    let mut client = Client::spawn();
    client.initialize(root, capabilities(&["utf-16"]), Value::Null);
    let status = client.wait_indexed();
    assert_eq!(status["indexedFiles"], 2 + usize::from(locked_readable), "{status}");
    // Change events for every odd file (the FIFOs included: reading one would block).
    let odd = [
        "self.txt",
        "a-loop.txt",
        "dangling.txt",
        "folder.txt",
        "pipe.txt",
        "locked.txt",
        "sub/entities.toml",
    ];
    let events: Vec<Value> = odd
        .iter()
        .map(|n| json!({ "uri": uri(&root.join(n)), "type": 2 }))
        .collect();
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": events }));
    // Opening odd files as documents works too (the editor sends the text).
    let text = "トカエフ\n";
    let open = client.open(&root.join("pipe.txt"), text);
    let started = Instant::now();
    assert!(hover_text(&mut client, &open, text, "トカエフ").contains("Tokayev"));
    let files = reference_files(&mut client, &open, json!({ "line": 0, "character": 1 }));
    assert!(files.contains(&uri(&root.join("good.txt"))), "{files:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "odd files slowed the server: {:?}",
        started.elapsed()
    );
    assert_eq!(crate::support::status(&mut client)["openDocuments"], 1);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(client.shutdown().success());
}

/// Every file under `root` with its contents (symlinks not followed).
fn snapshot_tree(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                let bytes = std::fs::read(&path).unwrap();
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

/// Renames, quick fixes and "add to the KB" (which creates `entities.toml`) all come back
/// as workspace edits for the client to apply; the server itself never writes in the
/// workspace, nor when files are saved, closed or changed on disk.
#[test]
fn the_server_never_writes_a_user_file() {
    let ws = seed_workspace();
    let root = ws.path();
    let before = snapshot_tree(root);
    let mut client = Client::spawn();
    client.initialize(root, capabilities(&["utf-16"]), Value::Null);
    client.wait_indexed();
    let path = seed_path(root, "000");
    let text = std::fs::read_to_string(&path).unwrap();
    let note = client.open(&path, &text);
    let diagnostics = client.diagnostics(&note, 1);
    assert!(!diagnostics.is_empty());
    let mut edits_seen = 0;
    for d in &diagnostics {
        let actions = client.request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": note }, "range": d["range"], "context": { "diagnostics": [d] } }),
        );
        for action in actions.as_array().unwrap() {
            assert!(action.get("edit").is_some(), "an action without an edit: {action}");
            edits_seen += 1;
        }
    }
    let rename = client.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": note }, "position": position_of(&text, "トカエフ", 0, 1, "utf-16"),
                "newName": "トカーエフ" }),
    );
    assert!(
        rename.get("documentChanges").is_some() || rename.get("changes").is_some(),
        "{rename}"
    );
    assert!(edits_seen > 0, "the seed note offers quick fixes");
    client.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": note }, "text": text }),
    );
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": note, "type": 2 }, { "uri": uri(&root.join("entities.toml")), "type": 1 }] }),
    );
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": note } }));
    status(&mut client);
    assert!(client.shutdown().success());
    assert_eq!(snapshot_tree(root), before, "the workspace changed");
}
