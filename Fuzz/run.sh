#!/usr/bin/env bash
# Builds (if needed) and runs one libFuzzer harness for SECONDS on a fresh copy of its seeds.
#
#   Fuzz/run.sh TARGET SECONDS [libFuzzer flags...]
#   TARGET: tokenizer | safetensors | pytorch | config | linereader | eval | vocab | sentencepiece
#
# Everything runs under `nice -n 19`, one process, one worker. Output of a run goes to
# Fuzz/.work/TARGET/ (git-ignored): fuzz.log (libFuzzer's whole output), corpus/ (seeds plus
# what the run found), artifacts/ (crash-*, timeout-*, oom-* inputs). The script prints
# libFuzzer's last status line and final stats, then a one-line summary; on a crash it prints
# the end of the log, where libFuzzer names the crash file ("Test unit written to ..."), and
# exits with libFuzzer's non-zero status.
#
# Environment: FUZZ_KEEP_CORPUS=1 keeps (and extends) Fuzz/.work/TARGET/corpus instead of
# starting again from the seeds; FUZZ_NO_BUILD=1 skips `swift build`.
set -euo pipefail

usage() { echo "usage: $0 {tokenizer|safetensors|pytorch|config|linereader|eval|vocab|sentencepiece} SECONDS [libFuzzer flags...]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
target=$1
seconds=$2
shift 2
[[ $seconds =~ ^[0-9]+$ ]] || usage

case $target in
    tokenizer) max_len=4096 ;;
    safetensors) max_len=16384 ;;
    pytorch) max_len=16384 ;;
    config) max_len=4096 ;;
    linereader) max_len=16384 ;;
    eval) max_len=8192 ;;
    vocab) max_len=16384 ;;
    sentencepiece) max_len=65536 ;;
    *) usage ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
build_flags=(--package-path "$here" -c release -Xswiftc -sanitize=fuzzer,address)
if [[ -z ${FUZZ_NO_BUILD:-} ]]; then
    echo "building fuzz-$target ..." >&2
    mkdir -p "$here/.work"
    if ! nice -n 19 swift build "${build_flags[@]}" --product "fuzz-$target" > "$here/.work/build-$target.log" 2>&1; then
        tail -40 "$here/.work/build-$target.log" >&2
        echo "build failed (log: $here/.work/build-$target.log)" >&2
        exit 3
    fi
fi
binary="$(swift build "${build_flags[@]}" --show-bin-path)/fuzz-$target"

work="$here/.work/$target"
mkdir -p "$work/artifacts"
if [[ -z ${FUZZ_KEEP_CORPUS:-} ]]; then
    rm -rf "$work/corpus"
fi
mkdir -p "$work/corpus"
cp -n "$here/seeds/$target/"* "$work/corpus/" 2>/dev/null || true
log="$work/fuzz.log"

flags=(-max_total_time="$seconds" -print_final_stats=1 -max_len="$max_len" -timeout=30 -rss_limit_mb=2048
       -artifact_prefix="$work/artifacts/")
[[ -f "$here/dicts/$target.dict" ]] && flags+=(-dict="$here/dicts/$target.dict")

echo "running $binary for $seconds s (log: $log)" >&2
status=0
# One process, one worker (no -jobs/-workers: libFuzzer would fork a child). Swift's runtime
# keeps caches for the life of the process that LeakSanitizer would report. Swift's own crash
# handler is turned off so that libFuzzer's sees a trap (SIGILL) and saves the input.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} SWIFT_BACKTRACE=enable=no nice -n 19 "$binary" "${flags[@]}" "$@" "$work/corpus" > "$log" 2>&1 || status=$?

grep -E '^#[0-9]+[[:space:]]+INITED' "$log" | tail -1 || true
grep -E '^#[0-9]+' "$log" | tail -1 || true
grep -E '^stat::' "$log" || true
corpus_entries=$(find "$work/corpus" -type f | wc -l)
last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<< "$last")
ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<< "$last")
execs=$(sed -nE 's/^stat::number_of_executed_units:[[:space:]]+([0-9]+)/\1/p' "$log")
rate=$(sed -nE 's/^stat::average_exec_per_sec:[[:space:]]+([0-9]+)/\1/p' "$log")
echo "summary: target=$target seconds=$seconds execs=${execs:-?} exec/s=${rate:-?} cov=${cov:-?} ft=${ft:-?} corpus=$corpus_entries status=$status"
if [[ $status -ne 0 ]]; then
    echo "---- libFuzzer stopped with status $status; end of $log:" >&2
    tail -60 "$log" >&2
    grep -E 'Test unit written to|artifact_prefix' "$log" >&2 || true
    exit "$status"
fi
