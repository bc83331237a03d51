//! A hostile vault against the server: a link into the kernel's files, events racing the
//! index, one file reached by several paths, a cancellation that names a request not yet
//! sent. Each ends with the right answer, and nothing waits on what it should not.

use serde_json::{json, Value};

use crate::support::client::{uri, Client};
use crate::support::{capabilities, references_until, status};

#[cfg(unix)]
#[test]
fn initialize_answers_and_indexing_ends_with_links_into_sys_and_proc() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    std::fs::write(root.join("good.txt"), "トカエフ大統領\n").unwrap();
    std::os::unix::fs::symlink("/sys", root.join("sys")).unwrap();
    std::os::unix::fs::symlink("/proc/self", root.join("proc")).unwrap();
    std::os::unix::fs::symlink("/dev", root.join("dev")).unwrap();
    let mut client = Client::spawn();
    let result = client.initialize(root, capabilities(&["utf-16"]), Value::Null);
    assert!(result["capabilities"].is_object(), "{result}");
    let status = client.wait_indexed();
    assert_eq!(status["indexedFiles"], 1, "{status}");
    assert!(client.shutdown().success());
}

#[test]
fn a_cancel_sent_before_its_request_cancels_nothing() {
    let ws = tempfile::tempdir().unwrap();
    let mut client = Client::spawn();
    client.initialize(ws.path(), capabilities(&["utf-16"]), Value::Null);
    let text = "トカエフ大統領\n";
    let note = client.open(&ws.path().join("a.txt"), text);
    let id = 7_000;
    client.notify("$/cancelRequest", json!({ "id": id }));
    client.send(&json!({
        "jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
        "params": { "textDocument": { "uri": note }, "position": { "line": 0, "character": 1 } },
    }));
    let response = client.response(id);
    assert!(response.get("error").is_none(), "{response}");
    assert!(response["result"]["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("トカエフ"));
    assert!(client.shutdown().success());
}

#[test]
fn notes_changed_on_disk_while_the_index_is_made_count_once_it_is_in_force() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path().to_path_buf();
    let count = 1500;
    for i in 0..count {
        // As long as a real note (so the index takes a while), with one mention of トカエフ in
        // every other note: references stay under their cap of mentions.
        let first = if i % 2 == 0 {
            "トカエフ大統領は述べた。\n"
        } else {
            "ロシアの発表。\n"
        };
        let body = format!("{first}{}", "ロシアの発表。\n".repeat(99));
        std::fs::write(root.join(format!("n{i:04}.txt")), body).unwrap();
    }
    let mut client = Client::spawn();
    client.initialize(&root, capabilities(&["utf-16"]), Value::Null);
    // Once the first index run has found its notes and begun reading them: 500 of them
    // deleted, 500 new ones written.
    client.wait_for("$/progress", |p| p["value"]["kind"] == "begin");
    let mut events = Vec::new();
    for i in 0..500 {
        let gone = root.join(format!("n{:04}.txt", i * 3));
        std::fs::remove_file(&gone).unwrap();
        events.push(json!({ "uri": uri(&gone), "type": 3 }));
        let new = root.join(format!("new-{i:04}.txt"));
        std::fs::write(&new, "トカエフ氏が訪れた。\n").unwrap();
        events.push(json!({ "uri": uri(&new), "type": 1 }));
    }
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": events }));
    let mut expected: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| std::fs::read_to_string(p).unwrap().contains("トカエフ"))
        .map(|p| uri(&p))
        .collect();
    let text = "トカエフ\n";
    let open = client.open(&root.join("zz-open.txt"), text);
    expected.push(open.clone());
    expected.sort();
    references_until(&mut client, &open, text, |files| files == expected.as_slice());
    assert_eq!(status(&mut client)["indexedFiles"], count - 500 + 500);
    assert!(client.shutdown().success());
}

#[cfg(unix)]
#[test]
fn a_note_reached_by_two_paths_is_one_note() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path().to_path_buf();
    std::fs::create_dir_all(root.join("notes")).unwrap();
    std::fs::write(root.join("notes/a.txt"), "トカエフXX大統領が語った。\n").unwrap();
    std::os::unix::fs::symlink(root.join("notes/a.txt"), root.join("alias.txt")).unwrap();
    std::os::unix::fs::symlink(root.join("notes"), root.join("linked")).unwrap();
    let mut client = Client::spawn();
    client.initialize(&root, capabilities(&["utf-16"]), Value::Null);
    let status = client.wait_indexed();
    assert_eq!(status["indexedFiles"], 1, "{status}");
    let text = "トカエフ\n";
    let open = client.open(&root.join("open.txt"), text);
    let files = references_until(&mut client, &open, text, |files| files.len() == 2);
    assert_eq!(files, vec![uri(&root.join("notes/a.txt")), open.clone()]);
    // Renaming the name edits the note once.
    let edit = client.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": open }, "position": { "line": 0, "character": 1 }, "newName": "トカエフ" }),
    );
    let changed: Vec<String> = match edit["documentChanges"].as_array() {
        Some(changes) => changes
            .iter()
            .map(|c| c["textDocument"]["uri"].as_str().unwrap().to_string())
            .collect(),
        None => edit["changes"].as_object().unwrap().keys().cloned().collect(),
    };
    let in_notes = changed.iter().filter(|u| u.ends_with("a.txt")).count();
    assert_eq!(in_notes, 1, "{changed:?}");
    assert!(client.shutdown().success());
}

#[cfg(unix)]
#[test]
fn a_fifo_for_a_configuration_file_blocks_nothing() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    std::fs::write(root.join("good.txt"), "トカエフ大統領\n").unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(root.join("seed-lsp.toml"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let mut client = Client::spawn();
    let result = client.initialize(root, capabilities(&["utf-16"]), Value::Null);
    assert!(result["capabilities"].is_object(), "{result}");
    let message = client.wait_for("window/showMessage", |p| {
        p["message"].as_str().is_some_and(|m| m.contains("seed-lsp.toml"))
    });
    assert!(
        message["message"].as_str().unwrap().contains("not a regular file"),
        "{message}"
    );
    assert_eq!(client.wait_indexed()["indexedFiles"], 1);
    assert!(client.shutdown().success());
}

/// A client that cannot answer `workspace/configuration` (no such capability) still gets the
/// prh dictionaries `seed-lsp.toml` names.
#[test]
fn prh_from_the_configuration_file_loads_for_a_client_without_workspace_configuration() {
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(ws.path().join("seed-lsp.toml"), "[prh]\npaths = [\"prh.yml\"]\n").unwrap();
    std::fs::write(
        ws.path().join("prh.yml"),
        "version: 1\nrules:\n  - expected: ウェブ\n    pattern: ウエブ\n",
    )
    .unwrap();
    let path = ws.path().join("note.txt");
    let text = "ウエブサイトで公開された。\n";
    std::fs::write(&path, text).unwrap();
    let mut client = Client::spawn();
    let bare = json!({ "general": { "positionEncodings": ["utf-16"] } });
    client.initialize(ws.path(), bare, Value::Null);
    client.wait_indexed();
    let note = client.open(&path, text);
    let diagnostics = crate::support::diagnostics_until(&mut client, &note, |d| d.iter().any(|d| d["code"] == "prh"));
    let prh = diagnostics.iter().find(|d| d["code"] == "prh").unwrap();
    assert!(prh["message"].as_str().unwrap().contains("ウェブ"), "{prh}");
    assert!(client.shutdown().success());
}
