//! The one JSON-RPC client of the integration tests and the vault benchmark
//! (`benches/vault` includes this file): spawns the built `seed-lsp` binary and speaks
//! Content-Length framed JSON-RPC over its stdin/stdout.
//!
//! A polite client (the default) answers the server's own requests —
//! `workspace/configuration` with [`Client::settings`], anything else (capability
//! registration, progress tokens) with `null` — and keeps every notification so a test can
//! wait for diagnostics or progress. A raw client ([`Spawn::raw`]) answers nothing, so a
//! test can leave the server waiting, and writes any bytes it is given
//! ([`Client::write_raw`]): broken framing, a half-written message at EOF. Either can keep
//! the server's stderr ([`Spawn::capture_stderr`]) and stop reading its output
//! ([`Client::stop_reading`]).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long a test waits for an answer before failing.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// A `file://` URI for a path.
pub fn uri(path: &Path) -> String {
    seed_lsp::proto::lsp_json::file_uri(path)
}

/// What becomes of the server's stderr.
enum Stderr {
    /// Shown with the test's output.
    Inherit,
    Discard,
    /// Kept for [`Client::stderr`].
    Capture,
}

/// How to start the server: [`Client::builder`], then [`Spawn::spawn`].
pub struct Spawn {
    args: Vec<String>,
    env: Vec<(String, String)>,
    current_dir: Option<PathBuf>,
    log: String,
    stderr: Stderr,
    raw: bool,
}

impl Spawn {
    pub fn args(mut self, args: &[&str]) -> Spawn {
        self.args.extend(args.iter().map(|a| a.to_string()));
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Spawn {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn current_dir(mut self, dir: &Path) -> Spawn {
        self.current_dir = Some(dir.to_path_buf());
        self
    }

    /// `SEED_LSP_LOG` of the server (default: the test's own `SEED_LSP_LOG`, else `warn`).
    pub fn log(mut self, filter: &str) -> Spawn {
        self.log = filter.into();
        self
    }

    pub fn discard_stderr(mut self) -> Spawn {
        self.stderr = Stderr::Discard;
        self
    }

    pub fn capture_stderr(mut self) -> Spawn {
        self.stderr = Stderr::Capture;
        self
    }

    /// Answer none of the server's requests.
    pub fn raw(mut self) -> Spawn {
        self.raw = true;
        self
    }

    pub fn spawn(self) -> Client {
        let cache = tempfile::tempdir().unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_seed-lsp"));
        if let Some(dir) = &self.current_dir {
            command.current_dir(dir);
        }
        let mut child = command
            .args(&self.args)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .env("XDG_CACHE_HOME", cache.path())
            .env("SEED_LSP_LOG", &self.log)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(match self.stderr {
                Stderr::Inherit => Stdio::inherit(),
                Stderr::Discard => Stdio::null(),
                Stderr::Capture => Stdio::piped(),
            })
            .spawn()
            .expect("spawn seed-lsp");
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = mpsc::channel();
        let reading = Arc::new(AtomicBool::new(true));
        let keep_reading = reading.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::with_capacity(1 << 20, stdout);
            while keep_reading.load(Ordering::Acquire) {
                let Some(message) = read_message(&mut reader) else {
                    return;
                };
                if tx.send(message).is_err() {
                    return;
                }
            }
            // Hold the pipe open without reading it, like a client that hung.
            loop {
                std::thread::park();
            }
        });
        let stderr = child.stderr.take().map(|mut err| {
            let log = Arc::new(Mutex::new(String::new()));
            let sink = log.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = err.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            });
            log
        });
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            incoming,
            raw: self.raw,
            stderr,
            reading,
            next_id: 1,
            timeout: TIMEOUT,
            notifications: Vec::new(),
            server_requests: Vec::new(),
            stray_responses: Vec::new(),
            settings: Value::Null,
            _cache: cache,
        }
    }
}

/// A running server and what it has sent.
pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    raw: bool,
    stderr: Option<Arc<Mutex<String>>>,
    /// Cleared to stop reading the server's output (the pipe then fills up).
    reading: Arc<AtomicBool>,
    next_id: i64,
    /// How long to wait for an answer, a notification or the exit ([`TIMEOUT`] unless set).
    pub timeout: Duration,
    /// Notifications received and not yet consumed.
    pub notifications: Vec<Value>,
    /// Requests the server sent us (answered unless the client is raw).
    pub server_requests: Vec<Value>,
    /// Responses to no request of ours (a parse error is answered with id null).
    pub stray_responses: Vec<Value>,
    /// What `workspace/configuration` answers for the `seedLsp` section.
    pub settings: Value,
    /// Keeps the cache directory alive.
    _cache: tempfile::TempDir,
}

/// One framed message; `None` at the end of the stream or on a broken frame.
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
    pub fn builder() -> Spawn {
        Spawn {
            args: Vec::new(),
            env: Vec::new(),
            current_dir: None,
            log: std::env::var("SEED_LSP_LOG").unwrap_or_else(|_| "warn".into()),
            stderr: Stderr::Inherit,
            raw: false,
        }
    }

    pub fn spawn() -> Client {
        Client::builder().spawn()
    }

    /// A raw client with the server's stderr kept, logging at `info`.
    pub fn spawn_raw() -> Client {
        Client::builder().raw().log("info").capture_stderr().spawn()
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Bytes as they are, no framing added.
    pub fn write_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    /// One frame around `body`, whatever it holds.
    pub fn send_frame(&mut self, body: &[u8]) {
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend_from_slice(body);
        self.write_raw(&framed);
    }

    pub fn send(&mut self, message: &Value) {
        self.send_frame(&serde_json::to_vec(message).unwrap());
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

    /// The next message from the server, answering server requests on the way (unless raw).
    fn next_message(&mut self, deadline: Instant, waiting_for: &str) -> Value {
        let timeout = deadline.saturating_duration_since(Instant::now());
        let message = self
            .incoming
            .recv_timeout(timeout)
            .unwrap_or_else(|_| panic!("{} (server pid {})", waiting_for, self.pid()));
        if message.get("method").is_some() && message.get("id").is_some() {
            if !self.raw {
                let result = match message["method"].as_str() {
                    Some("workspace/configuration") => {
                        let items = message["params"]["items"].as_array().map_or(0, Vec::len);
                        Value::Array(vec![self.settings.clone(); items])
                    }
                    _ => Value::Null,
                };
                let id = message["id"].clone();
                self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": result }));
            }
            self.server_requests.push(message.clone());
        }
        message
    }

    /// Keep a message nobody is waiting for yet.
    fn keep(&mut self, message: Value) {
        match (message.get("method").is_some(), message.get("id").is_some()) {
            (true, false) => self.notifications.push(message),
            (false, _) => self.stray_responses.push(message),
            (true, true) => {} // a server request, already kept
        }
    }

    fn deadline(&self) -> Instant {
        Instant::now() + self.timeout
    }

    /// The next response to arrive, whatever its id (responses kept earlier are not
    /// looked at; notifications on the way are kept).
    pub fn next_response(&mut self) -> Value {
        let deadline = self.deadline();
        loop {
            let message = self.next_message(deadline, "no response from the server");
            if message.get("method").is_none() {
                return message;
            }
            self.keep(message);
        }
    }

    /// Wait for the response to request `id` (the whole response object).
    pub fn response(&mut self, id: i64) -> Value {
        let deadline = self.deadline();
        loop {
            let message = self.next_message(deadline, &format!("no response to request {id}"));
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

    /// Request and return the result; panics on an error response or one without a result.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        if let Some(error) = response.get("error") {
            panic!("{method} failed: {error}");
        }
        response
            .get("result")
            .unwrap_or_else(|| panic!("{method}: a response without a result: {response}"))
            .clone()
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
        let deadline = self.deadline();
        loop {
            let message = self.next_message(deadline, &format!("no {method} notification"));
            if message["method"] == method && message.get("id").is_none() && accept(&message["params"]) {
                return message["params"].clone();
            }
            self.keep(message);
        }
    }

    /// Wait for a request of the server's (kept ones first); a raw client leaves it
    /// unanswered.
    pub fn server_request(&mut self, method: &str) -> Value {
        if let Some(request) = self.server_requests.iter().find(|r| r["method"] == method) {
            return request.clone();
        }
        let deadline = self.deadline();
        loop {
            let message = self.next_message(deadline, &format!("no {method} request from the server"));
            if message["method"] == method && message.get("id").is_some() {
                return message;
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

    /// `initialize` + `initialized` with a workspace folder and client capabilities;
    /// returns the initialize result.
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

    /// Wait until the workspace index is built, near misses included (the server reports
    /// `indexing` from `initialize` until the index is installed, then `findingNearMisses`
    /// until its background phase is over).
    pub fn wait_indexed(&mut self) -> Value {
        let deadline = self.deadline();
        loop {
            let status = self.request("seedLsp/status", Value::Null);
            if status["indexing"] == false && status["findingNearMisses"] != true {
                return status;
            }
            assert!(Instant::now() < deadline, "indexing did not finish");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `didOpen` of `text` at version 1; returns the document's URI.
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
        self.wait_exit(self.timeout)
    }

    pub fn exit_without_shutdown(mut self) -> ExitStatus {
        self.notify("exit", Value::Null);
        self.wait_exit(self.timeout)
    }

    /// Close stdin (the client vanished) and wait for the process.
    pub fn vanish(mut self) -> ExitStatus {
        self.close_stdin();
        self.wait_exit(self.timeout)
    }

    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Stop reading the server's output (after the message being read, if any).
    pub fn stop_reading(&mut self) {
        self.reading.store(false, Ordering::Release);
    }

    /// The exit status, once the process has ended; fails after `limit`.
    pub fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
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

    /// What the server wrote to stderr so far (captured clients; empty otherwise).
    pub fn stderr(&self) -> String {
        self.stderr
            .as_ref()
            .map(|s| s.lock().unwrap().clone())
            .unwrap_or_default()
    }

    /// Wait until stderr contains `needle`.
    pub fn wait_stderr(&self, needle: &str) -> String {
        let deadline = self.deadline();
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

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
