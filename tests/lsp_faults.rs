//! Faults, over real JSON-RPC stdio to the built binary: what a broken, hostile or vanishing
//! client sends, and what a messy workspace holds. The server answers with a JSON-RPC error
//! or a sensible empty answer, keeps serving, and exits (never hangs) when the client goes.
//!
//! Protocol faults: bytes that are not JSON, JSON that is not JSON-RPC, broken framing,
//! wrong or missing params (→ InvalidParams), unknown methods (→ MethodNotFound), positions
//! and ranges outside the document, documents never opened, requests after `shutdown`, and
//! clients that vanish at every stage. Workspace faults: a KB file with a TOML error, notes
//! that are not UTF-8, a 50 MB note, files deleted and renamed while indexing, symlink
//! loops, FIFOs and unreadable files.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{capabilities, position_of, uri, Client, TIMEOUT};

const NOTE: &str =
    "カザフスタンのトカエフ大統領は首都キエフを訪れた。\n𠮷野家の前で「会談」した。\r\n【2023年10月21日 AFP】\n";

// ---------------------------------------------------------------------------------------
// A raw client: bytes in, JSON out, stderr kept. Used where the shared test client is too
// polite (broken framing, unanswered server requests, a half-written message at EOF).

struct Raw {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    stderr: Arc<Mutex<String>>,
    /// Cleared to stop reading the server's output (the pipe then fills up).
    reading: Arc<AtomicBool>,
    _cache: tempfile::TempDir,
}

fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("the server writes JSON"))
}

impl Raw {
    fn spawn() -> Raw {
        let cache = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_seed-lsp"))
            .env("XDG_CACHE_HOME", cache.path())
            .env("SEED_LSP_LOG", "info")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn seed-lsp");
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = mpsc::channel();
        let reading = Arc::new(AtomicBool::new(true));
        let keep_reading = reading.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while keep_reading.load(Ordering::Acquire) {
                let Some(message) = read_frame(&mut reader) else { return };
                if tx.send(message).is_err() {
                    return;
                }
            }
            // Hold the pipe open without reading it, like a client that hung.
            loop {
                std::thread::park();
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let stdin = child.stdin.take();
        Raw {
            child,
            stdin,
            incoming,
            stderr,
            reading,
            _cache: cache,
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn frame(&mut self, body: &[u8]) {
        let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        bytes.extend_from_slice(body);
        self.write(&bytes);
    }

    fn request(&mut self, id: i64, method: &str, params: Value) {
        let message = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
        self.frame(message.to_string().as_bytes());
    }

    fn initialize(&mut self, root: &Path, capabilities: Value) {
        self.request(
            0,
            "initialize",
            json!({ "processId": null, "rootUri": uri(root), "capabilities": capabilities }),
        );
        let answer = self.response(&json!(0));
        assert!(answer.get("result").is_some(), "{answer}");
        self.frame(br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#);
    }

    /// The next message that is a response (notifications and server requests skipped).
    fn next_response(&mut self) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let timeout = deadline.saturating_duration_since(Instant::now());
            let message = self.incoming.recv_timeout(timeout).expect("a response from the server");
            if message.get("method").is_none() {
                return message;
            }
        }
    }

    /// The response with this id; other responses are kept in `others`.
    fn response(&mut self, id: &Value) -> Value {
        loop {
            let message = self.next_response();
            if &message["id"] == id {
                return message;
            }
        }
    }

    /// A server request (it has a method and an id), left unanswered.
    fn server_request(&mut self, method: &str) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let timeout = deadline.saturating_duration_since(Instant::now());
            let message = self.incoming.recv_timeout(timeout).expect("a request from the server");
            if message["method"] == method && message.get("id").is_some() {
                return message;
            }
        }
    }

    /// Stop reading the server's output (after the message being read, if any).
    fn stop_reading(&mut self) {
        self.reading.store(false, Ordering::Release);
    }

    fn close_stdin(&mut self) {
        self.stdin = None;
    }

    fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not exit within {limit:?}; stderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Wait until stderr contains `needle`.
    fn wait_stderr(&self, needle: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let log = self.stderr();
            if log.contains(needle) {
                return log;
            }
            assert!(Instant::now() < deadline, "{needle:?} never logged; stderr:\n{log}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn started() -> (Client, tempfile::TempDir) {
    let workspace = tempfile::tempdir().unwrap();
    let mut client = Client::spawn();
    client.initialize(workspace.path(), capabilities(&["utf-16"]), Value::Null);
    (client, workspace)
}

fn status(client: &mut Client) -> Value {
    client.request("seedLsp/status", Value::Null)
}

fn debug_text(client: &mut Client, uri: &str) -> String {
    client.request("seedLsp/debugText", json!({ "textDocument": { "uri": uri } }))["text"]
        .as_str()
        .unwrap()
        .to_string()
}

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

// ---------------------------------------------------------------------------------------
// Protocol faults.

#[test]
fn garbage_on_the_wire_is_answered_and_the_server_reads_on() {
    let workspace = tempfile::tempdir().unwrap();
    let mut raw = Raw::spawn();
    raw.initialize(workspace.path(), json!({}));
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
        raw.frame(body);
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
        raw.write(header);
        let answer = raw.next_response();
        assert_eq!(
            answer["error"]["code"],
            -32700,
            "{}: {answer}",
            String::from_utf8_lossy(header)
        );
        raw.request(20, "seedLsp/status", Value::Null);
        assert!(raw.response(&json!(20)).get("result").is_some());
    }
    // Blank lines between frames are skipped.
    raw.write(b"\r\n\r\n\n");
    raw.request(21, "seedLsp/status", Value::Null);
    assert!(raw.response(&json!(21)).get("result").is_some());
    // A notification that is not JSON-RPC has no id: answered with id null, nothing else.
    raw.frame(br#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":"nope"}"#);
    let answer = raw.next_response();
    assert_eq!(answer["error"]["code"], -32600, "{answer}");
    raw.request(22, "shutdown", Value::Null);
    assert!(raw.response(&json!(22)).get("error").is_none());
    raw.frame(br#"{"jsonrpc":"2.0","method":"exit"}"#);
    assert_eq!(raw.wait_exit(TIMEOUT).code(), Some(0));
}

/// A client that counts characters instead of bytes in `Content-Length` (an easy mistake
/// with Japanese text) sends a frame whose tail runs into the next header. The server loses
/// that frame, and only that frame: the following messages are read and answered.
#[test]
fn a_wrong_content_length_loses_one_message_not_the_connection() {
    let workspace = tempfile::tempdir().unwrap();
    let mut raw = Raw::spawn();
    raw.initialize(workspace.path(), json!({}));
    let body =
        json!({ "jsonrpc": "2.0", "id": 30, "method": "seedLsp/status", "params": { "note": "トカエフ大統領" } })
            .to_string();
    let chars = body.chars().count();
    assert!(chars < body.len());
    raw.write(format!("Content-Length: {chars}\r\n\r\n{body}").as_bytes());
    for id in 31..35 {
        raw.request(id, "seedLsp/status", Value::Null);
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
    let (mut client, ws) = started();
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
    assert_eq!(debug_text(&mut client, &uri), NOTE);
    assert_eq!(status(&mut client)["openDocuments"], 1);
    assert!(client.stray_responses.is_empty(), "{:?}", client.stray_responses);
    assert!(client.shutdown().success());
}

#[test]
fn unknown_methods_are_method_not_found_and_unknown_notifications_are_ignored() {
    let (mut client, _ws) = started();
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
    let (mut client, ws) = started();
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
    assert_eq!(debug_text(&mut client, &uri), expected);
    assert!(client.shutdown().success());
}

#[test]
fn documents_never_opened_get_empty_answers() {
    let (mut client, ws) = started();
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
    let (mut client, ws) = started();
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
    let mut raw = Raw::spawn();
    raw.close_stdin();
    assert_eq!(raw.wait_exit(limit).code(), Some(1));
    // In the middle of a header, and in the middle of a body.
    for partial in [&b"Content-Len"[..], b"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\","] {
        let mut raw = Raw::spawn();
        raw.initialize(ws.path(), json!({}));
        raw.write(partial);
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
    let mut raw = Raw::spawn();
    raw.initialize(ws.path(), json!({ "workspace": { "configuration": true } }));
    raw.server_request("workspace/configuration");
    for id in 1..20 {
        raw.request(
            id,
            "textDocument/references",
            json!({ "textDocument": { "uri": uri(&ws.path().join("x.txt")) }, "position": { "line": 0, "character": 0 },
                    "context": { "includeDeclaration": true } }),
        );
    }
    raw.close_stdin();
    assert_eq!(raw.wait_exit(limit).code(), Some(1));
    // After shutdown but before exit: a clean end.
    let mut raw = Raw::spawn();
    raw.initialize(ws.path(), json!({}));
    raw.request(1, "shutdown", Value::Null);
    raw.response(&json!(1));
    raw.close_stdin();
    assert_eq!(raw.wait_exit(limit).code(), Some(0));
}

#[test]
fn a_client_that_stops_reading_does_not_hang_the_exit() {
    let ws = tempfile::tempdir().unwrap();
    let mut raw = Raw::spawn();
    raw.initialize(ws.path(), json!({}));
    raw.stop_reading();
    // Flood the server with requests whose answers nobody reads (the pipe fills up), then go.
    let note = uri(&ws.path().join("n.txt"));
    let text = NOTE.repeat(200);
    raw.frame(
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": { "textDocument": { "uri": note, "languageId": "seed", "version": 1, "text": text } } })
        .to_string()
        .as_bytes(),
    );
    for id in 1..200 {
        raw.request(
            id,
            "textDocument/semanticTokens/full",
            json!({ "textDocument": { "uri": note } }),
        );
    }
    raw.close_stdin();
    assert_eq!(raw.wait_exit(Duration::from_secs(20)).code(), Some(1));
}

// ---------------------------------------------------------------------------------------
// Workspace faults.

const KB_GOOD: &str =
    "# workspace KB\n[[entity]]\nid = \"zoltania\"\nname = \"ゾルタニヤ\"\nkind = \"person\"\nen = \"Zoltania Test\"\n";
const ZOLTANIA_NOTE: &str = "大統領府のゾルタニヤ報道官は会見した。\n";

fn hover_text(client: &mut Client, uri: &str, text: &str, needle: &str) -> String {
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": position_of(text, needle, 0, 1, "utf-16") }),
    );
    hover["contents"]["value"].as_str().unwrap_or("").to_string()
}

fn kb_diagnostics(client: &mut Client, kb_uri: &str, accept: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let p = client.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == kb_uri);
        let diagnostics = p["diagnostics"].as_array().cloned().unwrap_or_default();
        if accept(&diagnostics) {
            return diagnostics;
        }
        assert!(Instant::now() < deadline, "never matched: {diagnostics:?}");
    }
}

#[test]
fn a_kb_file_broken_on_disk_shows_its_error_and_the_last_good_kb_stays() {
    let ws = tempfile::tempdir().unwrap();
    let kb_path = ws.path().join("entities.toml");
    std::fs::write(&kb_path, KB_GOOD).unwrap();
    let mut client = Client::spawn();
    client.initialize(ws.path(), capabilities(&["utf-16"]), Value::Null);
    client.wait_indexed();
    let note = client.open(&ws.path().join("note.txt"), ZOLTANIA_NOTE);
    assert!(hover_text(&mut client, &note, ZOLTANIA_NOTE, "ゾルタニヤ").contains("Zoltania Test"));
    let kb_uri = uri(&kb_path);
    let changed = json!({ "changes": [{ "uri": kb_uri, "type": 2 }] });

    // A TOML error on line 5 (0-based 4): an unterminated string.
    std::fs::write(&kb_path, KB_GOOD.replace("kind = \"person\"", "kind = \"person")).unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed.clone());
    let errors = kb_diagnostics(&mut client, &kb_uri, |d| !d.is_empty());
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
    let errors = kb_diagnostics(&mut client, &kb_uri, |d| {
        d.iter().any(|e| e["message"].as_str().unwrap().contains("UTF-8"))
    });
    assert_eq!(errors[0]["range"]["start"]["line"], 0, "{errors:?}");
    assert!(hover_text(&mut client, &note, ZOLTANIA_NOTE, "ゾルタニヤ").contains("Zoltania Test"));

    // Fixed: the problems go away.
    std::fs::write(&kb_path, KB_GOOD).unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed);
    kb_diagnostics(&mut client, &kb_uri, <[Value]>::is_empty);
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
    let mut raw = Raw::spawn();
    raw.initialize(root, json!({}));
    let log = raw.wait_stderr("indexed");
    for name in ["sjis.txt", "utf16.txt", "latin1.txt", "cut.txt"] {
        assert!(
            log.lines().any(|l| l.contains(name) && l.contains("not UTF-8")),
            "no message for {name}:\n{log}"
        );
    }
    raw.request(1, "seedLsp/status", Value::Null);
    let status = raw.response(&json!(1));
    assert_eq!(status["result"]["indexedFiles"], 2, "{status}");
    // References see the two readable notes, the BOM one included.
    let text = "トカエフ\n";
    let open = uri(&root.join("open.txt"));
    raw.frame(
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": { "textDocument": { "uri": open, "languageId": "seed", "version": 1, "text": text } } })
        .to_string()
        .as_bytes(),
    );
    raw.request(
        2,
        "textDocument/references",
        json!({ "textDocument": { "uri": open }, "position": { "line": 0, "character": 1 },
                "context": { "includeDeclaration": false } }),
    );
    let found = raw.response(&json!(2));
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
    let seed = std::fs::read_to_string(support::seed_path(Path::new(env!("CARGO_MANIFEST_DIR")), "000")).unwrap();
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
    let text = debug_text(&mut client, &big_uri);
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
    assert_eq!(self::status(&mut client)["openDocuments"], 1);
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
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let found = client.request(
            "textDocument/references",
            json!({ "textDocument": { "uri": open }, "position": { "line": 0, "character": 1 },
                    "context": { "includeDeclaration": false } }),
        );
        let mut files: Vec<String> = found
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["uri"].as_str().unwrap().to_string())
            .collect();
        files.sort();
        files.dedup();
        if files == expected {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{} files found, {} expected",
            files.len(),
            expected.len()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
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
    let found = client.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": open }, "position": { "line": 0, "character": 1 },
                "context": { "includeDeclaration": false } }),
    );
    let mut files: Vec<String> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap().to_string())
        .collect();
    files.sort();
    files.dedup();
    assert!(files.contains(&uri(&root.join("good.txt"))), "{files:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "odd files slowed the server: {:?}",
        started.elapsed()
    );
    assert_eq!(self::status(&mut client)["openDocuments"], 1);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(client.shutdown().success());
}

/// Every file under `root` with its contents (symlinks not followed).
fn snapshot_tree(root: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
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
    let ws = support::seed_workspace();
    let root = ws.path();
    let before = snapshot_tree(root);
    let mut client = Client::spawn();
    client.initialize(root, capabilities(&["utf-16"]), Value::Null);
    client.wait_indexed();
    let path = support::seed_path(root, "000");
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
