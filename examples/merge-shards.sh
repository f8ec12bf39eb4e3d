#!/usr/bin/env bash
# Merges the outputs of `tern batch --shard I/N` (I = 1 … N) back into one file in input order.
#
#   examples/merge-shards.sh [--mode interleaved|contiguous] OUTPUT SHARD_1 … SHARD_N
#
# SHARD_I is the output of `tern batch --shard I/N`: give all N of them, in order I = 1 … N,
# and the --shard-mode they were made with (default interleaved).
#
# The merge rule, with L input lines numbered k = 0 … L−1:
#   interleaved  line k was translated by shard (k mod N) + 1, as its line ⌊k / N⌋:
#                take one line from each shard in turn (paste -d '\n'), for L lines.
#   contiguous   shard I holds the block of lines ⌊(I−1)·L / N⌋ ..< ⌊I·L / N⌋:
#                concatenate the shards in order (cat).
#
# Before merging, each shard's line count is checked against the count the rule gives it,
# which catches a missing, incomplete or (interleaved) misordered shard. OUTPUT is written to
# OUTPUT.merging and renamed onto OUTPUT only when complete.
set -euo pipefail

usage() {
    echo "usage: $0 [--mode interleaved|contiguous] OUTPUT SHARD_1 ... SHARD_N" >&2
    exit 2
}

mode=interleaved
if [[ ${1:-} == --mode ]]; then
    [[ $# -ge 2 ]] || usage
    mode=$2
    shift 2
fi
case $mode in
    interleaved | contiguous) ;;
    *) echo "merge-shards.sh: --mode must be interleaved or contiguous, not '$mode'" >&2; exit 2 ;;
esac
[[ $# -ge 2 ]] || usage
output=$1
shift
shards=("$@")
n=${#shards[@]}

counts=()
total=0
for shard in "${shards[@]}"; do
    if [[ ! -f $shard ]]; then
        echo "merge-shards.sh: shard output '$shard' does not exist; has its job finished?" >&2
        exit 1
    fi
    count=$(($(wc -l <"$shard")))
    counts+=("$count")
    total=$((total + count))
done

# The line count of shard i (1-based) of a $total-line file under the rule above.
expected=()
for ((i = 1; i <= n; i++)); do
    if [[ $mode == interleaved ]]; then
        expected+=($(((total - i + n) / n)))
    else
        expected+=($((i * total / n - (i - 1) * total / n)))
    fi
done
if [[ "${counts[*]}" != "${expected[*]}" ]]; then
    echo "merge-shards.sh: the shards' line counts (${counts[*]}) are not those of $n $mode shards of one $total-line file" \
        "(${expected[*]}); check that every shard is complete and that they are given in order 1 … $n" >&2
    exit 1
fi

trap 'rm -f "$output.merging"' EXIT
if [[ $mode == interleaved ]]; then
    # paste writes an empty line for each shard that has run out in the last round; keep $total.
    paste -d '\n' "${shards[@]}" | awk -v total="$total" 'NR <= total' >"$output.merging"
else
    cat "${shards[@]}" >"$output.merging"
fi
mv -f "$output.merging" "$output"
