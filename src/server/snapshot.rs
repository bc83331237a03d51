//! Getting a consistent view to answer from: [`analysed`] returns a [`World`] snapshot and
//! the current analysis of one open note, analysing it first (on a blocking thread, outside
//! the lock: the host hands out an [`AnalysisJob`](crate::ide::AnalysisJob)) when its text,
//! the KB, the configuration or the workspace facts changed since its last analysis;
//! [`analysed_here`] does the same on a thread that may block. Only the lines changed since
//! the last analysis are read again.

use std::sync::Arc;

use super::main_loop::Event;
use super::state::Shared;
use crate::ide::host::Analysis;
use crate::ide::{FileId, OpenFile, World};

/// How many times an analysis is retried when edits keep arriving while it runs; after
/// that, the latest analysis made is used as it is.
const ATTEMPTS: usize = 3;

/// A snapshot with the current analysis of the open note `id` (`None` when it is not an
/// open note): at once when it is current, else made on one blocking thread ([`analysed_here`]).
pub async fn analysed(shared: &Arc<Shared>, id: &FileId) -> Option<(World, Arc<OpenFile>)> {
    if let Analysis::Current(world, file) = shared.lock().host.analysis(id)? {
        return Some((world, file));
    }
    let (shared, file) = (shared.clone(), id.clone());
    match tokio::task::spawn_blocking(move || analysed_here(&shared, &file)).await {
        Ok(analysed) => analysed,
        Err(e) => {
            tracing::error!("analysis of {id} failed: {e}");
            None
        }
    }
}

/// [`analysed`] on this thread, which may block (a blocking thread: the analysis runs here,
/// outside the lock). The publisher converts and frames the diagnostics on the same thread,
/// so a keystroke costs one hand-off to the blocking pool, not one per step.
pub fn analysed_here(shared: &Shared, id: &FileId) -> Option<(World, Arc<OpenFile>)> {
    for _ in 0..ATTEMPTS {
        let job = match shared.lock().host.analysis(id)? {
            Analysis::Current(world, file) => return Some((world, file)),
            Analysis::Stale(job) => job,
        };
        let started = std::time::Instant::now();
        let file = job.run();
        tracing::debug!(
            "analysed {} v{} ({} bytes) in {:?}",
            file.id,
            file.version(),
            file.text.len(),
            started.elapsed()
        );
        let installed = shared.lock().host.install(file);
        if let Some((_, facts_changed)) = installed {
            if facts_changed {
                shared.send(Event::Refresh);
            }
        }
    }
    shared.lock().host.latest(id)
}

/// A snapshot, without analysing anything.
pub fn world(shared: &Shared) -> World {
    shared.lock().host.snapshot()
}
