#!/usr/bin/env bash
# Run the headless Neovim test of the plugin against the real server.
#   NVIM             the nvim binary (default: editors/.cache/nvim-venv/bin/nvim, else nvim on PATH)
#   SEED_LSP_BINARY  the server (default: target/release/seed-lsp)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
plugin="$(dirname "$here")"
repo="$(cd "$plugin/../.." && pwd)"
nvim="${NVIM:-}"
if [[ -z "$nvim" ]]; then
  if [[ -x "$repo/editors/.cache/nvim-venv/bin/nvim" ]]; then
    nvim="$repo/editors/.cache/nvim-venv/bin/nvim"
  else
    nvim="$(command -v nvim)"
  fi
fi
export SEED_LSP_BINARY="${SEED_LSP_BINARY:-$repo/target/release/seed-lsp}"
export SEED_REPO="$repo"
SEED_TMP="$(mktemp -d)"
export SEED_TMP
trap 'rm -rf "$SEED_TMP"' EXIT
"$nvim" --version | head -n 1
# --clean: no user config, but the built-in plugins and filetype detection (which then also
# sources this plugin's ftdetect/ and plugin/ since it is on the runtimepath first).
HOME="$SEED_TMP/home" XDG_STATE_HOME="$SEED_TMP/state" XDG_DATA_HOME="$SEED_TMP/data" \
  timeout 180 "$nvim" --headless --clean --cmd "set rtp^=$plugin" -c "luafile $here/seed_lsp_spec.lua"
