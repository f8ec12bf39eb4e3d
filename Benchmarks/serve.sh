#!/usr/bin/env bash
# `tern serve` under load: sentences/s and latency p50/p99 at 1, 8 and 32 concurrent clients, each
# sending one Multi30k test 2016 line per request (POST /translate) for SECONDS (default 15) per
# row, on loopback. Three servers in one run: batching across requests (--batch-wait-ms 5) on
# THREADS workers; without it (--batch-wait-ms 0: every batch holds one request's lines) on the
# same workers; and one request at a time (--batch-wait-ms 0 --threads 1), as a server with one
# translator serves. After each server's rows, its batches from /metrics: lines per batch and
# batch time per line. The load comes from `wrk` (Debian's, installed when missing; each
# connection a client, Benchmarks/serve_load.lua), on the same cores as the server.
# TERN_SCRATCH_PATH: SwiftPM scratch path for the release build (default .build). SERVE_MODEL: the
# model served (default en-de-multi30k; en-de is the default model, which searches with beam 5).
source "$(dirname "$0")/prelude.sh"
model="${SERVE_MODEL:-en-de-multi30k}"
seconds="${SECONDS_PER_ROW:-15}"
threads="${THREADS:-2}"
scratch="${TERN_SCRATCH_PATH:-.build}"
if ! command -v wrk >/dev/null; then
    echo "installing wrk (the load client)" >&2
    { apt-get update -qq && apt-get install -y -qq wrk; } >&2 || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
fi
swift build -c release --scratch-path "$scratch" --product tern >&2
swift build -c release --scratch-path "$scratch" --product tern-bench >&2  # prints the machine line
tern="$scratch/release/tern"
"$tern" corpus import multi30k --from "$corpora" --to "$work/multi30k" >/dev/null 2>&1
echo "machine: $("$scratch/release/tern-bench" machine); tern serve --model $model, $threads workers unless said; $seconds s per row"
printf '%-44s %7s %10s %12s %9s %9s %8s\n' "server" "clients" "requests" "sentences/s" "p50 ms" "p99 ms" "failed"
load() {  # clients, seconds: the JSON line of serve_load.lua against the server on $port
    wrk -t 1 -c "$1" -d "$2s" --timeout 10s -s Benchmarks/serve_load.lua "http://127.0.0.1:$port" \
        -- "$work/multi30k/test_2016_flickr.en" | tail -n 1
}
for server_setting in "5 $threads" "0 $threads" "0 1"; do
    read -r wait workers <<<"$server_setting"
    "$tern" serve --model "$model" --port 0 --threads "$workers" --batch-wait-ms "$wait" \
        >"$work/serve.out" 2>"$work/serve.log" &
    server=$!
    for _ in $(seq 100); do grep -q listening "$work/serve.out" && break; sleep 0.1; done
    port="$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/serve.out")"
    [ -n "$port" ] || { echo "tern serve did not start:"; cat "$work/serve.log"; kill "$server"; exit 1; }
    load 4 2 >/dev/null
    for clients in 1 8 32; do
        load "$clients" "$seconds" >"$work/row.json"
        python3 - "$wait" "$workers" "$threads" "$clients" "$work/row.json" <<'PY'
import json, sys
wait, workers, threads, clients = sys.argv[1:5]
row = json.load(open(sys.argv[5]))
name = f"--batch-wait-ms {wait} --threads {workers}" + (" (batching)" if wait != "0" else " (per request)" if workers == threads else " (one at a time)")
print(f"{name:<44} {clients:>7} {row['requests']:>10} {row['sentences_per_second']:>12.1f} {row['p50_ms']:>9.1f} {row['p99_ms']:>9.1f} {row['failures']:>8}")
PY
    done
    curl -s "http://127.0.0.1:$port/metrics" | python3 -c '
import sys
values = dict(line.split(" ", 1) for line in sys.stdin if line.startswith("tern_") and "{" not in line.split(" ")[0])
batches, lines, seconds = (float(values[name]) for name in ("tern_batch_lines_count", "tern_batch_lines_sum", "tern_batch_duration_seconds_sum"))
print(f"  all rows: {int(batches)} batches, {lines / batches:.1f} lines per batch, {1000 * seconds / lines:.2f} ms of batch time per line")'
    kill -TERM "$server"
    wait "$server"
done
