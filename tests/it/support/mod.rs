//! What the integration tests share: the one JSON-RPC client ([`client`]), workspaces made
//! of the seed notes, LSP positions and ranges in any encoding, the requests several areas
//! make, and running the command line.

pub mod client;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub use client::{uri, Client, TIMEOUT};

/// A workspace KB file defining one fictional person, ゾルタニヤ, on its lines 2 to 6.
pub const KB_ZOLTANIA: &str =
    "# workspace KB\n[[entity]]\nid = \"zoltania\"\nname = \"ゾルタニヤ\"\nkind = \"person\"\nen = \"Zoltania Test\"\n";

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

/// The path of the seed note whose name starts with `prefix`, under `root/seeds` (a
/// workspace made by [`seed_workspace`], or the repository itself).
pub fn seed_path(root: &Path, prefix: &str) -> PathBuf {
    let dir = root.join("seeds");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    names
        .into_iter()
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap()
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

/// A server initialised on an empty workspace with [`capabilities`]`(encodings)`; returns
/// (client, workspace, initialize result).
pub fn started(encodings: &[&str]) -> (Client, tempfile::TempDir, Value) {
    let workspace = tempfile::tempdir().unwrap();
    let mut client = Client::spawn();
    let result = client.initialize(workspace.path(), capabilities(encodings), Value::Null);
    (client, workspace, result)
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

/// `%XX` escapes decoded (the text must be UTF-8 once decoded).
pub fn percent_decode(escaped: &str) -> String {
    let bytes = escaped.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&escaped[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The path of a `file://` URI.
pub fn path_of(uri: &str) -> PathBuf {
    PathBuf::from(percent_decode(uri.strip_prefix("file://").expect("a file URI")))
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

/// `seedLsp/status`: what the server holds (open documents, indexed files, encoding…).
pub fn status(client: &mut Client) -> Value {
    client.request("seedLsp/status", Value::Null)
}

/// `seedLsp/debugText`: the server's text and version of an open document.
pub fn debug_text(client: &mut Client, uri: &str) -> Value {
    client.request("seedLsp/debugText", json!({ "textDocument": { "uri": uri } }))
}

/// Hover one character into the first `needle` of `text` (UTF-16 positions).
pub fn hover(client: &mut Client, uri: &str, text: &str, needle: &str) -> Value {
    client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": position_of(text, needle, 0, 1, "utf-16") }),
    )
}

/// The card [`hover`] shows (empty when there is none).
pub fn hover_text(client: &mut Client, uri: &str, text: &str, needle: &str) -> String {
    hover(client, uri, text, needle)["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// Wait for diagnostics of `uri` that satisfy `accept` (earlier publications are skipped).
pub fn diagnostics_until(client: &mut Client, uri: &str, accept: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let params = client.wait_for("textDocument/publishDiagnostics", |p| p["uri"] == uri);
        let diagnostics = params["diagnostics"].as_array().cloned().unwrap_or_default();
        if accept(&diagnostics) {
            return diagnostics;
        }
        assert!(
            Instant::now() < deadline,
            "diagnostics never matched; last: {diagnostics:?}"
        );
    }
}

/// The files `references` (declaration excluded) finds from `position` in `uri`: their
/// URIs, sorted, each once.
pub fn reference_files(client: &mut Client, uri: &str, position: Value) -> Vec<String> {
    let found = client.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": uri }, "position": position,
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
    files
}

/// Poll [`reference_files`] of the first トカエフ in `uri` until `accept` holds.
pub fn references_until(client: &mut Client, uri: &str, text: &str, accept: impl Fn(&[String]) -> bool) -> Vec<String> {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let files = reference_files(client, uri, position_of(text, "トカエフ", 0, 1, "utf-16"));
        if accept(&files) {
            return files;
        }
        assert!(Instant::now() < deadline, "references never matched: {files:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The output of one run of the command line.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run the binary in `dir` with `args` (its standard input empty: a check that read it would
/// otherwise wait forever).
pub fn seed_lsp(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_seed-lsp"))
        .current_dir(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}
