//! The language server's features on the real seed notes, over real JSON-RPC: the built
//! binary is spawned and spoken to through stdin/stdout (see `support`).

use crate::support::{capabilities, edits_for, path_of, position_of, seed_path, seed_workspace, slice, Client};
use serde_json::{json, Value};

/// A server on a copy of the seeds with note `prefix` open; returns (client, uri, text).
fn open_seed(prefix: &str) -> (Client, tempfile::TempDir, String, String) {
    let workspace = seed_workspace();
    let mut client = Client::spawn();
    client.initialize(workspace.path(), capabilities(&["utf-16"]), Value::Null);
    client.wait_indexed();
    let path = seed_path(workspace.path(), prefix);
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = client.open(&path, &text);
    (client, workspace, uri, text)
}

fn at(uri: &str, position: Value) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": position })
}

#[test]
fn hover_shows_the_entity_card() {
    let (mut client, _ws, uri, text) = open_seed("000");
    let hover = client.request(
        "textDocument/hover",
        at(&uri, position_of(&text, "トカエフ大統領", 0, 1, "utf-16")),
    );
    assert_eq!(hover["contents"]["kind"], "markdown");
    let card = hover["contents"]["value"].as_str().unwrap();
    for expected in [
        "**トカエフ** · Kassym-Jomart Tokayev",
        "Kassym-Jomart Tokayev",
        "大統領（カザフスタン）",
        "Mentions:",
        "built-in KB",
    ] {
        assert!(card.contains(expected), "{expected:?} missing from:\n{card}");
    }
    assert_eq!(slice(&text, &hover["range"], "utf-16"), "トカエフ");
    // On ordinary text: where the paragraph comes from.
    let paragraph = client.request(
        "textDocument/hover",
        at(&uri, position_of(&text, "秩序は回復した", 0, 1, "utf-16")),
    );
    let card = paragraph["contents"]["value"].as_str().unwrap();
    assert!(card.starts_with("**Source of this paragraph:** "), "{card}");
    assert!(client.shutdown().success());
}

#[test]
fn hover_in_plain_text_when_the_client_prefers_it() {
    let workspace = seed_workspace();
    let mut client = Client::spawn();
    let caps = json!({ "textDocument": { "hover": { "contentFormat": ["plaintext"] } } });
    client.initialize(workspace.path(), caps, Value::Null);
    let path = seed_path(workspace.path(), "003");
    let text = std::fs::read_to_string(&path).unwrap();
    let uri = client.open(&path, &text);
    let hover = client.request(
        "textDocument/hover",
        at(&uri, position_of(&text, "キエフ", 0, 0, "utf-16")),
    );
    assert_eq!(hover["contents"]["kind"], "plaintext");
    let card = hover["contents"]["value"].as_str().unwrap();
    assert!(card.starts_with("⚠ 「キエフ」 is a deprecated spelling"), "{card}");
    assert!(card.contains("\n\nキーウ · "), "{card}");
    assert!(!card.contains("**"), "{card}");
}

#[test]
fn definition_opens_the_builtin_kb_copy() {
    let (mut client, _ws, uri, text) = open_seed("000");
    let found = client.request(
        "textDocument/definition",
        at(&uri, position_of(&text, "トカエフ", 0, 2, "utf-16")),
    );
    assert_opens_builtin_entry(&found[0], "entities.toml", "tokayev");
}

#[test]
fn definition_of_a_generated_place_opens_its_own_builtin_file() {
    let workspace = seed_workspace();
    let note = workspace.path().join("seeds/zz_generated.txt");
    let text = "ウランバートルの会見で、ナイロビからの代表が発言した。\n";
    std::fs::write(&note, text).unwrap();
    let mut client = Client::spawn();
    client.initialize(workspace.path(), json!({}), Value::Null);
    let uri = client.open(&note, text);
    let found = client.request(
        "textDocument/definition",
        at(&uri, position_of(text, "ナイロビ", 0, 1, "utf-16")),
    );
    assert_opens_builtin_entry(&found[0], "places.generated.toml", "nairobi");
}

/// `location` is the `[[entity]]` table of `id` in the read-only copy of the built-in file `file`.
fn assert_opens_builtin_entry(location: &Value, file: &str, id: &str) {
    let kb_path = path_of(location["uri"].as_str().unwrap());
    assert!(kb_path.ends_with(file), "{kb_path:?}");
    let kb_text = std::fs::read_to_string(&kb_path).unwrap();
    assert_eq!(kb_text, builtin_text(&format!("<builtin>/{file}")));
    let entry = slice(&kb_text, &location["range"], "utf-16");
    assert!(entry.starts_with(&format!("[[entity]]\nid = \"{id}\"")), "{entry}");
    let line = location["range"]["start"]["line"].as_u64().unwrap() as usize;
    assert_eq!(kb_text.lines().nth(line + 1), Some(format!("id = \"{id}\"").as_str()));
    assert!(std::fs::metadata(&kb_path).unwrap().permissions().readonly());
}

fn builtin_text(name: &str) -> &'static str {
    seed_lsp::kb::BUILTIN_KB_FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .unwrap()
}

#[test]
fn references_and_highlights_cover_every_spelling_and_file() {
    let (mut client, ws, uri, text) = open_seed("002");
    let position = position_of(&text, "トカエフ", 0, 1, "utf-16");
    let params =
        json!({ "textDocument": { "uri": uri }, "position": position, "context": { "includeDeclaration": false } });
    let found = client
        .request("textDocument/references", params)
        .as_array()
        .cloned()
        .unwrap();
    let mut files: Vec<String> = found.iter().map(|l| l["uri"].as_str().unwrap().to_string()).collect();
    files.dedup();
    assert!(files.len() >= 3, "{files:?}");
    let mut spellings: Vec<String> = found
        .iter()
        .map(|l| {
            let path = path_of(l["uri"].as_str().unwrap());
            slice(&std::fs::read_to_string(path).unwrap(), &l["range"], "utf-16")
        })
        .collect();
    spellings.sort();
    spellings.dedup();
    // Aliases and the misspelling トカレフ (a near miss) are references too.
    assert!(
        spellings.contains(&"トカエフ".to_string()) && spellings.contains(&"トカレフ".to_string()),
        "{spellings:?}"
    );
    assert!(
        spellings.iter().all(|s| s.contains("トカ") || s == "Tokayev"),
        "{spellings:?}"
    );
    assert!(found
        .iter()
        .any(|l| path_of(l["uri"].as_str().unwrap()) == seed_path(ws.path(), "000")));
    let highlights = client.request(
        "textDocument/documentHighlight",
        at(&uri, position_of(&text, "トカエフ", 0, 1, "utf-16")),
    );
    let in_this_file = found.iter().filter(|l| l["uri"] == uri).count();
    assert_eq!(highlights.as_array().unwrap().len(), in_this_file);
}

#[test]
fn rename_one_spelling_across_the_workspace() {
    let (mut client, _ws, uri, text) = open_seed("004");
    let position = position_of(&text, "ハリコフ", 0, 1, "utf-16");
    let prepared = client.request("textDocument/prepareRename", at(&uri, position.clone()));
    assert_eq!(prepared["placeholder"], "ハリコフ");
    let edit = client.request(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": position, "newName": "ハルキウ" }),
    );
    let (edits, version) = edits_for(&edit, &uri);
    assert_eq!(
        version,
        Some(1),
        "versioned: the client refuses edits made for another version: {edit}"
    );
    assert_eq!(edits.len(), text.matches("ハリコフ").count());
    for e in &edits {
        assert_eq!(slice(&text, &e["range"], "utf-16"), "ハリコフ");
        assert_eq!(e["newText"], "ハルキウ");
    }
    let not_a_name = client.request(
        "textDocument/prepareRename",
        at(&uri, json!({ "line": 0, "character": 0 })),
    );
    assert_eq!(not_a_name, Value::Null);
    let bad = client.request_raw(
        "textDocument/rename",
        json!({ "textDocument": { "uri": uri }, "position": position_of(&text, "ハリコフ", 0, 1, "utf-16"), "newName": "" }),
    );
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
}

#[test]
fn diagnostics_are_pushed_with_their_version_and_fixes_become_code_actions() {
    let (mut client, _ws, uri, text) = open_seed("003");
    let diagnostics = client.diagnostics(&uri, 1);
    let kyiv = diagnostics
        .iter()
        .find(|d| d["code"] == "deprecated-name")
        .expect("キエフ is reported");
    assert_eq!(kyiv["source"], "seed-lsp");
    assert_eq!(slice(&text, &kyiv["range"], "utf-16"), "キエフ");
    assert_eq!(kyiv["data"]["fixes"][0]["edits"][0]["newText"], "キーウ");
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": kyiv["range"], "context": { "diagnostics": [kyiv] } }),
    );
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["diagnostics"][0]["code"], "deprecated-name");
    let edit = &edits_for(&action["edit"], &uri).0[0];
    assert_eq!(edit["newText"], "キーウ");
    assert_eq!(slice(&text, &edit["range"], "utf-16"), "キエフ");
}

#[test]
fn an_unknown_name_can_be_added_to_a_new_entities_toml() {
    let workspace = tempfile::tempdir().unwrap();
    let mut client = Client::spawn();
    client.initialize(workspace.path(), capabilities(&["utf-16"]), Value::Null);
    let path = workspace.path().join("note.txt");
    let text = "大統領府のゾルタニヤ報道官は3月に回答した。\n";
    let uri = client.open(&path, text);
    let diagnostics = client.diagnostics(&uri, 1);
    let unknown = diagnostics
        .iter()
        .find(|d| d["code"] == "unknown-entity")
        .expect("unknown name reported");
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri }, "range": unknown["range"], "context": { "diagnostics": [unknown] } }),
    );
    let add = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("entities.toml"))
        .unwrap();
    let operations = add["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(operations[0]["kind"], "create");
    assert!(operations[0]["uri"].as_str().unwrap().ends_with("/entities.toml"));
    let inserted = operations[1]["edits"][0]["newText"].as_str().unwrap();
    assert!(
        inserted.contains("id = \"zorutaniya\"\nname = \"ゾルタニヤ\"\nkind = \"person\""),
        "{inserted}"
    );
    // The server did not write it: the client applies the edit.
    assert!(!workspace.path().join("entities.toml").exists());
}

#[test]
fn completion_offers_entity_names_for_a_japanese_prefix() {
    let (mut client, _ws, uri, text) = open_seed("000");
    // Type "トカ" at the end of the first line.
    let line0 = text.lines().next().unwrap();
    let end = json!({ "line": 0, "character": line0.encode_utf16().count() });
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "range": { "start": end, "end": end }, "text": "、トカ" }] }),
    );
    let at_end = json!({ "line": 0, "character": line0.encode_utf16().count() + 3 });
    let list = client.request("textDocument/completion", at(&uri, at_end));
    let items = list["items"].as_array().unwrap();
    let tokayev = items
        .iter()
        .find(|i| i["label"] == "トカエフ")
        .expect("トカエフ offered");
    assert_eq!(
        tokayev["detail"].as_str().unwrap().split(" · ").next(),
        Some("Kassym-Jomart Tokayev")
    );
    assert!(tokayev["documentation"]["value"]
        .as_str()
        .unwrap()
        .contains("カザフスタン"));
    assert_eq!(
        tokayev["textEdit"]["range"]["start"]["character"],
        line0.encode_utf16().count() + 1
    );
}

#[test]
fn outline_folding_links_and_semantic_tokens() {
    let (mut client, _ws, uri, text) = open_seed("002");
    let doc = json!({ "textDocument": { "uri": uri } });
    let symbols = client.request("textDocument/documentSymbol", doc.clone());
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"ロシアと欧米のはざまでバランスをとる中央アジア"),
        "{names:?}"
    );
    let section = symbols
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "ロシアと欧米のはざまでバランスをとる中央アジア")
        .unwrap();
    let blocks: Vec<&str> = section["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert!(blocks.contains(&"カザフ、対ロシア制裁による禁輸を否定"), "{blocks:?}");
    let folds = client.request("textDocument/foldingRange", doc.clone());
    let block_line = text
        .lines()
        .position(|l| l.starts_with("****カザフ、対ロシア"))
        .unwrap();
    assert!(
        folds.as_array().unwrap().iter().any(|f| f["startLine"] == block_line),
        "{folds}"
    );
    let tokens = client.request("textDocument/semanticTokens/full", doc.clone());
    let data = tokens["data"].as_array().unwrap();
    assert!(data.len() >= 5 * 50, "{} token numbers", data.len());
    let range = json!({ "textDocument": { "uri": uri }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 3, "character": 0 } } });
    let part = client.request("textDocument/semanticTokens/range", range);
    assert!(!part["data"].as_array().unwrap().is_empty() && part["data"].as_array().unwrap().len() < data.len());
    let links_ws = seed_workspace();
    let mut other = Client::spawn();
    other.initialize(links_ws.path(), capabilities(&["utf-16"]), Value::Null);
    let path = seed_path(links_ws.path(), "000");
    let text0 = std::fs::read_to_string(&path).unwrap();
    let uri0 = other.open(&path, &text0);
    let links = other.request("textDocument/documentLink", json!({ "textDocument": { "uri": uri0 } }));
    let targets: Vec<&str> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        &targets[..2],
        &["https://d1021.hatenadiary.com", "http://d1021.hatenablog.com"]
    );
}

#[test]
fn workspace_symbols_and_code_lenses_on_a_kb_file() {
    let workspace = seed_workspace();
    let kb_path = workspace.path().join("entities.toml");
    let kb = "[[entity]]\nid = \"zoltania\"\nname = \"ゾルタニヤ\"\nkind = \"person\"\nen = \"Zoltania Test\"\n";
    std::fs::write(&kb_path, kb).unwrap();
    std::fs::write(
        workspace.path().join("seeds/extra.txt"),
        "ゾルタニヤ報道官とゾルタニヤ氏\n",
    )
    .unwrap();
    let mut client = Client::spawn();
    client.initialize(workspace.path(), capabilities(&["utf-16"]), Value::Null);
    client.wait_indexed();
    let symbols = client.request("workspace/symbol", json!({ "query": "zoltan" }));
    assert_eq!(symbols[0]["name"], "ゾルタニヤ");
    assert!(symbols[0]["location"]["uri"]
        .as_str()
        .unwrap()
        .ends_with("/entities.toml"));
    let uri = client.open(&kb_path, kb);
    let lenses = client.request("textDocument/codeLens", json!({ "textDocument": { "uri": uri } }));
    assert_eq!(lenses[0]["command"]["title"], "2 mentions in 1 file");
    assert_eq!(lenses[0]["range"]["start"]["line"], 0);
    let hover = client.request("textDocument/hover", at(&uri, json!({ "line": 2, "character": 3 })));
    assert!(hover["contents"]["value"].as_str().unwrap().contains("Zoltania Test"));
    let refs = client.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": 2 }, "context": { "includeDeclaration": true } }),
    );
    assert_eq!(refs.as_array().unwrap().len(), 3, "{refs}");
}

#[test]
fn inlay_hints_only_when_enabled() {
    let workspace = seed_workspace();
    let path = seed_path(workspace.path(), "000");
    let text = std::fs::read_to_string(&path).unwrap();
    let whole = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 200, "character": 0 } });
    for (options, expect_hints) in [
        (Value::Null, false),
        (json!({ "inlayHints": { "enabled": true } }), true),
    ] {
        let mut client = Client::spawn();
        client.initialize(workspace.path(), json!({}), options);
        let uri = client.open(&path, &text);
        let hints = client.request(
            "textDocument/inlayHint",
            json!({ "textDocument": { "uri": uri }, "range": whole }),
        );
        let labels: Vec<&str> = hints
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["label"].as_str().unwrap())
            .collect();
        assert_eq!(labels.contains(&" (Kassym-Jomart Tokayev)"), expect_hints, "{labels:?}");
    }
}

#[test]
fn go_to_source_from_a_paragraph_and_from_a_source_line() {
    let (mut client, _ws, uri, text) = open_seed("002");
    // A pasted paragraph inside the first clipping block → the 【2023年10月21日 AFP】 that covers it.
    let found = client.request(
        "textDocument/definition",
        at(&uri, position_of(&text, "貿易省は19日夜", 0, 1, "utf-16")),
    );
    assert_eq!(found[0]["uri"], uri);
    assert_eq!(slice(&text, &found[0]["range"], "utf-16"), "【2023年10月21日 AFP】");
    // On the source line itself (its date) → the outlet's KB entry.
    let on_source = at(&uri, position_of(&text, "【2023年10月21日 AFP】", 0, 3, "utf-16"));
    let outlet = client.request("textDocument/definition", on_source.clone());
    let kb_text = std::fs::read_to_string(path_of(outlet[0]["uri"].as_str().unwrap())).unwrap();
    assert!(slice(&kb_text, &outlet[0]["range"], "utf-16").starts_with("[[entity]]\nid = \"afp\""));
    // Hover there: the parsed date and outlet.
    let hover = client.request("textDocument/hover", on_source);
    let card = hover["contents"]["value"].as_str().unwrap();
    assert!(card.contains("**Source:** AFP · 2023年10月21日"), "{card}");
}
