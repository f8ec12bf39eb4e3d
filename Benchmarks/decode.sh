#!/usr/bin/env bash
# Decoding speed of the engine: tokens/s for greedy and beam 4 at batch 1 and 32; cached against
# no-cache decoding at forced output lengths 32/64/128/256 (the anchor: the O(T²) recomputation the
# caches replace); KV-cache bytes per generated token, for the three modes.
# Uses the bundled Multi30k study when Models/en-de-multi30k/{encdec,prefix-lm,causal-lm} exist, else random models of
# the default size (4+4 layers, d_model 128, FFN 256; decoder-only 8 layers). Input: Multi30k test 2016.
source "$(dirname "$0")/prelude.sh"
swift build -c release --product tern >&2 && swift build -c release --product tern-bench >&2
.build/release/tern corpus import multi30k --from "$corpora" --to "$work/multi30k" 2>/dev/null
models=()
for mode in encdec prefix-lm causal-lm; do
    [ -f "Models/en-de-multi30k/$mode/config.json" ] && models+=(--model "$mode=Models/en-de-multi30k/$mode")
done
.build/release/tern-bench decode --input "$work/multi30k/test_2016_flickr.en" --vocab Vocab/multi30k-en-de "${models[@]}"
