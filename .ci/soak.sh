#!/usr/bin/env bash
# Long soak: 100,000 random incremental edits through the protocol (tests/it/soak.rs), split
# across the three position encodings; the server's text and diagnostics must equal the
# client's at the end. `cargo test` runs the same test with 10,000 edits. About 75 s in a
# debug build on 2 cores (the test binary is the one `cargo test` already built; only its
# soak module runs).
set -euo pipefail
cd "$(dirname "$0")/.."
SEED_LSP_SOAK_EDITS=${SEED_LSP_SOAK_EDITS:-100000} cargo test --locked --test it -- soak:: --nocapture
