//! Protocol behaviour of the built server over real JSON-RPC: position encodings around 𠮷,
//! strictly ordered incremental edits under a flood of `didChange`, malformed and
//! out-of-place messages, panics in a handler, cancellation, and the exit codes.

use crate::support::{capabilities, debug_text, position_of, slice, started, status, Client};
use serde_json::{json, Value};

const NOTE: &str = "𠮷野家でトカエフ大統領に会った。\n𠮷𠮷首都キエフにて\n";

#[test]
fn every_position_encoding_around_non_bmp_characters() {
    for encoding in ["utf-8", "utf-16", "utf-32"] {
        let (mut client, ws, result) = started(&[encoding]);
        assert_eq!(result["capabilities"]["positionEncoding"], encoding);
        let uri = client.open(&ws.path().join("note.txt"), NOTE);
        // Hover: the position and the answer's range are in the negotiated encoding.
        let hover = client.request(
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": position_of(NOTE, "トカエフ", 0, 2, encoding) }),
        );
        assert_eq!(slice(NOTE, &hover["range"], encoding), "トカエフ", "{encoding}");
        // Diagnostics too.
        let diagnostics = client.diagnostics(&uri, 1);
        let kyiv = diagnostics
            .iter()
            .find(|d| d["code"] == "deprecated-name")
            .expect("キエフ reported");
        assert_eq!(slice(NOTE, &kyiv["range"], encoding), "キエフ", "{encoding}");
        // An edit right after the 𠮷 characters of line 2.
        let at = position_of(NOTE, "首都", 0, 0, encoding);
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": 2 },
                    "contentChanges": [{ "range": { "start": at, "end": at }, "text": "ウクライナの" }] }),
        );
        let expected = NOTE.replace("𠮷𠮷首都", "𠮷𠮷ウクライナの首都");
        assert_eq!(debug_text(&mut client, &uri)["text"], expected, "{encoding}");
        assert!(client.shutdown().success());
    }
}

#[test]
fn utf16_when_the_client_offers_nothing_else() {
    let (client, _ws, result) = started(&[]);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    let (mut other, _ws2, result) = started(&["utf-7", "utf-32", "utf-8"]);
    assert_eq!(
        result["capabilities"]["positionEncoding"], "utf-32",
        "the client's first supported choice"
    );
    assert!(client.shutdown().success());
    assert!(status(&mut other)["positionEncoding"] == "utf-32");
}

/// A small deterministic generator (xorshift), so the stress test is reproducible.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

fn utf16_position(text: &str, char_index: usize) -> Value {
    let offset = text.char_indices().nth(char_index).map_or(text.len(), |(i, _)| i);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    json!({ "line": text[..offset].matches('\n').count(), "character": text[line_start..offset].encode_utf16().count() })
}

#[test]
fn thousands_of_back_to_back_edits_apply_in_order() {
    let (mut client, ws, _) = started(&["utf-16"]);
    let mut text = String::from("カザフスタンのトカエフ大統領は\n𠮷と述べた。\n");
    let uri = client.open(&ws.path().join("stress.txt"), &text);
    let pieces = [
        "ロシア",
        "𠮷",
        "\n",
        "、",
        "キエフ",
        "a",
        "\r\n",
        "「",
        "」",
        "トカ",
        "",
    ];
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let edits = 3000;
    for version in 2..edits + 2 {
        let mut changes = Vec::new();
        // Most notifications carry one change; some carry several, applied in order too.
        for _ in 0..1 + (rng.below(10) == 0) as usize * 2 {
            let chars: Vec<char> = text.chars().collect();
            // A position between \r and \n does not exist in LSP: step back before the \r.
            let valid = |i: usize| {
                if i > 0 && i < chars.len() && chars[i - 1] == '\r' && chars[i] == '\n' {
                    i - 1
                } else {
                    i
                }
            };
            let start = valid(rng.below(chars.len() + 1));
            let end = valid((start + rng.below(4)).min(chars.len())).max(start);
            let insert = pieces[rng.below(pieces.len())];
            let range = json!({ "start": utf16_position(&text, start), "end": utf16_position(&text, end) });
            let a = text.char_indices().nth(start).map_or(text.len(), |(i, _)| i);
            let b = text.char_indices().nth(end).map_or(text.len(), |(i, _)| i);
            text.replace_range(a..b, insert);
            changes.push(json!({ "range": range, "text": insert }));
        }
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": changes }),
        );
    }
    let server = debug_text(&mut client, &uri);
    assert_eq!(server["version"], edits + 1);
    assert_eq!(server["text"].as_str().unwrap(), text);
    // The last state is the one diagnosed.
    client.diagnostics(&uri, (edits + 1) as i64);
    assert!(client.shutdown().success());
}

#[test]
fn malformed_and_out_of_place_messages_get_errors_and_the_server_stays_up() {
    let (mut client, ws, _) = started(&["utf-16"]);
    // Not JSON.
    client.send_frame(b"{ this is not json");
    // A request for an unknown method.
    let unknown = client.request_raw("seedLsp/noSuchThing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    // Missing and wrong params.
    let missing = client.request_raw("textDocument/hover", json!({}));
    assert_eq!(missing["error"]["code"], -32602, "{missing}");
    let wrong = client.request_raw("textDocument/hover", json!({ "textDocument": 3, "position": "here" }));
    assert_eq!(wrong["error"]["code"], -32602, "{wrong}");
    // A document that was never opened: an empty answer.
    let never = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "file:///nowhere/never.txt" }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(never, Value::Null);
    // Edits to a document that is not open, and malformed edits, are ignored.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": "file:///nowhere/x.txt", "version": 2 }, "contentChanges": [] }),
    );
    client.notify("textDocument/didChange", json!({ "bogus": true }));
    // Positions outside the document are clamped.
    let uri = client.open(&ws.path().join("n.txt"), NOTE);
    let far = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 999, "character": 999 } }),
    );
    assert_eq!(far, Value::Null);
    let clamped = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 6 } }),
    );
    assert!(clamped["contents"]["value"].as_str().unwrap().contains("トカエフ"));
    let edit_far = json!({ "start": { "line": 50, "character": 0 }, "end": { "line": 60, "character": 3 } });
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "range": edit_far, "text": "末尾" }] }),
    );
    assert_eq!(debug_text(&mut client, &uri)["text"], format!("{NOTE}末尾"));
    // The parse error was answered with id null.
    let parse_error = client.stray_responses.iter().find(|m| m["error"]["code"] == -32700);
    assert_eq!(
        parse_error.map(|m| &m["id"]),
        Some(&Value::Null),
        "{:?}",
        client.stray_responses
    );
    // Still serving.
    assert_eq!(status(&mut client)["openDocuments"], 1);
    // After shutdown, requests are refused.
    let shutdown = client.request_raw("shutdown", Value::Null);
    assert!(shutdown.get("error").is_none());
    let late = client.request_raw(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(late["error"]["code"], -32600, "{late}");
    client.notify("exit", Value::Null);
}

#[test]
fn a_panic_in_a_handler_is_an_error_for_that_request_only() {
    let workspace = tempfile::tempdir().unwrap();
    let mut client = Client::builder().env("SEED_LSP_DEBUG", "1").spawn();
    client.initialize(workspace.path(), capabilities(&["utf-16"]), Value::Null);
    let ws = workspace;
    let uri = client.open(&ws.path().join("n.txt"), NOTE);
    let failed = client.request_raw("seedLsp/debugPanic", Value::Null);
    assert_eq!(failed["error"]["code"], -32603, "{failed}");
    assert!(
        failed["error"]["message"].as_str().unwrap().contains("asked to panic"),
        "{failed}"
    );
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": position_of(NOTE, "トカエフ", 0, 1, "utf-16") }),
    );
    assert!(hover["contents"]["value"].as_str().unwrap().contains("トカエフ"));
    assert!(client.shutdown().success());
}

#[test]
fn a_cancelled_workspace_request_is_answered_once_and_the_server_goes_on() {
    let (mut client, ws, _) = started(&["utf-16"]);
    let uri = client.open(&ws.path().join("n.txt"), NOTE);
    let position = position_of(NOTE, "トカエフ", 0, 1, "utf-16");
    let id = client.send_request(
        "textDocument/references",
        json!({ "textDocument": { "uri": uri }, "position": position, "context": { "includeDeclaration": true } }),
    );
    client.notify("$/cancelRequest", json!({ "id": id }));
    let response = client.response(id);
    match response.get("error") {
        Some(error) => assert_eq!(error["code"], -32800, "{response}"),
        None => assert!(response["result"].is_array(), "{response}"),
    }
    assert_eq!(status(&mut client)["openDocuments"], 1);
    assert!(client.shutdown().success());
}

#[test]
fn exit_codes_follow_the_protocol() {
    let (client, _ws, _) = started(&[]);
    assert_eq!(client.shutdown().code(), Some(0));
    let (client, _ws, _) = started(&[]);
    assert_eq!(client.exit_without_shutdown().code(), Some(1));
    let (client, _ws, _) = started(&[]);
    assert_eq!(
        client.vanish().code(),
        Some(1),
        "a client that vanishes without shutdown"
    );
    for args in [&["--stdio"][..], &["serve"][..]] {
        let mut client = Client::builder().args(args).spawn();
        let workspace = tempfile::tempdir().unwrap();
        client.initialize(workspace.path(), json!({}), Value::Null);
        assert_eq!(client.shutdown().code(), Some(0), "{args:?}");
    }
}

#[test]
fn a_note_too_large_to_check_gets_one_diagnostic_and_empty_answers() {
    let (mut client, ws, _) = started(&["utf-16"]);
    let line = "カザフスタンのトカエフ大統領は首都キエフで会談した。\n";
    let text = line.repeat((17 << 20) / line.len() + 1);
    let uri = client.open(&ws.path().join("huge.txt"), &text);
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "too-large");
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": position_of(line, "トカエフ", 0, 1, "utf-16") }),
    );
    assert_eq!(hover, Value::Null);
    // Editing it still works, and other notes are unaffected.
    let small = client.open(&ws.path().join("small.txt"), NOTE);
    assert!(client
        .diagnostics(&small, 1)
        .iter()
        .any(|d| d["code"] == "deprecated-name"));
    assert!(client.shutdown().success());
}
