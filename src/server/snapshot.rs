//! Getting a consistent view to answer from: [`analysed`] returns a [`World`] snapshot and
//! the current analysis of one open note, analysing it first (on a blocking thread, outside
//! the lock) when its text, the KB, the configuration or the workspace facts changed since
//! its last analysis. The note's [`crate::analysis::recognize::memo::RecognitionMemo`] goes along, so
//! only the lines changed since the last analysis are recognised again.

use std::sync::Arc;

use super::documents::DocKind;
use super::state::{Shared, Work};
use crate::ide::{FileId, Inputs, OpenFile, World};
use crate::project::read::MAX_NOTE_BYTES;

/// How many times an analysis is retried when edits keep arriving while it runs; after
/// that, the latest analysis made is used as it is.
const ATTEMPTS: usize = 3;

/// A snapshot with the current analysis of the open note `id` (`None` when it is not an
/// open note).
pub async fn analysed(shared: &Arc<Shared>, id: &FileId) -> Option<(World, Arc<OpenFile>)> {
    for _ in 0..ATTEMPTS {
        let job = {
            let state = shared.lock();
            let doc = state.docs.get(id).filter(|d| d.kind == DocKind::Seed)?;
            if let Some(current) = state.current_analysis(id) {
                return Some((state.world(), current));
            }
            let stamp = state.stamp(doc.version);
            let text: Arc<str> = doc.text().into();
            (
                stamp,
                text,
                doc.memo.clone(),
                state.kb.clone(),
                state.config.clone(),
                state.prh.clone(),
                state.facts.clone(),
            )
        };
        let (stamp, text, memo, kb, config, prh, facts) = job;
        let file_id = id.clone();
        let file = tokio::task::spawn_blocking(move || {
            let started = std::time::Instant::now();
            let file = if text.len() as u64 > MAX_NOTE_BYTES {
                OpenFile::unanalysed(file_id, stamp.version, text, &kb, &config)
            } else {
                // After a panic in an earlier analysis the memo may have forgotten lines, never
                // holds wrong ones: still usable.
                let mut memo = memo.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                let inputs = Inputs {
                    kb: &kb,
                    config: &config,
                    prh: &prh,
                    facts: &facts,
                };
                OpenFile::analyze_with_memo(file_id, stamp.version, text, inputs, &mut memo)
            };
            tracing::debug!(
                "analysed {} v{} ({} bytes) in {:?}",
                file.id,
                file.version,
                file.text.len(),
                started.elapsed()
            );
            file
        })
        .await;
        let file = match file {
            Ok(file) => file,
            Err(e) => {
                tracing::error!("analysis of {id} failed: {e}");
                return None;
            }
        };
        let installed = shared.lock().install_analysis(id, file, stamp);
        if let Some((_, facts_changed)) = installed {
            if facts_changed {
                shared.send(Work::Refresh);
            }
        }
    }
    let state = shared.lock();
    let latest = state.docs.get(id)?.analysis.clone()?;
    Some((state.world(), latest))
}

/// A snapshot, without analysing anything.
pub fn world(shared: &Shared) -> World {
    shared.lock().world()
}
