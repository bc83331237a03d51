#!/usr/bin/env bash
# Neovim 0.11 in a real 80×24 terminal (tmux), with the plugin and the real server on a copy of
# a seed: `K` on トカエフ, and the screen as a person sees it. Checks that the whole card is on
# screen with no markup left (no `**`, `###`, backticks or escapes), writes the screen to
# test/artifacts/screen.{txt,ansi}, and renders it as a picture with the VS Code UI test's
# Chromium when that is installed: test/artifacts/hover.png, or with
# SEED_UPDATE_SCREENSHOT=1 screenshots/hover.png (the picture in editors/README.md).
#   NVIM, SEED_LSP_BINARY as for test/run.sh; needs tmux.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
plugin="$(dirname "$here")"
repo="$(cd "$plugin/../.." && pwd)"
nvim="${NVIM:-$repo/editors/.cache/nvim-venv/bin/nvim}"
[[ -x "$nvim" ]] || nvim="$(command -v nvim)"
binary="${SEED_LSP_BINARY:-$repo/target/release/seed-lsp}"
artifacts="$here/artifacts"
mkdir -p "$artifacts"
SEED_TMP="$(mktemp -d)"
socket="seed-nvim-screen-$$"
cleanup() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  rm -rf "$SEED_TMP"
}
trap cleanup EXIT

mkdir -p "$SEED_TMP/notes/seeds" "$SEED_TMP/home"
for name in 002_b7666d67213713ef.txt 000_957a7e0d4be8d52d.txt; do
  cp "$repo/seeds/$name" "$SEED_TMP/notes/seeds/"
done
note="$SEED_TMP/notes/seeds/002_b7666d67213713ef.txt"

# A private tmux server (-L), a 80×24 window, a terminal with 24-bit colour.
tmux -L "$socket" -f /dev/null new-session -d -x 80 -y 24 -s screen \
  env TERM=tmux-256color HOME="$SEED_TMP/home" XDG_STATE_HOME="$SEED_TMP/state" XDG_DATA_HOME="$SEED_TMP/data" \
  SEED_LSP_BINARY="$binary" SEED_TMP="$SEED_TMP" SEED_NOTE="$note" \
  "$nvim" --clean --cmd "set rtp^=$plugin" -c "luafile $here/screen.lua"
for _ in $(seq 1 300); do
  [[ -e "$SEED_TMP/ready" || -e "$SEED_TMP/failed" ]] && break
  sleep 0.1
done
sleep 0.5
cat "$SEED_TMP/ready" >"$artifacts/geometry.txt" 2>/dev/null || true
tmux -L "$socket" capture-pane -p -t screen >"$artifacts/screen.txt"
tmux -L "$socket" capture-pane -p -e -t screen >"$artifacts/screen.ansi"
tmux -L "$socket" send-keys -t screen Escape ':qa!' Enter
if [[ ! -e "$SEED_TMP/ready" ]]; then
  echo "not ok - the hover window never showed: $(cat "$SEED_TMP/failed" 2>/dev/null || echo timeout)"
  cat "$artifacts/screen.txt"
  exit 1
fi
cat "$artifacts/screen.txt"

# The hover window's cells, cut out of the screen by display width (CJK: two cells).
python3 - "$artifacts/screen.txt" "$(cat "$SEED_TMP/ready")" >"$artifacts/card.txt" <<'PY'
import sys, unicodedata
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
row, col, height, width, _ = map(int, sys.argv[2].split())
def cells(line, start, count):
    out, at = [], 0
    for ch in line:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if start <= at and at + w <= start + count:
            out.append(ch)
        at += w
    return "".join(out).rstrip()
for line in lines[row:row + height]:
    print(cells(line, col, width))
PY
echo "--- the hover window:"
cat "$artifacts/card.txt"

failed=0
check() {
  local what="$1"
  shift
  if "$@"; then
    echo "ok - $what"
  else
    echo "not ok - $what"
    failed=1
  fi
}
in_card() { grep -qF -- "$1" "$artifacts/card.txt"; }
not_in_card() { ! grep -qF -- "$1" "$artifacts/card.txt"; }
check "the name, English name and kind on the first line" \
  bash -c "head -n 1 '$artifacts/card.txt' | grep -qF 'トカエフ · Kassym-Jomart Tokayev · person (人物)'"
check "the role held at the note's date" in_card "On 2023年11月9日: 大統領（カザフスタン）"
check "the counts and where the entry is defined" in_card "Defined in: built-in KB"
check "the nearest roles and the rest counted" in_card "+2 earlier roles"
read -r _ _ height _ needs <"$SEED_TMP/ready"
check "the whole card fits in the window ($needs of $height rows)" test "$needs" -le "$height"
check "the description, last" in_card "カザフスタンの第2代大統領"
for markup in '**' '###' '`' '\' '---'; do
  check "no ${markup} in the card" not_in_card "$markup"
done

ui="$repo/editors/vscode/test/ui/node_modules/playwright-core"
if [[ -d "$ui" && -x "${CHROMIUM:-/usr/bin/chromium}" ]]; then
  if [[ "${SEED_UPDATE_SCREENSHOT:-}" == 1 ]]; then
    picture="$plugin/screenshots/hover.png"
  else
    picture="$artifacts/hover.png"
  fi
  node "$here/render-screen.mjs" "$artifacts/screen.ansi" "$picture" 80
  echo "screen picture: $picture"
else
  echo "(no playwright-core/Chromium: the screen is not rendered as a picture)"
fi
exit "$failed"
