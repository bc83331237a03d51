//! Phase two of an index run, in the background. Phase one (`super::indexing::summarise`)
//! left the notes it read summarised by their exact mentions — the index is usable then, and
//! `$/progress` has ended. Here their near misses are found
//! ([`crate::project::cache::index::NearMissPass`]: each note read again, recognised, its
//! near misses confirmed by the facts of phase one), one note at a time on a thread of its
//! own at a lower priority (nice 10 on Linux: requests and keystrokes, on tokio's threads,
//! go first), stopped as soon as a newer index run begins. The summaries it changes go to
//! the event loop in batches ([`Event::NearMisses`], at most one per [`BATCH_EVERY`]), which
//! installs them; the last batch says the phase is over (`seedLsp/status`:
//! `findingNearMisses` false) — the loop then republishes open notes and asks a pulling
//! client to pull again if the near misses changed what the workspace names — and the index
//! cache is written then, with every note's record.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::handlers::custom::DEBUG_ENV;
use super::indexing::read_note;
use super::main_loop::Event;
use super::state::Shared;
use crate::base::{FileId, PositionEncoding};
use crate::ide::KbSet;
use crate::project::cache::index::NearMissPass;
use crate::project::cache::CachedNote;

/// The longest a changed summary waits before it goes to the event loop.
const BATCH_EVERY: Duration = Duration::from_millis(250);

/// The nice value of the phase's thread.
#[cfg(target_os = "linux")]
const NICE: libc::c_int = 10;

/// With [`DEBUG_ENV`] set, phase two waits this many milliseconds before its first note (the
/// integration tests' way to send requests while it is under way).
pub const DEBUG_PAUSE_ENV: &str = "SEED_LSP_DEBUG_NEAR_MISS_PAUSE_MS";

/// What phase two works with: the index run's generation, its KB, encoding and roots, the
/// notes to finish, and the cache records of the notes phase one finished (the cached ones).
pub struct Background {
    pub generation: u64,
    pub kb: Arc<KbSet>,
    pub encoding: PositionEncoding,
    pub roots: Vec<PathBuf>,
    pub pass: NearMissPass,
    pub records: HashMap<PathBuf, Arc<CachedNote>>,
}

/// Start phase two on a thread of its own.
pub fn start(shared: Arc<Shared>, job: Background) {
    let generation = job.generation;
    let on_thread = shared.clone();
    let spawned = std::thread::Builder::new()
        .name("seed-lsp-near-misses".into())
        .spawn(move || run(&on_thread, job));
    if let Err(e) = spawned {
        tracing::warn!("no thread to find near misses on: {e}");
        shared.send(Event::NearMisses {
            generation,
            found: Vec::new(),
            done: true,
        });
    }
}

fn run(shared: &Shared, job: Background) {
    lower_priority();
    let Background {
        generation,
        kb,
        encoding,
        roots,
        pass,
        mut records,
    } = job;
    if let Some(pause) = debug_pause() {
        std::thread::sleep(pause);
    }
    let started = Instant::now();
    let total = pass.len();
    let current = || shared.index_generation.load(Ordering::SeqCst) == generation;
    let (mut batch, mut changed, mut sent) = (Vec::new(), 0usize, Instant::now());
    let finished = pass.run(&read_note, &kb, encoding, &mut |f| {
        if !current() {
            return false;
        }
        if let Some(record) = f.record {
            records.insert(f.path.clone(), Arc::new(record));
        }
        if let Some(summary) = f.summary {
            changed += 1;
            batch.push((FileId::from_path(&f.path), summary));
        }
        if !batch.is_empty() && sent.elapsed() >= BATCH_EVERY {
            let found = std::mem::take(&mut batch);
            shared.send(Event::NearMisses {
                generation,
                found,
                done: false,
            });
            sent = Instant::now();
        }
        true
    });
    if !finished || !current() {
        return;
    }
    tracing::info!(
        "near misses of {total} notes found in {:?}: {changed} summaries changed",
        started.elapsed()
    );
    shared.send(Event::NearMisses {
        generation,
        found: batch,
        done: true,
    });
    shared.warm.indexed(kb, encoding, roots, records, false);
}

/// The pause [`DEBUG_PAUSE_ENV`] asks for, when the debug requests are enabled.
fn debug_pause() -> Option<Duration> {
    std::env::var_os(DEBUG_ENV)?;
    let ms = std::env::var(DEBUG_PAUSE_ENV).ok()?.parse().ok()?;
    Some(Duration::from_millis(ms))
}

/// Lower the calling thread's priority (Linux: its nice value; elsewhere nothing, as there a
/// process's threads share one).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: both calls take plain integers and touch no memory of ours; on Linux,
        // `PRIO_PROCESS` with a thread id sets that thread's nice value alone.
        let failed = unsafe { libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, NICE) } != 0;
        if failed {
            tracing::debug!("near misses at normal priority: {}", std::io::Error::last_os_error());
        }
    }
}
