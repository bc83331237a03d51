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

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::value::RawValue;
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
/// The members of a JSON-RPC message this check looks at, borrowed from the frame: checking
/// a 1 MB `didChange` scans it once and copies nothing (tower-lsp parses it afterwards).
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default, borrow, deserialize_with = "present")]
    jsonrpc: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    method: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    id: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    params: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    result: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    error: Option<&'a RawValue>,
}

/// A member that is present (`null` included) is `Some`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

fn checked(body: Vec<u8>) -> Vec<u8> {
    let envelope: Envelope = match serde_json::from_slice(&body) {
        Ok(envelope) => envelope,
        Err(e) => {
            // JSON that is not a message object (an array, a number) is an invalid request;
            // anything else does not parse.
            return match serde_json::from_slice::<IgnoredAny>(&body) {
                Ok(_) => replacement(Value::Null, -32600, "Invalid request: not a JSON-RPC 2.0 message"),
                Err(_) => replacement(Value::Null, -32700, &format!("Parse error: {e}")),
            };
        }
    };
    let first = |raw: Option<&RawValue>| raw.and_then(|r| r.get().bytes().next());
    let id: Option<Value> = envelope
        .id
        .and_then(|r| serde_json::from_str::<Value>(r.get()).ok())
        .filter(|id| id.is_string() || id.is_number() || id.is_null());
    let version = envelope
        .jsonrpc
        .and_then(|r| serde_json::from_str::<String>(r.get()).ok());
    let valid = version.as_deref() == Some("2.0")
        && match envelope.method {
            Some(_) => {
                first(envelope.method) == Some(b'"')
                    && (envelope.params.is_none() || matches!(first(envelope.params), Some(b'{' | b'[' | b'n')))
                    && (envelope.id.is_none() || id.is_some())
            }
            None => id.is_some() && (envelope.result.is_some() || envelope.error.is_some()),
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

    #[test]
    fn responses_and_requests_of_every_shape_are_told_apart() {
        let passes = |body: &str| checked(body.as_bytes().to_vec()) == body.as_bytes();
        // A response whose result is null (the answer to `window/workDoneProgress/create`).
        assert!(passes(r#"{"jsonrpc":"2.0","id":0,"result":null}"#));
        assert!(passes(r#"{"jsonrpc":"2.0","id":"a","error":{"code":1,"message":"m"}}"#));
        assert!(passes(r#"{"jsonrpc":"2.0","method":"exit","params":null}"#));
        assert!(passes(
            r#"{"method":"m","jsonrpc":"2.0","params":[1],"extra":{"a":[]}}"#
        ));
        let code = |body: &str| -> Value {
            let replaced: Value = serde_json::from_slice(&checked(body.as_bytes().to_vec())).unwrap();
            replaced["params"]["code"].clone()
        };
        assert_eq!(code(r#"[{"jsonrpc":"2.0","method":"m"}]"#), -32600, "a batch");
        assert_eq!(code(r#"{"jsonrpc":"1.0","method":"m"}"#), -32600);
        assert_eq!(code(r#"{"jsonrpc":"2.0","method":5}"#), -32600);
        assert_eq!(code(r#"{"jsonrpc":"2.0","method":"m","params":3}"#), -32600);
        assert_eq!(code(r#"{"jsonrpc":"2.0","id":{},"method":"m"}"#), -32600);
        assert_eq!(
            code(r#"{"jsonrpc":"2.0","id":1}"#),
            -32600,
            "a response with neither result nor error"
        );
        assert_eq!(code(r#"{"jsonrpc":"2.0","#), -32700);
    }
}
