#!/usr/bin/env bash
# Decoding time by layer split (Models/README.md, the general English→German model's shape): random
# encoder-decoders of the default model's width, heads, feed-forward and vocabulary, with 6+3, 4+4,
# 3+6 and 6+6 layers (weights rounded to F16 like the bundled files), translate the first 256
# newstest2018 lines with every output forced to 24 tokens: beam 5 in batches of 32, and greedy one
# sentence at a time on the first 64. `tern batch --threads 1`, whole process (model loading included),
# the shapes taking turns for --rounds rounds (default 3). The anchor is the 6+3 shape in the same run.
# Usage: Benchmarks/shapes.sh [--rounds N]
# Environment: PYTHON (default python3) with torch and transformers, to write the random models;
# TERN_SCRATCH_PATH, the SwiftPM scratch path (default .build); TERN_SHAPES_NO_BUILD=1 uses the tern
# already built there.
rounds=3
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        *) echo "usage: Benchmarks/shapes.sh [--rounds N]" >&2; exit 64 ;;
    esac
done
needed_corpus=wmt-news-en-de
source "$(dirname "$0")/prelude.sh"
python="${PYTHON:-python3}"
"$python" -c 'import torch, transformers' 2>/dev/null || { echo "skipped: $python lacks torch or transformers (see Benchmarks/README.md)"; exit 0; }
[ -f Models/en-de/encdec/config.json ] || { echo "skipped: Models/en-de/encdec is absent"; exit 0; }
scratch="${TERN_SCRATCH_PATH:-.build}"
[ "${TERN_SHAPES_NO_BUILD:-}" = 1 ] || swift build -c release --product tern --scratch-path "$scratch" >&2
tern="$scratch/release/tern"
echo "machine: $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores, $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'avx2|avx512f|avx512_vnni' | tr '\n' ' ')"
echo "other processes: load average $(cut -d' ' -f1 /proc/loadavg)"

"$tern" corpus import wmt-news-en-de --from "$corpora" --to "$work/news" 2>/dev/null
head -n 256 "$work/news/newstest2018.en" > "$work/beam.en"
head -n 64 "$work/news/newstest2018.en" > "$work/greedy.en"
shapes=("6 3" "4 4" "3 6" "6 6")
"$python" - "$work" "${shapes[@]}" <<'PYTHON'
import json, os, shutil, sys
import torch
from transformers import MarianConfig, MarianMTModel
work, shapes = sys.argv[1], sys.argv[2:]
base = json.load(open("Models/en-de/encdec/config.json"))
for shape in shapes:
    encoder, decoder = map(int, shape.split())
    folder = os.path.join(work, f"model-{encoder}-{decoder}")
    config = dict(base, encoder_layers=encoder, decoder_layers=decoder)
    torch.manual_seed(0)
    model = MarianMTModel(MarianConfig(**{k: v for k, v in config.items() if k != "tern_vocabulary"}))
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(parameter.half().float())
    model.save_pretrained(folder, safe_serialization=True)
    config["tern_vocabulary"] = os.path.abspath(os.path.join("Models/en-de/encdec", base["tern_vocabulary"]))
    json.dump(config, open(os.path.join(folder, "config.json"), "w"), indent=2)
    shutil.copy("Models/en-de/encdec/vocab.json", folder)
    generation = os.path.join(folder, "generation_config.json")
    if os.path.exists(generation):
        os.remove(generation)
PYTHON

seconds() {  # model input beam batch-sentences → wall seconds of one tern batch run
    local start end
    start=$(date +%s.%N)
    "$tern" batch --model "$1" --input "$2" --output "$work/output" --beam "$3" --batch-sentences "$4" \
        --min-length 24 --max-length 24 --threads 1 >/dev/null 2>"$work/errors" || { cat "$work/errors" >&2; exit 1; }
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
for round in $(seq "$rounds"); do
    for shape in "${shapes[@]}"; do
        set -- $shape
        model="$work/model-$1-$2"
        printf '%s\t%s\t%s\t%s\t%s\n' "$1 + $2" "$("$tern" info "$model" | awk '/^parameters/ { print $2 }')" \
            "$(seconds "$model" "$work/beam.en" 5 32)" "$(seconds "$model" "$work/greedy.en" 1 1)" "$round" >> "$work/times"
    done
done
printf 'layers\tparameters\tbeam 5 b32 s (min–max)\tgreedy b1 s (min–max)\t× 6+3 (beam, greedy; medians)\n' > "$work/table"
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
range() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f–%.2f", lo, hi }'; }
anchor_beam=$(awk -F'\t' '$1 == "6 + 3" { print $3 }' "$work/times" | median)
anchor_greedy=$(awk -F'\t' '$1 == "6 + 3" { print $4 }' "$work/times" | median)
for shape in "${shapes[@]}"; do
    set -- $shape
    rows=$(awk -F'\t' -v s="$1 + $2" '$1 == s' "$work/times")
    beam=$(cut -f3 <<< "$rows"); greedy=$(cut -f4 <<< "$rows")
    printf '%s\t%s\t%s\t%s\t%.2f, %.2f\n' "$1 + $2" "$(head -1 <<< "$rows" | cut -f2)" "$(range <<< "$beam")" "$(range <<< "$greedy")" \
        "$(echo "$(median <<< "$beam") / $anchor_beam" | bc -l)" "$(echo "$(median <<< "$greedy") / $anchor_greedy" | bc -l)" >> "$work/table"
done
column -t -s $'\t' "$work/table"
