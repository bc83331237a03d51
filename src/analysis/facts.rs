//! Workspace-level facts, shared by `check` and the server.
//!
//! [`WorkspaceFacts`] is what one note's analysis may know about the others: how often each
//! entity is mentioned across the workspace (used to confirm near misses — トカレフ is
//! reported when トカエフ is mentioned somewhere). It is computed from the exact mentions of
//! every file, cheaply, before the full analysis.

use crate::kb::{EntityId, Kb};

/// Entity mention counts across a workspace (exact KB spellings only).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkspaceFacts {
    counts: Vec<u32>,
}

impl WorkspaceFacts {
    pub fn new(kb: &Kb) -> Self {
        WorkspaceFacts {
            counts: vec![0; kb.entities.len()],
        }
    }

    /// Add (or with `sign = -1`, remove) one file's mentions.
    pub fn add_mentions(&mut self, entities: impl IntoIterator<Item = EntityId>, remove: bool) {
        for e in entities {
            if e >= self.counts.len() {
                self.counts.resize(e + 1, 0);
            }
            let c = &mut self.counts[e];
            *c = if remove { c.saturating_sub(1) } else { *c + 1 };
        }
    }

    pub fn mentions(&self, entity: EntityId) -> u32 {
        self.counts.get(entity).copied().unwrap_or(0)
    }
}
