//! The index cache in the server (`crate::project::cache`): loaded at the start of an index
//! run, its records used for the notes that did not change; written after the run, and
//! after notes are read again (changed on disk, saved) — debounced, on a blocking thread,
//! never on the event loop and never per keystroke (open documents' edits are not notes on
//! disk). `SEED_LSP_CACHE=off` turns it off, `SEED_LSP_CACHE_DIR` moves it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::state::Shared;
use crate::base::PositionEncoding;
use crate::ide::KbSet;
use crate::project::cache::{cache_dir, CachedNote, IndexCache};

/// How long after a note is read again the cache is written (more reads meanwhile wait too).
const WRITE_DELAY: Duration = Duration::from_secs(1);

/// The cache folder, and the records of the index in force.
pub struct Warm {
    cache: Option<IndexCache>,
    records: Mutex<Records>,
    /// Held while a file is written, so two writes never interleave.
    writing: Mutex<()>,
}

/// The records of the notes on disk, in the terms of one KB and encoding.
#[derive(Default)]
struct Records {
    made_with: Option<(Arc<KbSet>, PositionEncoding, Vec<PathBuf>)>,
    notes: HashMap<PathBuf, Arc<CachedNote>>,
    write_scheduled: bool,
}

impl Default for Warm {
    fn default() -> Self {
        Warm::new(cache_dir())
    }
}

impl Warm {
    pub fn new(dir: Option<PathBuf>) -> Self {
        Warm {
            cache: dir.map(|dir| IndexCache { dir }),
            records: Mutex::default(),
            writing: Mutex::default(),
        }
    }

    pub fn cache(&self) -> Option<&IndexCache> {
        self.cache.as_ref()
    }

    /// The records cached for `roots` with this KB and encoding (nothing when off).
    pub fn load(&self, roots: &[PathBuf], kb: &KbSet, encoding: PositionEncoding) -> HashMap<PathBuf, CachedNote> {
        match &self.cache {
            Some(cache) => cache.load(roots, kb, encoding),
            None => HashMap::new(),
        }
    }

    fn records(&self) -> std::sync::MutexGuard<'_, Records> {
        self.records.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// An index run's records replace the old ones; the cache is written now (call on a
    /// blocking thread) unless the records are the ones just loaded from it (`as_loaded`: a
    /// warm start where nothing changed writes nothing).
    pub fn indexed(
        &self,
        kb: Arc<KbSet>,
        encoding: PositionEncoding,
        roots: Vec<PathBuf>,
        notes: HashMap<PathBuf, Arc<CachedNote>>,
        as_loaded: bool,
    ) {
        if self.cache.is_none() {
            return;
        }
        {
            let mut records = self.records();
            records.made_with = Some((kb, encoding, roots));
            records.notes = notes;
        }
        match as_loaded {
            true => tracing::info!("index cache up to date: not written again"),
            false => self.write(),
        }
    }

    /// Write the records to the cache (call on a blocking thread).
    fn write(&self) {
        let Some(cache) = &self.cache else { return };
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let (made_with, notes) = {
            let mut records = self.records();
            records.write_scheduled = false;
            (records.made_with.clone(), records.notes.clone())
        };
        if let Some((kb, encoding, roots)) = made_with {
            cache.save(&roots, &kb, encoding, notes.iter().map(|(p, n)| (p, &**n)));
        }
    }
}

/// A note was read again with `kb` (`record`: `None` when it is gone or could not be
/// examined): update its record, and write the cache a little later.
pub fn note_read(shared: &Arc<Shared>, kb: &Arc<KbSet>, path: &Path, record: Option<CachedNote>) {
    let warm = &shared.warm;
    if warm.cache.is_none() {
        return;
    }
    {
        let mut records = warm.records();
        // Records of another KB are replaced by the index run that KB starts.
        if !records.made_with.as_ref().is_some_and(|(k, _, _)| Arc::ptr_eq(k, kb)) {
            return;
        }
        match record {
            Some(record) => records.notes.insert(path.to_path_buf(), Arc::new(record)),
            None => records.notes.remove(path),
        };
        if std::mem::replace(&mut records.write_scheduled, true) {
            return;
        }
    }
    let shared = shared.clone();
    tokio::spawn(async move {
        tokio::time::sleep(WRITE_DELAY).await;
        let _ = tokio::task::spawn_blocking(move || shared.warm.write()).await;
    });
}
