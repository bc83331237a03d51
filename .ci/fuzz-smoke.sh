#!/usr/bin/env bash
# Fuzz smoke run: build every cargo-fuzz target in fuzz/ and run each one briefly from the
# repository's seed corpus (fuzz/seeds/<target>/ plus the sample notes). A crash fails the
# script and leaves the input under fuzz/artifacts/<target>/ (replay it with
# `RUSTC_BOOTSTRAP=1 cargo fuzz run -a -s none <target> <file>`).
#
# libFuzzer needs nightly compiler flags (-Zsanitizer); the stable toolchain accepts them with
# RUSTC_BOOTSTRAP=1. cargo-fuzz is installed from crates.io when missing.
#
# Environment: FUZZ_SECONDS (per target, default 30), FUZZ_TARGETS (space-separated subset),
# FUZZ_JOBS (targets run at once, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-30}
jobs=${FUZZ_JOBS:-2}
export RUSTC_BOOTSTRAP=1
export PATH="$HOME/.cargo/bin:$PATH"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz-smoke: installing cargo-fuzz"
    cargo install cargo-fuzz --locked --quiet
fi

targets=${FUZZ_TARGETS:-$(cargo fuzz list)}
echo "fuzz-smoke: building $(echo $targets | wc -w) targets"
started=$SECONDS
# -a: debug assertions and overflow checks on, as in tests. -s none: no AddressSanitizer
# (seed-lsp has no unsafe code; panics and broken invariants are what the targets catch),
# which halves the build and doubles the speed. 16 codegen units: a faster build on 2 cores.
# Without a target name cargo fuzz builds them all in one cargo invocation.
# opt-level 1 (this script only; long runs keep 3): a much shorter build for a few percent of
# speed, which a 40-second run does not miss.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=${CARGO_PROFILE_RELEASE_OPT_LEVEL:-1}
build_flags=(-a -s none --codegen-units 16)
build_log=$(mktemp)
if [ -n "${FUZZ_TARGETS:-}" ]; then
    for t in $targets; do
        cargo fuzz build "${build_flags[@]}" "$t" >>"$build_log" 2>&1 || { cat "$build_log" >&2; exit 1; }
    done
else
    cargo fuzz build "${build_flags[@]}" >"$build_log" 2>&1 || { cat "$build_log" >&2; exit 1; }
fi
rm -f "$build_log"
echo "fuzz-smoke: built in $((SECONDS - started))s"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run_one() {
    local t=$1
    local corpus="$work/corpus-$t"
    mkdir -p "$corpus" "fuzz/artifacts/$t"
    local seeds=()
    [ -d "fuzz/seeds/$t" ] && seeds+=("fuzz/seeds/$t")
    case $t in
        analyze | ide) seeds+=(seeds) ;;
    esac
    local dict=()
    [ -f "fuzz/dicts/$t.dict" ] && dict=("-dict=fuzz/dicts/$t.dict")
    # The first corpus directory is written to: a scratch copy, never the repository.
    if fuzz/target/x86_64-unknown-linux-gnu/release/"$t" "$corpus" "${seeds[@]}" "${dict[@]}" \
        -max_total_time="$seconds" -max_len=8192 -timeout=20 -rss_limit_mb=2048 \
        -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 >"$work/$t.log" 2>&1; then
        local runs
        runs=$(grep -E '^stat::number_of_executed_units' "$work/$t.log" | awk '{print $2}')
        echo "fuzz-smoke: $t ok (${runs:-?} runs in ${seconds}s)"
    else
        echo "fuzz-smoke: $t FAILED" >&2
        grep -E -A30 'ERROR|panicked' "$work/$t.log" | head -60 >&2
        return 1
    fi
}

failed=0
running=0
pids=()
names=()
for t in $targets; do
    run_one "$t" &
    pids+=($!)
    names+=("$t")
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait "${pids[0]}" || failed=1
        pids=("${pids[@]:1}")
        names=("${names[@]:1}")
        running=$((running - 1))
    fi
done
for p in "${pids[@]}"; do
    wait "$p" || failed=1
done
if [ "$failed" -ne 0 ]; then
    echo "fuzz-smoke: FAILED (inputs in fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz-smoke: all targets ran clean"
