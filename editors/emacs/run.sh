#!/usr/bin/env bash
# Check the eglot snippet (seed-eglot.el) in a batch Emacs against the real server.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export SEED_LSP_BINARY="${SEED_LSP_BINARY:-$repo/target/release/seed-lsp}"
export SEED_REPO="$repo"
SEED_TMP="$(mktemp -d)"
export SEED_TMP
trap 'rm -rf "$SEED_TMP"' EXIT
emacs --version | head -n 1
HOME="$SEED_TMP" XDG_CACHE_HOME="$SEED_TMP/cache" timeout 120 emacs --batch -q -l "$here/test.el"
