#!/usr/bin/env bash
# int8 weights against float32 (issue 18): `tern batch --threads 1`, batches of 32 sentences, greedy and beam 4,
# with --compute-type float32 and --compute-type int8, side by side:
#   - target tokens/s as tern batch reports it (model loading, and int8's quantization, included), median of
#     --runs runs (default 3);
#   - peak RSS of the process (/usr/bin/time -v), median of the runs;
#   - BLEU and chrF of the outputs (`tern eval`, sacreBLEU 2.6.0 rules).
# Test sets: Multi30k test 2016 with Models/en-de-multi30k/encdec, and 3AM test with Models/en-zh/encdec when both are there.
# Each model folder is copied to a scratch folder first (its vocabulary path made absolute), since a training
# job may re-export it at any time.
# Usage: Benchmarks/int8.sh [--runs N] [--limit N]   (--limit: the first N test sentences only)
# Environment: TERN_SHARED_CORPORA (default ../shared/corpora); TERN_INT8_NO_BUILD=1 uses .build/release/tern as it is.
# On a shared machine, run it as `nice -n 19 Benchmarks/int8.sh` and compare the two columns, not absolute numbers.
runs=3 limit=0
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --limit) limit="$2"; shift 2 ;;
        *) echo "usage: Benchmarks/int8.sh [--runs N] [--limit N]" >&2; exit 64 ;;
    esac
done
source "$(dirname "$0")/prelude.sh"
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }
[ "${TERN_INT8_NO_BUILD:-}" = 1 ] || swift build -c release --product tern >&2
tern=.build/release/tern

flags="$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'avx2|fma|f16c|avx512f|avx512bw|avx512_vnni|avx_vnni' | tr '\n' ' ')"
echo "machine: $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores, ${flags:-no AVX}"
case "${TERN_GEMM_KERNEL:-}:$flags" in  # as tern_gemm_int8.c chooses; TERN_GEMM_KERNEL can only lower it
    portable:*) kernel=portable ;;
    avx2:*avx2*) kernel=AVX2 ;;
    *avx512_vnni*) kernel="AVX-512 VNNI" ;;
    *avx2*) kernel=AVX2 ;;
    *) kernel=portable ;;
esac
echo "int8 kernel: $kernel (TERN_GEMM_KERNEL=${TERN_GEMM_KERNEL:-unset}); other processes: load average $(cut -d' ' -f1 /proc/loadavg)"

"$tern" corpus import multi30k --from "$corpora" --to "$work/multi30k" 2>/dev/null
tests=("en-de-multi30k|Multi30k test2016|$work/multi30k/test_2016_flickr.en|$work/multi30k/test_2016_flickr.de|13a")
if [ -d "$corpora/3am-en-zh" ] && [ -f Models/en-zh/encdec/config.json ]; then
    "$tern" corpus import 3am-en-zh --from "$corpora" --to "$work/3am" 2>/dev/null
    tests+=("en-zh|3AM test|$work/3am/test.en|$work/3am/test.zh|zh")
fi

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf 'test set\tsearch\tfloat32 tokens/s\tint8 tokens/s\tspeed-up\tfloat32 peak MB\tint8 peak MB\tfloat32 BLEU\tint8 BLEU\tΔ BLEU\tfloat32 chrF\tint8 chrF\n' > "$work/table"
for test in "${tests[@]}"; do
    IFS='|' read -r pair name source reference tokenize <<< "$test"
    mkdir "$work/model-$pair"
    cp "Models/$pair/encdec/"{model.safetensors,vocab.json} "$work/model-$pair/"
    python3 - "Models/$pair/encdec" "$work/model-$pair" <<'PYTHON'
import json, os, sys
config = json.load(open(os.path.join(sys.argv[1], "config.json")))
if config.get("tern_vocabulary"):  # relative to the original folder
    config["tern_vocabulary"] = os.path.abspath(os.path.join(sys.argv[1], config["tern_vocabulary"]))
json.dump(config, open(os.path.join(sys.argv[2], "config.json"), "w"), indent=2)
PYTHON
    if [ "$limit" -gt 0 ]; then
        head -n "$limit" "$source" > "$work/source"; head -n "$limit" "$reference" > "$work/reference"
        source="$work/source" reference="$work/reference"
    fi
    for beam in 1 4; do
        declare -A speed memory bleu chrf
        for type in float32 int8; do
            : > "$work/speeds"; : > "$work/memories"
            for _ in $(seq "$runs"); do
                /usr/bin/time -v "$tern" batch --model "$work/model-$pair" --input "$source" --output "$work/hypothesis" \
                    --beam "$beam" --threads 1 --batch-sentences 32 --batch-tokens 1000000 --compute-type "$type" 2> "$work/log"
                sed -n 's/.* \([0-9,]*\) target tokens\/s.*/\1/p' "$work/log" | tr -d , >> "$work/speeds"
                sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/log" >> "$work/memories"
            done
            speed[$type]="$(median < "$work/speeds")"
            memory[$type]="$(( $(median < "$work/memories") / 1000 ))"
            read -r bleu[$type] chrf[$type] < <("$tern" eval --hypothesis "$work/hypothesis" --reference "$reference" \
                --tokenize "$tokenize" --format json |
                python3 -c 'import json, sys; s = {m["name"]: m["score"] for m in json.load(sys.stdin)}; print("%.2f %.2f" % (s["BLEU"], s["chrF2"]))')
        done
        search="greedy"; [ "$beam" = 1 ] || search="beam $beam"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$search" "${speed[float32]}" "${speed[int8]}" \
            "$(awk -v a="${speed[int8]}" -v b="${speed[float32]}" 'BEGIN { printf "%.2f×", a / b }')" \
            "${memory[float32]}" "${memory[int8]}" "${bleu[float32]}" "${bleu[int8]}" \
            "$(awk -v a="${bleu[int8]}" -v b="${bleu[float32]}" 'BEGIN { printf "%+.2f", a - b }')" "${chrf[float32]}" "${chrf[int8]}" >> "$work/table"
        unset speed memory bleu chrf
    done
done
echo "tern batch --threads 1 --batch-sentences 32, median of $runs runs; BLEU/chrF by tern eval (sacreBLEU 2.6.0 rules)"
column -t -s $'\t' "$work/table"
