//! The workspace side of the server over real JSON-RPC: KB edits that change hover and
//! diagnostics live, KB errors shown on the KB file, files changed on disk, configuration
//! from its three places, indexing progress and files that cannot be read.

use crate::support::{
    capabilities, diagnostics_until, hover, references_until, seed_workspace, uri, Client, KB_ZOLTANIA,
};
use serde_json::{json, Value};

const NOTE: &str = "大統領府のゾルタニヤ報道官は首都キエフで回答した。\n";
const KB_EMPTY: &str = "# workspace KB\n";

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics.iter().map(|d| d["code"].as_str().unwrap_or("")).collect()
}

fn change(client: &mut Client, uri: &str, version: i64, text: &str) {
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
    );
}

#[test]
fn a_kb_edit_changes_hover_and_diagnostics_live() {
    let workspace = tempfile::tempdir().unwrap();
    let kb_path = workspace.path().join("entities.toml");
    std::fs::write(&kb_path, KB_EMPTY).unwrap();
    let note_path = workspace.path().join("note.txt");
    std::fs::write(&note_path, NOTE).unwrap();
    let mut client = Client::spawn();
    client.initialize(workspace.path(), capabilities(&["utf-16"]), Value::Null);
    client.wait_indexed();
    let note = client.open(&note_path, NOTE);
    let first = client.diagnostics(&note, 1);
    assert!(codes(&first).contains(&"unknown-entity"), "{first:?}");
    assert_eq!(hover(&mut client, &note, NOTE, "ゾルタニヤ"), Value::Null);

    // Define the name in the open KB file: the note is re-checked without being edited.
    let kb = client.open(&kb_path, KB_EMPTY);
    change(&mut client, &kb, 2, KB_ZOLTANIA);
    diagnostics_until(&mut client, &note, |d| !codes(d).contains(&"unknown-entity"));
    let card = hover(&mut client, &note, NOTE, "ゾルタニヤ");
    assert!(
        card["contents"]["value"].as_str().unwrap().contains("Zoltania Test"),
        "{card}"
    );

    // A TOML error shows on the KB file at its line; the last good KB stays in force.
    let broken = KB_ZOLTANIA.replace("name = \"ゾルタニヤ\"", "name = \"ゾルタニヤ");
    change(&mut client, &kb, 3, &broken);
    let errors = client.diagnostics(&kb, 3);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["range"]["start"]["line"], 3, "{errors:?}");
    assert_eq!(errors[0]["severity"], 1);
    let card = hover(&mut client, &note, NOTE, "ゾルタニヤ");
    assert!(
        card["contents"]["value"].as_str().unwrap().contains("Zoltania Test"),
        "{card}"
    );

    // Fixed: the KB file's diagnostics are cleared.
    change(&mut client, &kb, 4, KB_ZOLTANIA);
    assert!(client.diagnostics(&kb, 4).is_empty());
    assert!(client.shutdown().success());
}

#[test]
fn files_changed_on_disk_update_the_index_and_the_kb() {
    let workspace = tempfile::tempdir().unwrap();
    let root = workspace.path();
    std::fs::write(root.join("a.txt"), "トカエフ大統領\n").unwrap();
    let mut client = Client::spawn();
    client.initialize(root, capabilities(&["utf-16"]), Value::Null);
    client.wait_indexed();
    let registration = client
        .server_requests
        .iter()
        .find(|r| r["method"] == "client/registerCapability")
        .cloned();
    let watchers =
        &registration.expect("watchers registered")["params"]["registrations"][0]["registerOptions"]["watchers"];
    let globs: Vec<&str> = watchers
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    assert_eq!(
        globs,
        vec![
            "**/*.txt",
            "**/entities.toml",
            "**/seed-lsp.toml",
            "**/*.yml",
            "**/*.yaml"
        ]
    );

    let b_text = "トカエフ氏\n";
    let b = client.open(&root.join("b.txt"), b_text);
    let (a, c) = (uri(&root.join("a.txt")), uri(&root.join("c.txt")));
    references_until(&mut client, &b, b_text, |f| f.contains(&a) && f.contains(&b));

    std::fs::write(root.join("c.txt"), "会談したトカエフ\n").unwrap();
    std::fs::remove_file(root.join("a.txt")).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": c, "type": 1 }, { "uri": a, "type": 3 }] }),
    );
    references_until(&mut client, &b, b_text, |f| f.contains(&c) && !f.contains(&a));

    // A KB file appearing on disk.
    let note = client.open(&root.join("note.txt"), NOTE);
    let first = client.diagnostics(&note, 1);
    assert!(codes(&first).contains(&"unknown-entity"));
    std::fs::write(root.join("entities.toml"), KB_ZOLTANIA).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&root.join("entities.toml")), "type": 1 }] }),
    );
    diagnostics_until(&mut client, &note, |d| !codes(d).contains(&"unknown-entity"));
    assert!(client.shutdown().success());
}

#[test]
fn configuration_from_the_file_the_initialize_options_and_the_editor() {
    let workspace = tempfile::tempdir().unwrap();
    let root = workspace.path();
    std::fs::write(root.join("seed-lsp.toml"), "[rules]\nunknown-entity = \"off\"\n").unwrap();
    let mut client = Client::spawn();
    client.initialize(root, capabilities(&["utf-16"]), json!({ "locale": "ja" }));
    let note = client.open(&root.join("note.txt"), NOTE);
    let first = diagnostics_until(&mut client, &note, |d| !d.is_empty());
    assert_eq!(
        codes(&first),
        vec!["deprecated-name"],
        "seed-lsp.toml turned unknown-entity off"
    );
    assert!(
        first[0]["message"].as_str().unwrap().contains("「"),
        "initializationOptions chose Japanese: {first:?}"
    );

    // Editor settings win: pulled with workspace/configuration after didChangeConfiguration.
    client.settings = json!({ "rules": { "unknown-entity": "error", "deprecated-name": "off" } });
    client.notify("workspace/didChangeConfiguration", json!({ "settings": null }));
    let again = diagnostics_until(&mut client, &note, |d| codes(d) == vec!["unknown-entity"]);
    assert_eq!(again[0]["severity"], 1);
    assert!(client
        .server_requests
        .iter()
        .any(|r| r["method"] == "workspace/configuration" && r["params"]["items"][0]["section"] == "seedLsp"));
    assert!(client.shutdown().success());
}

#[test]
fn indexing_reports_progress() {
    let workspace = seed_workspace();
    let mut client = Client::spawn();
    client.initialize(workspace.path(), capabilities(&["utf-16"]), Value::Null);
    let begin = client.wait_for("$/progress", |p| p["value"]["kind"] == "begin");
    assert_eq!(begin["value"]["title"], "Indexing seeds");
    let end = client.wait_for("$/progress", |p| {
        p["value"]["kind"] == "end" && p["token"] == begin["token"]
    });
    assert_eq!(end["value"]["message"], "5 notes");
    let created = client
        .server_requests
        .iter()
        .find(|r| r["method"] == "window/workDoneProgress/create");
    assert_eq!(created.expect("token created")["params"]["token"], begin["token"]);
    assert_eq!(client.wait_indexed()["indexedFiles"], 5);
}

#[test]
fn unreadable_files_do_not_stop_indexing() {
    let workspace = tempfile::tempdir().unwrap();
    let root = workspace.path();
    std::fs::write(root.join("good.txt"), "トカエフ大統領\n").unwrap();
    std::fs::write(
        root.join("shift_jis.txt"),
        [0x83, 0x67, 0x83, 0x4a, 0x83, 0x47, 0x83, 0x74],
    )
    .unwrap();
    std::fs::write(root.join("entities.toml"), "[[entity]\nid = 1\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root, root.join("loop")).unwrap();
    let mut client = Client::spawn();
    client.initialize(root, capabilities(&["utf-16"]), Value::Null);
    let status = client.wait_indexed();
    assert_eq!(status["indexedFiles"], 1, "{status}");
    // The broken KB file shows its error; the built-in KB still works.
    let kb_errors = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"].as_str().unwrap().ends_with("/entities.toml")
    });
    assert_eq!(kb_errors["diagnostics"][0]["range"]["start"]["line"], 0, "{kb_errors}");
    let text = "トカエフ大統領\n";
    let good = client.open(&root.join("good.txt"), text);
    assert!(hover(&mut client, &good, text, "トカエフ")["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("Tokayev"));
    assert!(client.shutdown().success());
}

#[test]
fn workspace_folders_added_later_are_indexed() {
    let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    std::fs::write(first.path().join("a.txt"), "トカエフ大統領\n").unwrap();
    std::fs::write(second.path().join("b.txt"), "トカエフ氏\n").unwrap();
    let mut client = Client::spawn();
    let result = client.initialize(first.path(), capabilities(&["utf-16"]), Value::Null);
    assert_eq!(
        result["capabilities"]["workspace"]["workspaceFolders"]["changeNotifications"],
        true
    );
    client.wait_indexed();
    let text = "トカエフ\n";
    let note = client.open(&first.path().join("note.txt"), text);
    let b = uri(&second.path().join("b.txt"));
    references_until(&mut client, &note, text, |f| {
        f.contains(&uri(&first.path().join("a.txt"))) && !f.contains(&b)
    });
    client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({ "event": { "added": [{ "uri": uri(second.path()), "name": "second" }], "removed": [] } }),
    );
    references_until(&mut client, &note, text, |f| f.contains(&b));
    assert!(client.shutdown().success());
}

#[test]
fn prh_dictionaries_from_the_settings_check_notes_and_report_their_own_problems() {
    let workspace = tempfile::tempdir().unwrap();
    std::fs::write(
        workspace.path().join("prh.yml"),
        "version: 1\nrules:\n  - expected: ウェブ\n    pattern: ウエブ\n    specs:\n      - from: ウエブサイト\n        to: ウェブサイトX\n",
    )
    .unwrap();
    let note_path = workspace.path().join("note.txt");
    let note = "ウエブサイトで公開された。\n";
    std::fs::write(&note_path, note).unwrap();
    let mut client = Client::spawn();
    // The settings wrapped in their section, as Neovim and Helix users write them.
    let options = json!({ "seedLsp": { "prh": { "paths": ["prh.yml"] } } });
    client.initialize(workspace.path(), capabilities(&["utf-16"]), options);
    client.wait_indexed();
    let note_uri = client.open(&note_path, note);
    let diagnostics = diagnostics_until(&mut client, &note_uri, |d| codes(d).contains(&"prh"));
    let prh = diagnostics.iter().find(|d| d["code"] == "prh").unwrap();
    assert!(prh["message"].as_str().unwrap().contains("ウェブ"), "{prh}");
    // The failing spec is shown on the dictionary, at the spec's line.
    let dictionary = uri(&workspace.path().join("prh.yml"));
    let problems = diagnostics_until(&mut client, &dictionary, |d| !d.is_empty());
    assert!(
        problems
            .iter()
            .any(|d| d["range"]["start"]["line"].as_u64().unwrap() >= 5),
        "{problems:?}"
    );
    client.shutdown();
}

#[test]
fn a_passage_pasted_into_two_notes_is_found_and_follows_edits() {
    const PASSAGE: &str = "ロシアはカザフスタンに10万トンのガソリン供給の準備を依頼したもようだ。";
    let workspace = tempfile::tempdir().unwrap();
    let root = workspace.path();
    std::fs::write(root.join("b.txt"), format!("見出し\n\n{PASSAGE}\n")).unwrap();
    let mut client = Client::spawn();
    client.initialize(root, capabilities(&["utf-16"]), Value::Null);
    client.wait_indexed();
    let a_text = format!("{PASSAGE}\n");
    let a = client.open(&root.join("a.txt"), &a_text);
    let b = uri(&root.join("b.txt"));
    let found = diagnostics_until(&mut client, &a, |d| codes(d).contains(&"duplicate-passage"));
    let related = &found.iter().find(|d| d["code"] == "duplicate-passage").unwrap()["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], json!(b), "{related}");
    assert_eq!(
        related["location"]["range"]["start"],
        json!({ "line": 2, "character": 0 })
    );

    // The other note opened and edited: its fingerprints replace the disk's.
    let b = client.open(&root.join("b.txt"), &format!("見出し\n\n{PASSAGE}\n"));
    change(&mut client, &b, 2, "見出しだけになった。\n");
    diagnostics_until(&mut client, &a, |d| !codes(d).contains(&"duplicate-passage"));
    change(&mut client, &b, 3, &format!("前置き\n{PASSAGE}\n"));
    let back = diagnostics_until(&mut client, &a, |d| codes(d).contains(&"duplicate-passage"));
    let related = &back.iter().find(|d| d["code"] == "duplicate-passage").unwrap()["relatedInformation"][0];
    assert_eq!(
        related["location"]["range"]["start"],
        json!({ "line": 1, "character": 0 })
    );
    assert!(client.shutdown().success());
}
