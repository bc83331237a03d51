//! The output side of the transport: tower-lsp-server's frames and frames the server
//! serialised itself, merged onto the client's byte stream whole, one after another.
//!
//! Why: `Client::publish_diagnostics` turns its params into a `serde_json::Value`, hands the
//! message to tower-lsp's server task, which serialises the `Value` to text — for a note with
//! a hundred diagnostics most of the cost of publishing, and two more tasks on the way. The
//! publisher ([`super::publish`]) instead serialises the notification straight from the typed
//! params into a frame ([`frame`]), on the blocking thread that converted the diagnostics,
//! and puts it in the [`Outbox`]; this pump writes it to the output between two of
//! tower-lsp's frames (it reads their `Content-Length`), so frames never interleave.

use serde::Serialize;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

/// Where frames serialised outside tower-lsp go.
#[derive(Clone)]
pub struct Outbox(UnboundedSender<Vec<u8>>);

impl Outbox {
    /// Queue a whole frame (header and body, never empty); false when the output has ended.
    pub fn send(&self, frame: Vec<u8>) -> bool {
        self.0.send(frame).is_ok()
    }
}

/// A JSON-RPC notification as a frame: `Content-Length` header and body.
pub fn frame(method: &str, params: &impl Serialize) -> Vec<u8> {
    #[derive(Serialize)]
    struct Notification<'a, P> {
        jsonrpc: &'static str,
        method: &'a str,
        params: &'a P,
    }
    let body = serde_json::to_vec(&Notification {
        jsonrpc: "2.0",
        method,
        params,
    })
    .expect("LSP params always serialise");
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(&body);
    frame
}

/// What tower-lsp should write to, the [`Outbox`], and the pump that writes both onto
/// `output`; the pump ends once tower-lsp's stream has ended and what was queued is written.
pub fn merge(output: impl AsyncWrite + Unpin + Send + 'static) -> (DuplexStream, Outbox, tokio::task::JoinHandle<()>) {
    let (to_pump, from_server) = tokio::io::duplex(1 << 16);
    let (outbox, frames) = unbounded_channel();
    // tower-lsp's frames are cut by a task of their own and queued with the others: a read
    // in a `select!` could be cancelled halfway through a frame.
    let reader = Outbox(outbox.clone());
    tokio::spawn(async move {
        let mut server = BufReader::new(from_server);
        while let Some(frame) = read_frame(&mut server).await {
            if !reader.send(frame) {
                return;
            }
        }
        reader.send(Vec::new());
    });
    let pump = tokio::spawn(pump(frames, output));
    (to_pump, Outbox(outbox), pump)
}

/// Writes frames in the order they were queued; an empty one says tower-lsp's stream ended.
async fn pump(mut frames: UnboundedReceiver<Vec<u8>>, mut output: impl AsyncWrite + Unpin) {
    while let Some(frame) = frames.recv().await {
        if frame.is_empty() {
            // What was queued before tower-lsp ended is still written.
            frames.close();
            continue;
        }
        if output.write_all(&frame).await.is_err() || output.flush().await.is_err() {
            break;
        }
    }
    let _ = output.shutdown().await;
}

/// One of tower-lsp's frames, whole: its header lines up to the empty one, then
/// `Content-Length` bytes. `None` at the end of its stream (or if it wrote no length).
async fn read_frame(server: &mut BufReader<DuplexStream>) -> Option<Vec<u8>> {
    let mut frame = Vec::new();
    let mut length = None;
    loop {
        let start = frame.len();
        if server.read_until(b'\n', &mut frame).await.ok()? == 0 {
            return None;
        }
        let line = std::str::from_utf8(&frame[start..]).ok()?.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let start = frame.len();
    frame.resize(start + length?, 0);
    server.read_exact(&mut frame[start..]).await.ok()?;
    Some(frame)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn frames_are_written_whole_whichever_side_they_come_from() {
        let (output, mut client) = tokio::io::duplex(1 << 20);
        let (mut server, outbox, pump) = merge(output);
        let big = "x".repeat(200_000);
        let tower = frame("a", &big);
        // tower-lsp's frame written in two halves, an outbox frame sent in between.
        let (first, second) = tower.split_at(100_000);
        server.write_all(first).await.unwrap();
        let ours = frame("textDocument/publishDiagnostics", &serde_json::json!({ "uri": "u" }));
        assert!(outbox.send(ours.clone()));
        server.write_all(second).await.unwrap();
        drop(server);
        pump.await.unwrap();
        drop(outbox);
        let mut written = Vec::new();
        client.read_to_end(&mut written).await.unwrap();
        let both = |a: &[u8], b: &[u8]| [a, b].concat();
        assert!(
            written == both(&tower, &ours) || written == both(&ours, &tower),
            "frames interleaved"
        );
        assert!(String::from_utf8(ours)
            .unwrap()
            .ends_with(r#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"u"}}"#));
    }
}
