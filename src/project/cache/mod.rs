//! The index cache: each note's summary kept between runs of the server, so that a start
//! re-reads only the notes that changed (a warm start).
//!
//! One file per workspace root, `<cache>/seed-lsp/index/<hash of the root path>.idx`
//! (`<cache>`: `$SEED_LSP_CACHE_DIR` if set, else the user cache folder —
//! `$XDG_CACHE_HOME` or `~/.cache` on Linux, `~/Library/Caches` on macOS, `%LOCALAPPDATA%`
//! on Windows); `SEED_LSP_CACHE=off` turns it off. A file is a header — magic, format,
//! program version, the root, the [`fingerprint`] of what summaries depend on (the KB's
//! files and texts, the position encoding), the payload's length and checksum — and the
//! payload (`format.rs`): per note its path, its [`NoteKey`] (size and modification time,
//! compared for equality only, never read as a date), the entities it names exactly, the
//! near misses that wait for the workspace, those the workspace confirmed, and the summary
//! made with them (one summary per note: a note is read again only when the confirmations
//! change).
//!
//! Nothing read back is trusted: a file that is truncated, damaged (checksum), of another
//! format or version, made with another KB or encoding, or of another root is discarded
//! with a log line, and the notes are read again. Every length is checked against the
//! bytes that are left (`bytes.rs`), so no input panics or allocates beyond its size.
//! Files are written whole: to a new temporary file in the same folder, synced, renamed
//! over the old one.

mod bytes;
mod format;
pub mod index;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use bytes::{hash64, Corrupt, Reader, Writer};

use super::read::read_binary;
use crate::analysis::facts::WorkspaceFacts;
use crate::base::PositionEncoding;
use crate::ide::{FileSummary, KbSet};
use crate::kb::EntityId;

const MAGIC: &[u8; 8] = b"seedlspi";
/// Bumped whenever the layout of the file changes.
const FORMAT: u32 = 3;
/// A larger file is not read.
const MAX_CACHE_BYTES: u64 = 1 << 30;

/// What tells whether a note changed since it was summarised: its size and modification
/// time, compared for equality (a change key; the time is never read as a date).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoteKey {
    pub size: u64,
    pub mtime_secs: i64,
    pub mtime_nanos: u32,
}

impl NoteKey {
    /// The key of the file at `path` now (`None`: it cannot be examined).
    pub fn of(path: &Path) -> Option<NoteKey> {
        let metadata = std::fs::metadata(path).ok()?;
        let (mtime_secs, mtime_nanos) = match metadata.modified().ok()?.duration_since(UNIX_EPOCH) {
            Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
            Err(before) => (
                -(before.duration().as_secs() as i64) - 1,
                before.duration().subsec_nanos(),
            ),
        };
        Some(NoteKey {
            size: metadata.len(),
            mtime_secs,
            mtime_nanos,
        })
    }
}

/// One note as the index cache keeps it: what the workspace pass learns of it, in the terms
/// of the KB it was made with.
#[derive(Clone, Debug)]
pub struct CachedNote {
    pub key: NoteKey,
    /// The entities the note names exactly, one per mention (what pass one tallies).
    pub exact: Vec<EntityId>,
    /// The entities whose mention elsewhere would confirm a near miss of the note.
    pub waiting_for: Vec<EntityId>,
    /// The ones the workspace confirmed when [`CachedNote::summary`] was made.
    pub confirmed: Vec<EntityId>,
    /// The note's summary, made with those confirmations.
    pub summary: Arc<FileSummary>,
}

impl CachedNote {
    /// The near misses of [`CachedNote::waiting_for`] that `facts` confirm.
    pub fn confirmed(&self, facts: &WorkspaceFacts) -> Vec<EntityId> {
        facts.confirmed(&self.waiting_for)
    }

    /// The note's summary given the workspace `facts`, when the record has it: made with
    /// the near misses these facts confirm.
    pub fn summary_given(&self, facts: &WorkspaceFacts) -> Option<Arc<FileSummary>> {
        (self.confirmed(facts) == self.confirmed).then(|| self.summary.clone())
    }
}

/// What every summary in a cache depends on besides its note: the program and the cache
/// format, the KB's files and their texts, the position encoding of the spans.
pub fn fingerprint(kb: &KbSet, encoding: PositionEncoding) -> u64 {
    let mut h = hash64(u64::from(FORMAT), env!("CARGO_PKG_VERSION").as_bytes());
    h = hash64(h, format!("{encoding:?}").as_bytes());
    for (name, text) in kb.texts() {
        h = hash64(h, name.as_bytes());
        h = hash64(h, text.as_bytes());
    }
    h
}

/// The folder of the index caches, or `None` when the cache is off or there is no cache
/// folder.
pub fn cache_dir() -> Option<PathBuf> {
    if std::env::var("SEED_LSP_CACHE").is_ok_and(|v| matches!(v.as_str(), "off" | "0" | "false")) {
        return None;
    }
    match std::env::var_os("SEED_LSP_CACHE_DIR").filter(|d| !d.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => Some(dirs::cache_dir()?.join("seed-lsp").join("index")),
    }
}

/// The index caches of a workspace's roots, in one folder.
#[derive(Clone, Debug)]
pub struct IndexCache {
    pub dir: PathBuf,
}

impl IndexCache {
    /// The cache file of a workspace root.
    pub fn file(&self, root: &Path) -> PathBuf {
        let hash = hash64(0, root.as_os_str().as_encoded_bytes());
        self.dir.join(format!("{hash:016x}.idx"))
    }

    /// The notes cached for `roots`, made with `kb` and `encoding`. A file that cannot be
    /// trusted is discarded with a log line (its notes are simply not there).
    pub fn load(&self, roots: &[PathBuf], kb: &KbSet, encoding: PositionEncoding) -> HashMap<PathBuf, CachedNote> {
        let fingerprint = fingerprint(kb, encoding);
        let mut notes = HashMap::new();
        for root in roots {
            let file = self.file(root);
            let bytes = match read_binary(&file, MAX_CACHE_BYTES) {
                Ok(bytes) => bytes,
                Err(e) => {
                    tracing::debug!("no index cache for {} ({}): {e}", root.display(), file.display());
                    continue;
                }
            };
            match read_cache(&bytes, root, fingerprint, kb) {
                Ok(read) => notes.extend(read),
                Err(reason) => tracing::warn!(
                    "index cache {} discarded ({reason}); its notes are read again",
                    file.display()
                ),
            }
        }
        notes
    }

    /// Write the cache of each root: the notes under it (each note under the first root that
    /// holds it). Errors are logged; the notes stay in memory.
    pub fn save<'a>(
        &self,
        roots: &[PathBuf],
        kb: &KbSet,
        encoding: PositionEncoding,
        notes: impl IntoIterator<Item = (&'a PathBuf, &'a CachedNote)>,
    ) {
        let fingerprint = fingerprint(kb, encoding);
        let mut per_root: Vec<Vec<(&PathBuf, &CachedNote)>> = vec![Vec::new(); roots.len()];
        for (path, note) in notes {
            if let Some(i) = roots.iter().position(|r| path.starts_with(r)) {
                per_root[i].push((path, note));
            }
        }
        for (root, notes) in roots.iter().zip(per_root) {
            let payload = format::encode(kb, notes.into_iter());
            let header = header(root, fingerprint, &payload);
            let file = self.file(root);
            match write_atomically(&self.dir, &file, &[&header, &payload]) {
                Ok(()) => tracing::debug!("index cache written: {} ({} bytes)", file.display(), payload.len()),
                Err(e) => tracing::warn!("cannot write the index cache {}: {e}", file.display()),
            }
        }
    }
}

/// The header of a cache file, which the payload follows (written apart: the payload is
/// never copied).
fn header(root: &Path, fingerprint: u64, payload: &[u8]) -> Vec<u8> {
    let mut w = Writer::default();
    w.bytes.extend_from_slice(MAGIC);
    w.u32(FORMAT);
    w.str(env!("CARGO_PKG_VERSION"));
    w.str(&root.to_string_lossy());
    w.u64(fingerprint);
    w.u64(payload.len() as u64);
    w.u64(hash64(fingerprint, payload));
    w.bytes
}

/// The notes of a cache file, if it is whole, of this program, root and fingerprint.
fn read_cache(bytes: &[u8], root: &Path, fingerprint: u64, kb: &KbSet) -> Result<Vec<(PathBuf, CachedNote)>, String> {
    let mut r = Reader::new(bytes);
    let corrupt = |c: Corrupt| c.to_string();
    if r.take(MAGIC.len()).ok() != Some(MAGIC.as_slice()) {
        return Err("not an index cache".into());
    }
    if r.u32().map_err(corrupt)? != FORMAT || r.str().map_err(corrupt)? != env!("CARGO_PKG_VERSION") {
        return Err("written by another version".into());
    }
    if r.str().map_err(corrupt)? != root.to_string_lossy() {
        return Err("the cache of another folder".into());
    }
    if r.u64().map_err(corrupt)? != fingerprint {
        return Err("made with another KB or position encoding".into());
    }
    let len = r.u64().map_err(corrupt)?;
    let checksum = r.u64().map_err(corrupt)?;
    if len != r.remaining() as u64 {
        return Err("truncated".into());
    }
    let payload = r.take(r.remaining()).map_err(corrupt)?;
    if hash64(fingerprint, payload) != checksum {
        return Err("damaged (checksum)".into());
    }
    let notes = format::decode(kb, payload).map_err(corrupt)?;
    if notes.iter().any(|(path, _)| !path.starts_with(root)) {
        return Err("a note outside its folder".into());
    }
    Ok(notes)
}

/// Replace `file` (in `dir`) by `parts` whole: a new temporary file beside it, synced, then
/// renamed over it (a rename replaces a link planted there, it does not follow it).
fn write_atomically(dir: &Path, file: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&temp);
    let written = (|| {
        let mut out = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
        for part in parts {
            out.write_all(part)?;
        }
        out.sync_all()?;
        std::fs::rename(&temp, file)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written?;
    // The rename itself reaches the disk with the folder.
    #[cfg(unix)]
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}
