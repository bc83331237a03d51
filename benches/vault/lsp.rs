//! A small LSP client for timing the real server: spawns the `seed-lsp` binary, speaks
//! Content-Length framed JSON-RPC over its stdio, answers the server's own requests
//! (progress tokens, capability registration, configuration) and keeps the notifications it
//! may be asked to wait for.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub struct Server {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    kept: VecDeque<Value>,
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
    serde_json::from_slice(&body).ok()
}

impl Server {
    pub fn spawn(binary: &Path, cache: &Path) -> Server {
        let mut child = Command::new(binary)
            .env("XDG_CACHE_HOME", cache)
            // The server's own timings: `VAULT_SERVER_LOG=seed_lsp=debug cargo bench --bench vault`.
            .env(
                "SEED_LSP_LOG",
                std::env::var("VAULT_SERVER_LOG").unwrap_or_else(|_| "error".into()),
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn seed-lsp");
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::with_capacity(1 << 20, stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take().unwrap();
        Server {
            child,
            stdin,
            incoming,
            next_id: 1,
            kept: VecDeque::new(),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).unwrap();
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend_from_slice(&body);
        self.stdin.write_all(&framed).expect("write to the server");
        self.stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The next message, answering server requests on the way; `None` on timeout.
    fn next(&mut self, deadline: Instant) -> Option<Value> {
        let message = self
            .incoming
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .ok()?;
        if message.get("method").is_some() && message.get("id").is_some() {
            let result = match message["method"].as_str() {
                Some("workspace/configuration") => {
                    let items = message["params"]["items"].as_array().map_or(0, Vec::len);
                    Value::Array(vec![Value::Null; items])
                }
                _ => Value::Null,
            };
            let id = message["id"].clone();
            self.send(&json!({ "jsonrpc": "2.0", "id": id, "result": result }));
        }
        Some(message)
    }

    /// Send a request and wait for its response: (result, round-trip time).
    pub fn request(&mut self, method: &str, params: Value, timeout: Duration) -> (Value, Duration) {
        let id = self.next_id;
        self.next_id += 1;
        let started = Instant::now();
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let deadline = started + timeout;
        loop {
            let message = self
                .next(deadline)
                .unwrap_or_else(|| panic!("no answer to {method} within {timeout:?}"));
            if message.get("method").is_none() && message["id"] == json!(id) {
                let elapsed = started.elapsed();
                if let Some(error) = message.get("error") {
                    panic!("{method} failed: {error}");
                }
                return (message["result"].clone(), elapsed);
            }
            self.keep(message);
        }
    }

    fn keep(&mut self, message: Value) {
        let method = message["method"].as_str().unwrap_or("");
        if message.get("id").is_none() && matches!(method, "textDocument/publishDiagnostics" | "$/progress") {
            self.kept.push_back(message);
        }
    }

    /// Wait for a notification `method` whose params `accept`; `None` on timeout.
    pub fn wait_for(&mut self, method: &str, timeout: Duration, accept: impl Fn(&Value) -> bool) -> Option<Value> {
        if let Some(i) = self
            .kept
            .iter()
            .position(|m| m["method"] == method && accept(&m["params"]))
        {
            return self.kept.remove(i).map(|m| m["params"].clone());
        }
        let deadline = Instant::now() + timeout;
        loop {
            let message = self.next(deadline)?;
            if message["method"] == method && message.get("id").is_none() && accept(&message["params"]) {
                return Some(message["params"].clone());
            }
            self.keep(message);
        }
    }

    /// A `/proc/<pid>/status` field in kB (`VmHWM` = peak resident set, `VmRSS` = now).
    pub fn status_kb(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// User + system CPU time of the server so far (`/proc/<pid>/stat`, clock ticks of 10 ms).
    pub fn cpu_time(&self) -> Option<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).ok()?;
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        Some(Duration::from_millis(ticks * 10))
    }

    pub fn shutdown(mut self) {
        let _ = self.request("shutdown", Value::Null, Duration::from_secs(60));
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
