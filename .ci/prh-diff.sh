#!/usr/bin/env bash
# The prh differential test: the reference prh (5.4.4, from the npm registry, pinned by
# tests/prh-diff/package-lock.json) and seed-lsp run on the same texts with the same dictionaries
# — the ones prh ships (prh-rules: WEB+DB_PRESS, typo, software, trademark, android, javascript,
# review, through TechBooster's imports) after a house dictionary of the test's own — and every
# finding that differs in position or replacement fails, unless tests/prh-diff/known-differences.tsv
# lists it with the reason. Texts: tests/prh-diff/texts/ (written for the test), tests/notes/
# (written for the other tests), seeds/, and probes made from the rules (prh-findings.js).
#
# Installs node and npm with apt when they are missing, prh into target/prh-diff/ (npm's cache
# there too). Runs the release binary (SEED_LSP=path/to/seed-lsp picks another). About 5 s.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
here=tests/prh-diff
out=target/prh-diff

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "prh-diff: installing nodejs and npm (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

# The reference: npm ci from the committed lock, skipped when the installed tree is that lock's.
mkdir -p "$out"
if ! cmp -s "$here/package-lock.json" "$out/node_modules/.package-lock.json.installed" 2>/dev/null; then
  cp "$here/package.json" "$here/package-lock.json" "$out/"
  (cd "$out" && npm ci --no-audit --no-fund --loglevel=error --cache "$root/$out/npm-cache")
  cp "$here/package-lock.json" "$out/node_modules/.package-lock.json.installed"
fi
prh_dir=$out/node_modules/prh
rules=$prh_dir/prh-rules
node "$here/prh-findings.js" --self-test

# seed-lsp: the release build (current: cargo builds it only when something changed; .ci/run has
# built it already). A debug build is too slow for the rules' time budget on a long note.
bin=${SEED_LSP:-}
if [ -z "$bin" ]; then
  cargo build --release --locked --quiet
  bin=target/release/seed-lsp
fi

# One work folder: the texts copied under notes/, the dictionaries named once for both sides.
work=$out/work
rm -rf "$work"
mkdir -p "$work/notes/texts" "$work/notes/seeds"
cp "$here"/texts/*.txt "$work/notes/texts/"
cp seeds/*.txt "$work/notes/seeds/"
mkdir -p "$work/notes/tests"
cp tests/notes/*.txt "$work/notes/tests/"
dictionaries=(
  "$root/$here/dictionaries/house.yml"
  "$root/$rules/media/WEB+DB_PRESS.yml"
  "$root/$rules/terms/android.yml"
  "$root/$rules/terms/javascript.yml"
)
{
  echo "# written by .ci/prh-diff.sh"
  echo "[prh]"
  printf 'paths = ['
  for d in "${dictionaries[@]}"; do printf '"%s", ' "$d"; done
  printf ']\n'
} >"$work/seed-lsp.toml"

cd "$work"
dict_args=()
for d in "${dictionaries[@]}"; do dict_args+=(--dict "$d"); done
# Probe texts made from the rules themselves (every expected, plain pattern and regex branch).
node "$root/$here/prh-findings.js" --prh "$root/$prh_dir" "${dict_args[@]}" --write-probes notes/probes
texts=(notes/texts/*.txt notes/tests/*.txt notes/seeds/*.txt notes/probes/*.txt)
node "$root/$here/prh-findings.js" --prh "$root/$prh_dir" "${dict_args[@]}" "${texts[@]}" >prh.json
# check exits 1 when it finds warnings it is told to deny; here it only reports.
status=0
"$root/$bin" check --format json --allow-read "$root/$here" --allow-read "$root/$out" "${texts[@]}" >seed-lsp.json || status=$?
if [ "$status" -gt 1 ]; then
  echo "prh-diff: seed-lsp check failed with status $status" >&2
  exit 1
fi
node "$root/$here/compare.js" prh.json seed-lsp.json "$root/$here/known-differences.tsv"
