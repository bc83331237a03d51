//! stdin and stdout as async byte streams, each served by a thread of its own.
//!
//! Why: tokio's `Stdin`/`Stdout` hand every read, every write and every flush to the
//! blocking pool, so each response cost two round trips between a runtime worker and a
//! pool thread (write, then flush) on top of the read — most of an idle server's request
//! latency on a small machine. Here one thread blocks on stdin and one on stdout; they
//! exchange bytes with the runtime through in-memory duplex pipes, which only wake tasks.
//! The threads drive their end of the pipes with `futures`' executor, not tokio's, so they
//! keep working while the runtime shuts down.

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::Duration;

use futures::executor::block_on;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

/// Bytes buffered between a thread and the runtime.
const PIPE: usize = 1 << 16;

/// The process's stdin and stdout as async streams, and a guard that, once the output
/// stream is dropped, waits a little for the last bytes to reach stdout.
pub fn stdio() -> std::io::Result<(DuplexStream, DuplexStream, Flushed)> {
    let (mut to_runtime, input) = tokio::io::duplex(PIPE);
    std::thread::Builder::new().name("stdin".into()).spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut buf = vec![0; PIPE];
        loop {
            let n = match stdin.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    tracing::warn!("reading stdin failed: {e}");
                    break;
                }
            };
            if block_on(to_runtime.write_all(&buf[..n])).is_err() {
                break;
            }
        }
        // Dropping the pipe ends the input stream.
    })?;
    let (output, mut from_runtime) = tokio::io::duplex(PIPE);
    let (done, flushed) = mpsc::channel();
    std::thread::Builder::new().name("stdout".into()).spawn(move || {
        let mut stdout = std::io::stdout().lock();
        let mut buf = vec![0; PIPE];
        loop {
            let n = match block_on(from_runtime.read(&mut buf)) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            if let Err(e) = stdout.write_all(&buf[..n]).and_then(|()| stdout.flush()) {
                tracing::warn!("writing stdout failed: {e}");
                break;
            }
        }
        let _ = done.send(());
    })?;
    Ok((input, output, Flushed(flushed)))
}

/// Signals that everything written to the output stream reached stdout.
pub struct Flushed(mpsc::Receiver<()>);

impl Flushed {
    /// Wait (at most `timeout`: the client may have stopped reading) until the output
    /// stream, already dropped, has been written out.
    pub fn wait(self, timeout: Duration) {
        let _ = self.0.recv_timeout(timeout);
    }
}
