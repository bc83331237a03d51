//! A minimal LSP client for the integration tests: spawns the built `seed-lsp` binary and
//! speaks Content-Length framed JSON-RPC over its stdin/stdout. It answers the server's own
//! requests (`workspace/configuration` with the test's settings, `client/registerCapability`
//! and `window/workDoneProgress/create` with `null`) and keeps every notification so tests
//! can wait for diagnostics or progress.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long a test waits for an answer before failing.
pub const TIMEOUT: Duration = Duration::from_secs(30);

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Notifications received and not yet consumed.
    pub notifications: Vec<Value>,
    /// Requests the server sent us (already answered).
    pub server_requests: Vec<Value>,
    /// Responses to no request of ours (a parse error is answered with id null).
    pub stray_responses: Vec<Value>,
    /// What `workspace/configuration` answers for the `seedLsp` section.
    pub settings: Value,
    /// Keeps the cache directory alive.
    _cache: tempfile::TempDir,
}

/// A `file://` URI for a path.
pub fn uri(path: &Path) -> String {
    seed_lsp::proto::lsp_json::file_uri(path)
}

/// A temporary workspace holding copies of the repository's seed notes (not the KB: the
/// built-in one is compiled in).
pub fn seed_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    std::fs::create_dir_all(dir.path().join("seeds")).unwrap();
    for entry in std::fs::read_dir(&seeds).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            std::fs::copy(&path, dir.path().join("seeds").join(path.file_name().unwrap())).unwrap();
        }
    }
    dir
}

/// The path of a seed note in a workspace made by [`seed_workspace`].
pub fn seed_path(root: &Path, prefix: &str) -> PathBuf {
    let dir = root.join("seeds");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    names
        .into_iter()
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap()
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
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

impl Client {
    pub fn spawn() -> Client {
        Client::spawn_with(&[], &[])
    }

    pub fn spawn_with_args(args: &[&str]) -> Client {
        Client::spawn_with(args, &[])
    }

    pub fn spawn_with(args: &[&str], env: &[(&str, &str)]) -> Client {
        let cache = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_seed-lsp"))
            .args(args)
            .envs(env.iter().copied())
            .env("XDG_CACHE_HOME", cache.path())
            .env(
                "SEED_LSP_LOG",
                std::env::var("SEED_LSP_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn seed-lsp");
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            incoming,
            next_id: 1,
            notifications: Vec::new(),
            server_requests: Vec::new(),
            stray_responses: Vec::new(),
            settings: Value::Null,
            _cache: cache,
        }
    }

    pub fn send_raw(&mut self, body: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        stdin.write_all(body).unwrap();
        stdin.flush().unwrap();
    }

    pub fn send(&mut self, message: &Value) {
        self.send_raw(serde_json::to_string(message).unwrap().as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Send a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        id
    }

    /// The next message from the server, answering server requests on the way.
    fn next_message(&mut self, deadline: Instant) -> Option<Value> {
        let timeout = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(timeout) {
            Ok(message) => {
                if message.get("method").is_some() && message.get("id").is_some() {
                    let result = match message["method"].as_str() {
                        Some("workspace/configuration") => {
                            let items = message["params"]["items"].as_array().map_or(0, Vec::len);
                            Value::Array(vec![self.settings.clone(); items])
                        }
                        _ => Value::Null,
                    };
                    let id = message["id"].clone();
                    self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": result }));
                    self.server_requests.push(message.clone());
                }
                Some(message)
            }
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Keep a message nobody is waiting for yet.
    fn keep(&mut self, message: Value) {
        match (message.get("method").is_some(), message.get("id").is_some()) {
            (true, false) => self.notifications.push(message),
            (false, _) => self.stray_responses.push(message),
            (true, true) => {} // a server request, already answered
        }
    }

    /// Wait for the response to request `id` (the whole response object).
    pub fn response(&mut self, id: i64) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self
                .next_message(deadline)
                .unwrap_or_else(|| panic!("no response to request {id}"));
            if message.get("method").is_none() && message["id"] == json!(id) {
                return message;
            }
            self.keep(message);
        }
    }

    /// Request and return the full response object (result or error).
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Request and return the result; panics on an error response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        if let Some(error) = response.get("error") {
            panic!("{method} failed: {error}");
        }
        response["result"].clone()
    }

    /// Wait for a notification matching `accept` (kept notifications are searched first).
    pub fn wait_for(&mut self, method: &str, accept: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self
            .notifications
            .iter()
            .position(|n| n["method"] == method && accept(&n["params"]))
        {
            return self.notifications.remove(i)["params"].clone();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self
                .next_message(deadline)
                .unwrap_or_else(|| panic!("no {method} notification"));
            if message["method"] == method && message.get("id").is_none() && accept(&message["params"]) {
                return message["params"].clone();
            }
            self.keep(message);
        }
    }

    /// The diagnostics published for `uri` at `version` (the last such publication is
    /// waited for: a later one for the same version replaces an earlier one).
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let params = self.wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && p["version"] == version
        });
        params["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    /// `initialize` + `initialized` with a workspace folder and client capabilities
    /// (`extra` is merged into the default capabilities); returns the initialize result.
    pub fn initialize(&mut self, root: &Path, capabilities: Value, initialization_options: Value) -> Value {
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(root),
                "workspaceFolders": [{ "uri": uri(root), "name": "ws" }],
                "capabilities": capabilities,
                "initializationOptions": initialization_options,
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    /// Wait until the workspace index is built (the server reports `indexing` from
    /// `initialize` until the index is installed).
    pub fn wait_indexed(&mut self) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let status = self.request("seedLsp/status", Value::Null);
            if status["indexing"] == false {
                return status;
            }
            assert!(Instant::now() < deadline, "indexing did not finish");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn open(&mut self, path: &Path, text: &str) -> String {
        let uri = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "seed", "version": 1, "text": text } }),
        );
        uri
    }

    /// `shutdown` then `exit`; the process's exit status.
    pub fn shutdown(mut self) -> ExitStatus {
        let response = self.request_raw("shutdown", Value::Null);
        assert!(response.get("error").is_none(), "{response}");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    pub fn exit_without_shutdown(mut self) -> ExitStatus {
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    /// Close stdin (the client vanished) and wait for the process.
    pub fn vanish(mut self) -> ExitStatus {
        self.stdin = None;
        self.wait_exit()
    }

    fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Capabilities of a capable client (VS Code-like): markdown hover, progress, watched
/// files, configuration, file creation in workspace edits; `encodings` offered.
pub fn capabilities(encodings: &[&str]) -> Value {
    json!({
        "general": { "positionEncodings": encodings },
        "window": { "workDoneProgress": true },
        "workspace": {
            "configuration": true,
            "didChangeWatchedFiles": { "dynamicRegistration": true },
            "workspaceEdit": { "documentChanges": true, "resourceOperations": ["create", "rename", "delete"] }
        },
        "textDocument": { "hover": { "contentFormat": ["markdown", "plaintext"] } }
    })
}

/// LSP position of the `n`-th (0-based) occurrence of `needle` in `text`, plus `delta`
/// characters, in `encoding` ("utf-8", "utf-16" or "utf-32").
pub fn position_of(text: &str, needle: &str, n: usize, delta: usize, encoding: &str) -> Value {
    let offset = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("{needle:?} #{n} not found"))
        .0;
    let offset = offset + text[offset..].chars().take(delta).map(char::len_utf8).sum::<usize>();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..offset].matches('\n').count();
    let before = &text[line_start..offset];
    let character = match encoding {
        "utf-8" => before.len(),
        "utf-32" => before.chars().count(),
        _ => before.encode_utf16().count(),
    };
    json!({ "line": line, "character": character })
}

/// The text an LSP range covers (positions in `encoding`).
pub fn slice(text: &str, range: &Value, encoding: &str) -> String {
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().unwrap() as usize;
        let character = p["character"].as_u64().unwrap() as usize;
        let start = text.split_inclusive('\n').take(line).map(str::len).sum::<usize>();
        let line_text = text[start..].split('\n').next().unwrap_or("");
        let mut units = 0;
        for (i, c) in line_text.char_indices() {
            if units >= character {
                return start + i;
            }
            units += match encoding {
                "utf-8" => c.len_utf8(),
                "utf-32" => 1,
                _ => c.len_utf16(),
            };
        }
        start + line_text.len()
    };
    let (a, b) = (offset(&range["start"]), offset(&range["end"]));
    text[a..b.max(a)].to_string()
}

/// The path of a `file://` URI.
pub fn path_of(uri: &str) -> PathBuf {
    let raw = uri.strip_prefix("file://").expect("a file URI");
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&raw[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    PathBuf::from(String::from_utf8(out).unwrap())
}

/// The text edits a `WorkspaceEdit` makes to `uri`, from `changes` or `documentChanges`;
/// with the document version the edits were made for (`None` when not given).
pub fn edits_for(edit: &Value, uri: &str) -> (Vec<Value>, Option<i64>) {
    if let Some(edits) = edit["changes"][uri].as_array() {
        return (edits.clone(), None);
    }
    let operations = edit["documentChanges"].as_array().cloned().unwrap_or_default();
    let document = operations.iter().find(|op| op["textDocument"]["uri"] == uri);
    match document {
        Some(d) => (
            d["edits"].as_array().cloned().unwrap_or_default(),
            d["textDocument"]["version"].as_i64(),
        ),
        None => (Vec::new(), None),
    }
}
