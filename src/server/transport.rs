//! The input side of the transport: a pump between the client's byte stream and
//! tower-lsp-server that lets only well-formed JSON-RPC messages through.
//!
//! Why: tower-lsp-server reads frames with `tokio_util`'s `FramedRead`, which ends the
//! stream after the first decoding error — one message that is not JSON would stop the
//! server from reading anything else. So frames are checked here first. A valid message is
//! passed on byte for byte; a frame whose body is not JSON, or not a JSON-RPC message, is
//! replaced by a request to [`MALFORMED`], which the server answers with the matching
//! JSON-RPC error (`-32700` parse error with id `null`, or `-32600` invalid request with
//! the message's id when it has one). Garbage between frames is skipped up to the next
//! `Content-Length` header.
//!
//! The pump ends at the end of the input; [`serve`](super::serve) uses that to stop waiting
//! for a client that vanished.

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};

/// The request malformed frames are turned into (params: `{ code, message }`).
pub const MALFORMED: &str = "seedLsp/malformed";

/// Largest header line accepted (anything longer is garbage).
const MAX_HEADER_LINE: usize = 1024;

/// Start pumping `input`; returns what tower-lsp should read and the pump's task.
pub fn sanitise(input: impl AsyncRead + Unpin + Send + 'static) -> (DuplexStream, tokio::task::JoinHandle<()>) {
    let (mut to_server, from_pump) = tokio::io::duplex(1 << 16);
    let pump = tokio::spawn(async move {
        let mut input = BufReader::new(input);
        loop {
            let frame = match read_frame(&mut input).await {
                Ok(Some(frame)) => frame,
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!("reading the client's input failed: {e}");
                    break;
                }
            };
            let body = match frame {
                Frame::Body(body) => checked(body),
                Frame::BadHeader(why) => replacement(Value::Null, -32700, &format!("Parse error: {why}")),
            };
            let header = format!("Content-Length: {}\r\n\r\n", body.len());
            if to_server.write_all(header.as_bytes()).await.is_err() || to_server.write_all(&body).await.is_err() {
                break;
            }
        }
        let _ = to_server.shutdown().await;
    });
    (from_pump, pump)
}

enum Frame {
    Body(Vec<u8>),
    BadHeader(String),
}

/// Read one frame: headers up to an empty line, then `Content-Length` bytes. `None` at the
/// end of the input.
async fn read_frame(input: &mut BufReader<impl AsyncRead + Unpin>) -> std::io::Result<Option<Frame>> {
    let mut length: Option<usize> = None;
    let mut bad: Option<String> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        let n = (&mut *input)
            .take(MAX_HEADER_LINE as u64)
            .read_until(b'\n', &mut line)
            .await?;
        if n == 0 {
            return Ok(if saw_header {
                Some(Frame::BadHeader("truncated header".into()))
            } else {
                None
            });
        }
        let text = String::from_utf8_lossy(&line);
        let mut text = text.trim_end_matches(['\r', '\n']);
        // Resynchronise: after a frame whose Content-Length was wrong, the rest of its body
        // runs into the next header line. The header starts a new frame.
        if let Some(at) = text.find("Content-Length:").filter(|&at| at > 0) {
            text = &text[at..];
            (length, bad) = (None, None);
        }
        if text.is_empty() {
            if !saw_header {
                continue;
            }
            break;
        }
        saw_header = true;
        match text.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad = Some(format!("invalid Content-Length {:?}", value.trim())),
                }
            }
            Some((name, _)) if name.trim().eq_ignore_ascii_case("content-type") => {}
            _ => bad = Some(format!("unexpected header line {text:?}")),
        }
    }
    let Some(length) = length else {
        return Ok(Some(Frame::BadHeader(
            bad.unwrap_or_else(|| "missing Content-Length".into()),
        )));
    };
    let mut body = vec![0; length];
    input.read_exact(&mut body).await?;
    Ok(Some(match bad {
        Some(why) => Frame::BadHeader(why),
        None => Frame::Body(body),
    }))
}

/// The body itself when it is a JSON-RPC message, else its replacement.
fn checked(body: Vec<u8>) -> Vec<u8> {
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return replacement(Value::Null, -32700, &format!("Parse error: {e}")),
    };
    let id = value
        .get("id")
        .cloned()
        .filter(|id| id.is_string() || id.is_number() || id.is_null());
    let valid = value.get("jsonrpc") == Some(&json!("2.0"))
        && match value.get("method") {
            Some(method) => {
                method.is_string()
                    && value
                        .get("params")
                        .is_none_or(|p| p.is_object() || p.is_array() || p.is_null())
                    && value.get("id").is_none_or(|_| id.is_some())
            }
            None => id.is_some() && (value.get("result").is_some() || value.get("error").is_some()),
        };
    if valid {
        body
    } else {
        replacement(
            id.unwrap_or(Value::Null),
            -32600,
            "Invalid request: not a JSON-RPC 2.0 message",
        )
    }
}

fn replacement(id: Value, code: i64, message: &str) -> Vec<u8> {
    tracing::warn!("malformed message from the client: {message}");
    let request = json!({
        "jsonrpc": "2.0",
        "id": id,
        "method": MALFORMED,
        "params": { "code": code, "message": message },
    });
    serde_json::to_vec(&request).expect("a JSON value serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pumped(input: &'static [u8]) -> Vec<Value> {
        let (mut out, pump) = sanitise(input);
        let mut all = Vec::new();
        out.read_to_end(&mut all).await.unwrap();
        pump.await.unwrap();
        let mut messages = Vec::new();
        let mut rest = &all[..];
        while let Some(i) = rest.windows(4).position(|w| w == b"\r\n\r\n") {
            let header = std::str::from_utf8(&rest[..i]).unwrap();
            let n: usize = header.trim_start_matches("Content-Length: ").parse().unwrap();
            messages.push(serde_json::from_slice(&rest[i + 4..i + 4 + n]).unwrap());
            rest = &rest[i + 4 + n..];
        }
        messages
    }

    #[tokio::test]
    async fn valid_messages_pass_and_broken_ones_become_error_requests() {
        let input = b"Content-Length: 40\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"}   \
Content-Length: 6\r\n\r\n{ nope\
Content-Length: 30\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":7,\"x\":1}\
X-Junk: 1\r\n\r\n";
        let messages = pumped(input).await;
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert_eq!(messages[0]["method"], "x");
        assert_eq!(messages[1]["method"], MALFORMED);
        assert_eq!(messages[1]["id"], Value::Null);
        assert_eq!(messages[1]["params"]["code"], -32700);
        assert_eq!(messages[2]["id"], 7);
        assert_eq!(messages[2]["params"]["code"], -32600);
        assert_eq!(messages[3]["params"]["code"], -32700);
    }

    #[tokio::test]
    async fn a_wrong_content_length_loses_one_message_only() {
        // Declared 20 bytes for a 37-byte body: the frame is broken, the next one is read.
        let input = b"Content-Length: 20\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"}\
Content-Length: 37\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"y\"}";
        let messages = pumped(input).await;
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert_eq!(messages[0]["params"]["code"], -32700);
        assert_eq!(messages[1]["method"], "y");
        assert_eq!(messages[1]["id"], 2);
    }
}
