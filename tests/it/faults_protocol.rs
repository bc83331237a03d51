//! Protocol faults, over real JSON-RPC stdio to the built binary: what a broken, hostile or
//! vanishing client sends. The server answers with a JSON-RPC error or a sensible empty
//! answer, keeps serving, and exits (never hangs) when the client goes.
//!
//! Bytes that are not JSON, JSON that is not JSON-RPC, broken framing, wrong or missing
//! params (→ InvalidParams), unknown methods (→ MethodNotFound), positions and ranges outside
//! the document, documents never opened, requests after `shutdown`, and clients that vanish
//! at every stage. Where the polite client would hide the fault (broken framing, unanswered
//! server requests, a half-written message at EOF) the tests use a raw one
//! ([`Client::spawn_raw`]). The workspace's faults are in `faults_workspace`.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::support::{debug_text, position_of, started, status, uri, Client, TIMEOUT};

const NOTE: &str =
    "カザフスタンのトカエフ大統領は首都キエフを訪れた。\n𠮷野家の前で「会談」した。\r\n【2023年10月21日 AFP】\n";

/// Every request about a document, with the given position and range.
fn document_requests(uri: &str, position: Value, range: Value) -> Vec<(&'static str, Value)> {
    let doc = json!({ "uri": uri });
    let at = json!({ "textDocument": doc, "position": position });
    let with = |extra: Value| {
        let mut v = at.clone();
        v.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        v
    };
    vec![
        ("textDocument/hover", at.clone()),
        ("textDocument/definition", at.clone()),
        (
            "textDocument/references",
            with(json!({ "context": { "includeDeclaration": true } })),
        ),
        ("textDocument/documentHighlight", at.clone()),
        ("textDocument/prepareRename", at.clone()),
        ("textDocument/completion", at.clone()),
        (
            "textDocument/codeAction",
            json!({ "textDocument": doc, "range": range, "context": { "diagnostics": [] } }),
        ),
        ("textDocument/documentSymbol", json!({ "textDocument": doc })),
        ("textDocument/semanticTokens/full", json!({ "textDocument": doc })),
        (
            "textDocument/semanticTokens/range",
            json!({ "textDocument": doc, "range": range }),
        ),
        ("textDocument/foldingRange", json!({ "textDocument": doc })),
        ("textDocument/documentLink", json!({ "textDocument": doc })),
        ("textDocument/codeLens", json!({ "textDocument": doc })),
        ("textDocument/inlayHint", json!({ "textDocument": doc, "range": range })),
    ]
}

/// An answer that says "nothing here": null, an empty list, or empty semantic tokens.
fn is_empty_answer(result: &Value) -> bool {
    result.is_null()
        || result.as_array().is_some_and(Vec::is_empty)
        || result.get("data").and_then(Value::as_array).is_some_and(Vec::is_empty)
}

#[test]
fn garbage_on_the_wire_is_answered_and_the_server_reads_on() {
    let workspace = tempfile::tempdir().unwrap();
    let mut raw = Client::spawn_raw();
    raw.initialize(workspace.path(), json!({}), Value::Null);
    // Bodies that are not JSON-RPC: each gets the matching error, with its id when it has one.
    let cases: Vec<(&[u8], i64, Value)> = vec![
        (b"{ not json", -32700, Value::Null),
        (b"\xff\xfe\x00garbage", -32700, Value::Null),
        (
            br#"{"jsonrpc":"2.0","id":11,"method":"seedLsp/status"#,
            -32700,
            Value::Null,
        ),
        (b"42", -32600, Value::Null),
        (b"[]", -32600, Value::Null),
        (
            br#"[{"jsonrpc":"2.0","id":12,"method":"seedLsp/status"}]"#,
            -32600,
            Value::Null,
        ),
        (br#"{"id":13,"method":"seedLsp/status"}"#, -32600, json!(13)),
        (
            br#"{"jsonrpc":"1.0","id":14,"method":"seedLsp/status"}"#,
            -32600,
            json!(14),
        ),
        (br#"{"jsonrpc":"2.0","id":15,"method":7}"#, -32600, json!(15)),
        (
            br#"{"jsonrpc":"2.0","id":16,"method":"textDocument/hover","params":"x"}"#,
            -32600,
            json!(16),
        ),
        (
            br#"{"jsonrpc":"2.0","id":"s17","method":"seedLsp/status","params":[]}"#,
            0,
            json!("s17"),
        ),
        (
            br#"{"jsonrpc":"2.0","id":{"x":1},"method":"seedLsp/status"}"#,
            -32600,
            Value::Null,
        ),
    ];
    for (body, code, id) in cases {
        raw.send_frame(body);
        let answer = raw.next_response();
        let shown = String::from_utf8_lossy(body);
        assert_eq!(answer["id"], id, "{shown}: {answer}");
        if code == 0 {
            assert!(answer.get("result").is_some(), "{shown}: {answer}");
        } else {
            assert_eq!(answer["error"]["code"], code, "{shown}: {answer}");
        }
    }
    // Broken headers: answered as parse errors, the next frame is read normally.
    for header in [
        &b"Content-Length: abc\r\n\r\n"[..],
        b"Content-Type: application/json\r\n\r\n",
        b"X-Nonsense\r\n\r\n",
    ] {
        raw.write_raw(header);
        let answer = raw.next_response();
        assert_eq!(
            answer["error"]["code"],
            -32700,
            "{}: {answer}",
            String::from_utf8_lossy(header)
        );
        assert!(raw.request_raw("seedLsp/status", Value::Null).get("result").is_some());
    }
    // Blank lines between frames are skipped.
    raw.write_raw(b"\r\n\r\n\n");
    assert!(raw.request_raw("seedLsp/status", Value::Null).get("result").is_some());
    // A notification that is not JSON-RPC has no id: answered with id null, nothing else.
    raw.send_frame(br#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":"nope"}"#);
    let answer = raw.next_response();
    assert_eq!(answer["error"]["code"], -32600, "{answer}");
    assert!(raw.request_raw("shutdown", Value::Null).get("error").is_none());
    raw.send_frame(br#"{"jsonrpc":"2.0","method":"exit"}"#);
    assert_eq!(raw.wait_exit(TIMEOUT).code(), Some(0));
}

/// A client that counts characters instead of bytes in `Content-Length` (an easy mistake
/// with Japanese text) sends a frame whose tail runs into the next header. The server loses
/// that frame, and only that frame: the following messages are read and answered.
#[test]
fn a_wrong_content_length_loses_one_message_not_the_connection() {
    let workspace = tempfile::tempdir().unwrap();
    let mut raw = Client::spawn_raw();
    raw.initialize(workspace.path(), json!({}), Value::Null);
    let body =
        json!({ "jsonrpc": "2.0", "id": 30, "method": "seedLsp/status", "params": { "note": "トカエフ大統領" } })
            .to_string();
    let chars = body.chars().count();
    assert!(chars < body.len());
    raw.write_raw(format!("Content-Length: {chars}\r\n\r\n{body}").as_bytes());
    for id in 31..35 {
        raw.send(&json!({ "jsonrpc": "2.0", "id": id, "method": "seedLsp/status", "params": null }));
    }
    let mut answered = Vec::new();
    let deadline = Instant::now() + TIMEOUT;
    while answered.last() != Some(&json!(34)) {
        assert!(Instant::now() < deadline, "answered so far: {answered:?}");
        let message = raw.next_response();
        if message.get("result").is_some() {
            answered.push(message["id"].clone());
        }
    }
    assert!(
        answered.contains(&json!(32)) && answered.contains(&json!(33)),
        "at most one message after the broken frame may be lost: {answered:?}"
    );
}

#[test]
fn wrong_or_missing_params_are_invalid_params() {
    let (mut client, ws, _) = started(&["utf-16"]);
    let uri = client.open(&ws.path().join("n.txt"), NOTE);
    let position = json!({ "line": 0, "character": 1 });
    let range = json!({ "start": position, "end": position });
    let mut bare_id = 900_000;
    for (method, good) in document_requests(&uri, position.clone(), range) {
        let wrong_uri = json!({ "textDocument": { "uri": 5 }, "position": position });
        let negative = json!({ "textDocument": { "uri": uri }, "position": { "line": -1, "character": 0 },
                               "range": { "start": { "line": -1, "character": 0 }, "end": position } });
        for params in [json!({}), json!(null), json!([1, 2]), wrong_uri, negative] {
            // `negative` is fine for methods that take neither a position nor a range.
            let positional = good.get("position").is_some() || good.get("range").is_some();
            if params.get("position").is_some() && !positional {
                continue;
            }
            let answer = client.request_raw(method, params.clone());
            assert_eq!(answer["error"]["code"], -32602, "{method} {params}: {answer}");
        }
        // Without a params member at all.
        bare_id += 1;
        client.send(&json!({ "jsonrpc": "2.0", "id": bare_id, "method": method }));
        let answer = client.response(bare_id);
        assert_eq!(answer["error"]["code"], -32602, "{method} without params: {answer}");
    }
    for (method, params) in [
        ("workspace/symbol", json!({ "query": 3 })),
        ("seedLsp/debugText", json!({ "textDocument": "x" })),
        (
            "seedLsp/debugText",
            json!({ "textDocument": { "uri": "file:///never/opened.txt" } }),
        ),
        (
            "textDocument/rename",
            json!({ "textDocument": { "uri": uri }, "position": position }),
        ),
    ] {
        let answer = client.request_raw(method, params.clone());
        assert_eq!(answer["error"]["code"], -32602, "{method} {params}: {answer}");
    }
    // Notifications with wrong params are ignored (nothing to answer), the document intact.
    for (method, params) in [
        ("textDocument/didOpen", json!({ "textDocument": { "uri": uri } })),
        (
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri }, "contentChanges": "x" }),
        ),
        (
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": 9 }, "contentChanges": [{ "range": 1, "text": "x" }] }),
        ),
        ("textDocument/didClose", json!({})),
        ("textDocument/didSave", json!([])),
        ("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": 1 }] })),
        (
            "workspace/didChangeConfiguration",
            json!({ "settings": { "seedLsp": { "rules": 5 } } }),
        ),
        ("$/cancelRequest", json!({ "id": [] })),
        ("$/setTrace", json!({ "value": 17 })),
    ] {
        client.notify(method, params);
    }
    assert_eq!(debug_text(&mut client, &uri)["text"], NOTE);
    assert_eq!(status(&mut client)["openDocuments"], 1);
    assert!(client.stray_responses.is_empty(), "{:?}", client.stray_responses);
    assert!(client.shutdown().success());
}

#[test]
fn unknown_methods_are_method_not_found_and_unknown_notifications_are_ignored() {
    let (mut client, _ws, _) = started(&["utf-16"]);
    for method in [
        "seedLsp/nothing",
        "textDocument/teleport",
        "$/unknownRequest",
        "workspace/unknownThing",
    ] {
        let answer = client.request_raw(method, json!({}));
        assert_eq!(answer["error"]["code"], -32601, "{method}: {answer}");
    }
    client.notify("seedLsp/nothing", json!({}));
    client.notify("$/unknownNotification", json!({ "x": 1 }));
    client.notify("textDocument/teleport", json!([]));
    assert_eq!(status(&mut client)["openDocuments"], 0);
    assert!(client.stray_responses.is_empty(), "{:?}", client.stray_responses);
    assert!(client.shutdown().success());
}

#[test]
fn positions_and_ranges_outside_the_document_are_clamped() {
    let (mut client, ws, _) = started(&["utf-16"]);
    let uri = client.open(&ws.path().join("n.txt"), NOTE);
    let far = [
        json!({ "line": 2, "character": 4000 }),
        json!({ "line": 999, "character": 0 }),
        json!({ "line": 4_000_000_000u32, "character": 4_000_000_000u32 }),
        json!({ "line": 1, "character": 1 }), // inside the surrogate pair of 𠮷
    ];
    for start in &far {
        for end in [&far[0], &far[3], &json!({ "line": 0, "character": 0 })] {
            // Inverted ranges included: end before start.
            let range = json!({ "start": start, "end": end });
            for (method, params) in document_requests(&uri, start.clone(), range) {
                let answer = client.request_raw(method, params.clone());
                assert!(answer.get("error").is_none(), "{method} {params}: {answer}");
            }
        }
    }
    // Hover just past the end of a line clamps onto the line.
    let on_name = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": position_of(NOTE, "トカエフ", 0, 1, "utf-16") }),
    );
    assert!(on_name["contents"]["value"].as_str().unwrap().contains("トカエフ"));
    // Edits outside the document clamp the way the text's line index does.
    let mut expected = NOTE.to_string();
    let edits = [
        (
            json!({ "line": 0, "character": 500 }),
            json!({ "line": 0, "character": 600 }),
            "【末】",
        ),
        (
            json!({ "line": 50, "character": 0 }),
            json!({ "line": 60, "character": 9 }),
            "終",
        ),
        (
            json!({ "line": 1, "character": 1 }),
            json!({ "line": 1, "character": 1 }),
            "前",
        ),
        // Inverted: replaces the range between the two positions.
        (
            json!({ "line": 1, "character": 6 }),
            json!({ "line": 1, "character": 2 }),
            "X",
        ),
    ];
    let line_end = NOTE.find('\n').unwrap();
    expected.insert_str(line_end, "【末】");
    expected.push('終');
    let second = expected.find('\n').unwrap() + 1;
    expected.insert(second, '前');
    // Line 1 is now 前𠮷野家の前で…: UTF-16 column 2 is inside 𠮷's surrogate pair (→ before
    // 𠮷), column 6 is before the second 前: 𠮷野家の is replaced.
    let line = &expected[second..];
    let start = second + line.char_indices().nth(1).unwrap().0;
    let end = second + line.char_indices().nth(5).unwrap().0;
    assert_eq!(&expected[start..end], "𠮷野家の");
    expected.replace_range(start..end, "X");
    for (version, (start, end, text)) in edits.iter().enumerate() {
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version + 2 },
                    "contentChanges": [{ "range": { "start": start, "end": end }, "text": text }] }),
        );
    }
    assert_eq!(debug_text(&mut client, &uri)["text"], expected);
    assert!(client.shutdown().success());
}

#[test]
fn documents_never_opened_get_empty_answers() {
    let (mut client, ws, _) = started(&["utf-16"]);
    let on_disk = ws.path().join("on-disk.txt");
    std::fs::write(&on_disk, NOTE).unwrap();
    let position = json!({ "line": 0, "character": 8 });
    let range = json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 5, "character": 0 } });
    for never in [
        "file:///nowhere/never.txt".to_string(),
        uri(&on_disk),
        "untitled:Untitled-1".to_string(),
        "https://example.com/remote.txt".to_string(),
    ] {
        for (method, params) in document_requests(&never, position.clone(), range.clone()) {
            let answer = client.request_raw(method, params.clone());
            assert!(answer.get("error").is_none(), "{method} {params}: {answer}");
            assert!(is_empty_answer(&answer["result"]), "{method} on {never}: {answer}");
        }
        let rename = client.request_raw(
            "textDocument/rename",
            json!({ "textDocument": { "uri": never }, "position": position, "newName": "x" }),
        );
        assert!(rename.get("error").is_none() && rename["result"].is_null(), "{rename}");
        // Changes and closes of documents never opened are ignored.
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": never, "version": 3 }, "contentChanges": [{ "text": "x" }] }),
        );
        client.notify("textDocument/didClose", json!({ "textDocument": { "uri": never } }));
    }
    assert_eq!(status(&mut client)["openDocuments"], 0);
    assert!(client.shutdown().success());
}

#[test]
fn after_shutdown_requests_are_refused_and_exit_ends_the_process() {
    let (mut client, ws, _) = started(&["utf-16"]);
    let uri = client.open(&ws.path().join("n.txt"), NOTE);
    client.diagnostics(&uri, 1);
    let answer = client.request_raw("shutdown", Value::Null);
    assert!(answer.get("error").is_none(), "{answer}");
    let position = json!({ "line": 0, "character": 8 });
    let range = json!({ "start": position, "end": position });
    for (method, params) in document_requests(&uri, position.clone(), range) {
        let answer = client.request_raw(method, params);
        assert_eq!(answer["error"]["code"], -32600, "{method}: {answer}");
    }
    for method in ["shutdown", "seedLsp/status", "initialize", "seedLsp/nothing"] {
        let answer = client.request_raw(method, json!({}));
        assert_eq!(answer["error"]["code"], -32600, "{method}: {answer}");
    }
    // Notifications after shutdown are dropped without an answer.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": "x" }] }),
    );
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    assert!(client.stray_responses.is_empty(), "{:?}", client.stray_responses);
    assert_eq!(
        client.exit_without_shutdown().code(),
        Some(0),
        "shutdown was requested before exit"
    );
}

#[test]
fn requests_before_initialize_are_refused() {
    let mut client = Client::spawn();
    let answer = client.request_raw("seedLsp/status", Value::Null);
    assert_eq!(answer["error"]["code"], -32002, "{answer}");
    let answer = client.request_raw(
        "textDocument/hover",
        json!({ "textDocument": { "uri": "file:///x.txt" }, "position": { "line": 0, "character": 0 } }),
    );
    assert_eq!(answer["error"]["code"], -32002, "{answer}");
    // Text sync before initialize is ignored; initialize still works afterwards.
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": "file:///x.txt", "languageId": "seed", "version": 1, "text": "x" } }),
    );
    let ws = tempfile::tempdir().unwrap();
    client.initialize(ws.path(), json!({}), Value::Null);
    assert_eq!(status(&mut client)["openDocuments"], 0);
    // A second initialize is refused.
    let again = client.request_raw(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": {} }),
    );
    assert!(again.get("error").is_some(), "{again}");
    assert!(client.shutdown().success());
}

#[test]
fn a_client_that_vanishes_ends_the_server() {
    let ws = tempfile::tempdir().unwrap();
    let limit = Duration::from_secs(10);
    // Before initialize.
    let mut raw = Client::spawn_raw();
    raw.close_stdin();
    assert_eq!(raw.wait_exit(limit).code(), Some(1));
    // In the middle of a header, and in the middle of a body.
    for partial in [&b"Content-Len"[..], b"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\","] {
        let mut raw = Client::spawn_raw();
        raw.initialize(ws.path(), json!({}), Value::Null);
        raw.write_raw(partial);
        raw.close_stdin();
        assert_eq!(
            raw.wait_exit(limit).code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(partial)
        );
    }
    // While the server waits for the client's answer to its own request (settings), and
    // with requests of its own in flight.
    let mut raw = Client::spawn_raw();
    raw.initialize(
        ws.path(),
        json!({ "workspace": { "configuration": true } }),
        Value::Null,
    );
    raw.server_request("workspace/configuration");
    for _ in 1..20 {
        raw.send_request(
            "textDocument/references",
            json!({ "textDocument": { "uri": uri(&ws.path().join("x.txt")) }, "position": { "line": 0, "character": 0 },
                    "context": { "includeDeclaration": true } }),
        );
    }
    raw.close_stdin();
    assert_eq!(raw.wait_exit(limit).code(), Some(1));
    // After shutdown but before exit: a clean end.
    let mut raw = Client::spawn_raw();
    raw.initialize(ws.path(), json!({}), Value::Null);
    raw.request_raw("shutdown", Value::Null);
    raw.close_stdin();
    assert_eq!(raw.wait_exit(limit).code(), Some(0));
}

#[test]
fn a_client_that_stops_reading_does_not_hang_the_exit() {
    let ws = tempfile::tempdir().unwrap();
    let mut raw = Client::spawn_raw();
    raw.initialize(ws.path(), json!({}), Value::Null);
    raw.stop_reading();
    // Flood the server with requests whose answers nobody reads (the pipe fills up), then go.
    let text = NOTE.repeat(200);
    let note = raw.open(&ws.path().join("n.txt"), &text);
    for _ in 1..200 {
        raw.send_request(
            "textDocument/semanticTokens/full",
            json!({ "textDocument": { "uri": note } }),
        );
    }
    raw.close_stdin();
    assert_eq!(raw.wait_exit(Duration::from_secs(20)).code(), Some(1));
}
