//! Every note's diagnostics over real JSON-RPC: LSP 3.17 pull diagnostics for an open note
//! (result ids, then "unchanged") and for the whole vault (closed notes' findings,
//! `previousResultIds`, partial results and progress, `workspace/diagnostic/refresh` after
//! a KB change), closed notes pushed to a client that cannot pull, and
//! `diagnostics.scope = "open"`.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::{capabilities, uri, Client, KB_ZOLTANIA};
use serde_json::{json, Value};

/// A finding: an unknown name (and the old spelling of a capital).
const NOTE: &str = "大統領府のゾルタニヤ報道官は首都キエフで回答した。\n";
/// Another finding: an unmatched bracket.
const BRACKET: &str = "「閉じていない括弧。\n";

/// [`capabilities`] of a client that pulls diagnostics and can be asked to pull again.
fn pulling() -> Value {
    let mut caps = capabilities(&["utf-16"]);
    caps["textDocument"]["diagnostic"] = json!({ "dynamicRegistration": false, "relatedDocumentSupport": false });
    caps["workspace"]["diagnostics"] = json!({ "refreshSupport": true });
    caps
}

fn codes(diagnostics: &Value) -> Vec<String> {
    let mut codes: Vec<String> = diagnostics
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect();
    codes.sort();
    codes
}

/// A vault: `a.txt` (an unknown name), `b.txt` (a bracket), `c.txt` clean-ish.
fn vault() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), NOTE).unwrap();
    std::fs::write(dir.path().join("b.txt"), BRACKET).unwrap();
    std::fs::write(dir.path().join("c.txt"), "本文。\n").unwrap();
    dir
}

fn started(root: &Path, caps: Value, options: Value) -> Client {
    let mut client = Client::spawn();
    client.initialize(root, caps, options);
    client.wait_indexed();
    client
}

fn workspace_pull(client: &mut Client, previous: Value) -> Vec<Value> {
    let result = client.request(
        "workspace/diagnostic",
        json!({ "identifier": "seed-lsp", "previousResultIds": previous }),
    );
    result["items"].as_array().cloned().unwrap_or_default()
}

fn item<'a>(items: &'a [Value], uri: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["uri"] == uri)
        .unwrap_or_else(|| panic!("no report for {uri}: {items:?}"))
}

#[test]
fn an_open_note_is_pulled_with_a_result_id_then_unchanged() {
    let workspace = vault();
    let mut client = Client::spawn();
    let result = client.initialize(workspace.path(), pulling(), Value::Null);
    let provider = &result["capabilities"]["diagnosticProvider"];
    assert_eq!(provider["interFileDependencies"], true, "{result}");
    assert_eq!(provider["workspaceDiagnostics"], true, "{result}");
    client.wait_indexed();
    let note = client.open(&workspace.path().join("a.txt"), NOTE);
    let params = json!({ "textDocument": { "uri": note } });
    let first = client.request("textDocument/diagnostic", params.clone());
    assert_eq!(first["kind"], "full", "{first}");
    assert!(
        codes(&first["items"]).contains(&"unknown-entity".to_string()),
        "{first}"
    );
    let id = first["resultId"].as_str().expect("a result id").to_string();

    let mut again = params.clone();
    again["previousResultId"] = json!(id);
    let second = client.request("textDocument/diagnostic", again.clone());
    assert_eq!(second, json!({ "kind": "unchanged", "resultId": id }));

    // An edit makes a new report.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": note, "version": 2 }, "contentChanges": [{ "text": BRACKET }] }),
    );
    let third = client.request("textDocument/diagnostic", again);
    assert_eq!(third["kind"], "full", "{third}");
    assert_eq!(codes(&third["items"]), vec!["unmatched-bracket"]);
    assert_ne!(third["resultId"], json!(id));
    assert!(client.shutdown().success());
}

#[test]
fn the_workspace_pull_reports_closed_notes_then_unchanged_for_their_result_ids() {
    let workspace = vault();
    let mut client = started(workspace.path(), pulling(), Value::Null);
    let items = workspace_pull(&mut client, json!([]));
    assert_eq!(items.len(), 3, "{items:?}");
    let a = uri(&workspace.path().join("a.txt"));
    let b = uri(&workspace.path().join("b.txt"));
    assert!(codes(&item(&items, &a)["items"]).contains(&"unknown-entity".to_string()));
    assert_eq!(codes(&item(&items, &b)["items"]), vec!["unmatched-bracket"]);
    assert!(items.iter().all(|i| i["kind"] == "full" && i["resultId"].is_string()));

    let previous: Vec<Value> = items
        .iter()
        .map(|i| json!({ "uri": i["uri"], "value": i["resultId"] }))
        .collect();
    let again = workspace_pull(&mut client, json!(previous));
    assert_eq!(again.len(), 3, "{again:?}");
    assert!(again.iter().all(|i| i["kind"] == "unchanged"), "{again:?}");

    // A note deleted from disk is reported empty, once.
    std::fs::remove_file(workspace.path().join("b.txt")).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": b, "type": 3 }] }),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let items = workspace_pull(&mut client, json!(previous));
        let report = item(&items, &b);
        if report["kind"] == "full" {
            assert_eq!(report["items"], json!([]), "{report}");
            break;
        }
        assert!(Instant::now() < deadline, "the deleted note was never cleared");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(client.shutdown().success());
}

#[test]
fn a_large_workspace_pull_streams_partial_results_with_progress() {
    let workspace = tempfile::tempdir().unwrap();
    let count = 150; // more than one chunk
    for i in 0..count {
        let text = if i % 2 == 0 { NOTE } else { BRACKET };
        std::fs::write(workspace.path().join(format!("n{i:03}.txt")), text).unwrap();
    }
    let mut client = started(workspace.path(), pulling(), Value::Null);
    let result = client.request(
        "workspace/diagnostic",
        json!({ "previousResultIds": [], "partialResultToken": "partial-1", "workDoneToken": "work-1" }),
    );
    assert_eq!(result["items"], json!([]), "everything came as partial results");
    let mut partials = Vec::new();
    while let Some(i) = client
        .notifications
        .iter()
        .position(|n| n["method"] == "$/progress" && n["params"]["token"] == "partial-1")
    {
        partials.push(client.notifications.remove(i)["params"]["value"]["items"].clone());
    }
    assert!(partials.len() >= 2, "{} partial results", partials.len());
    let reported: usize = partials.iter().map(|p| p.as_array().map_or(0, Vec::len)).sum();
    assert_eq!(reported, count);
    let begin = client.wait_for("$/progress", |p| {
        p["token"] == "work-1" && p["value"]["kind"] == "begin"
    });
    assert_eq!(begin["value"]["title"], "Checking notes");
    let end = client.wait_for("$/progress", |p| p["token"] == "work-1" && p["value"]["kind"] == "end");
    assert_eq!(end["value"]["message"], "150 notes");
    assert!(client.shutdown().success());
}

/// How many `workspace/diagnostic/refresh` requests the server sent so far (messages that
/// arrived meanwhile are taken in by a status request).
fn refreshes(client: &mut Client) -> usize {
    client.request("seedLsp/status", Value::Null);
    client
        .server_requests
        .iter()
        .filter(|r| r["method"] == "workspace/diagnostic/refresh")
        .count()
}

#[test]
fn a_kb_change_asks_a_pulling_client_to_pull_again() {
    let workspace = vault();
    let kb_path = workspace.path().join("entities.toml");
    std::fs::write(&kb_path, "# workspace KB\n").unwrap();
    let mut client = started(workspace.path(), pulling(), Value::Null);
    let a = uri(&workspace.path().join("a.txt"));
    let before = workspace_pull(&mut client, json!([]));
    assert!(codes(&item(&before, &a)["items"]).contains(&"unknown-entity".to_string()));
    let refreshed = refreshes(&mut client);

    std::fs::write(&kb_path, KB_ZOLTANIA).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&kb_path), "type": 2 }] }),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while refreshes(&mut client) == refreshed {
        assert!(Instant::now() < deadline, "no workspace/diagnostic/refresh");
        std::thread::sleep(Duration::from_millis(20));
    }
    let after = workspace_pull(&mut client, json!([]));
    assert!(
        !codes(&item(&after, &a)["items"]).contains(&"unknown-entity".to_string()),
        "{after:?}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn closed_notes_are_pushed_to_a_client_that_cannot_pull_until_the_scope_is_open() {
    let workspace = vault();
    let mut client = Client::spawn();
    let result = client.initialize(workspace.path(), capabilities(&["utf-16"]), Value::Null);
    assert!(result["capabilities"]["diagnosticProvider"].is_null(), "{result}");
    let b = uri(&workspace.path().join("b.txt"));
    let pushed = client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == b && !p["diagnostics"].as_array().is_some_and(Vec::is_empty)
    });
    assert_eq!(codes(&pushed["diagnostics"]), vec!["unmatched-bracket"]);
    assert!(pushed["version"].is_null(), "{pushed}");

    // The open notes only: what was pushed for closed notes is cleared.
    client.settings = json!({ "diagnostics": { "scope": "open" } });
    client.notify("workspace/didChangeConfiguration", json!({ "settings": null }));
    client.wait_for("textDocument/publishDiagnostics", |p| {
        p["uri"] == b && p["diagnostics"] == json!([])
    });
    assert!(client.shutdown().success());
}

#[test]
fn in_the_open_scope_the_workspace_pull_reports_open_notes_only() {
    let workspace = vault();
    let options = json!({ "diagnostics": { "scope": "open" } });
    let mut client = started(workspace.path(), pulling(), options);
    assert!(workspace_pull(&mut client, json!([])).is_empty());
    let note = client.open(&workspace.path().join("b.txt"), BRACKET);
    let items = workspace_pull(&mut client, json!([]));
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(item(&items, &note)["version"], 1);
    assert_eq!(codes(&item(&items, &note)["items"]), vec!["unmatched-bracket"]);
    assert!(client.shutdown().success());
}
