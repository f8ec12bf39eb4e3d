#!/usr/bin/env bash
# What ICU word boundaries buy English→Chinese: three 8,000-piece vocabularies learned from the same
# training set (3AM train + Tatoeba, held-out sentences removed), differing only in where merges
# stop: ICU word boundaries (Tern's default), whitespace only, or whitespace plus every ideograph
# alone (BERT's rule). For each: pieces per sentence and the share of pieces crossing an ICU word
# boundary on 3AM test, then a short training run of the same encoder-decoder (4+4 layers, d_model
# 128) and its BLEU/chrF on 3AM test (greedy, sacreBLEU tokenize zh).
# ICU_EFFECT_STEPS (default 1000) sets the length of each training run (4,096-token batches); one run
# takes about 20 minutes at 1,000 steps on one core.
needed_corpus=3am-en-zh
source "$(dirname "$0")/prelude.sh"
steps="${ICU_EFFECT_STEPS:-1000}"
swift build -c release --product tern >&2 && swift build -c release --product tern-bench >&2
tern=.build/release/tern
for corpus in 3am-en-zh tatoeba-en-zh flores-dev; do
    "$tern" corpus import "$corpus" --from "$corpora" --to "$work/$corpus" 2>/dev/null
done
"$tern" corpus combine --source-language en --target-language zh \
    --train "$work/3am-en-zh/train" --train "$work/tatoeba-en-zh/tatoeba" \
    --exclude "$work/3am-en-zh/val" --exclude "$work/3am-en-zh/test" --exclude "$work/flores-dev/en-zh/flores-dev" \
    --output "$work/train" 2>/dev/null
test="$work/3am-en-zh/test"
printf 'pre-tokenization\ten pieces/sentence\ten crossing\tzh pieces/sentence\tzh crossing\tBLEU\tchrF\n' > "$work/table"
for rule in icu-word whitespace characters; do
    "$tern" vocab learn --corpus "$work/train.en" --corpus "$work/train.zh" --size 8000 \
        --pre-tokenization "$rule" --out "$work/vocab-$rule" 2>/dev/null
    .build/release/tern-bench segmentation --vocab "$work/vocab-$rule" --file "$test.en" --file "$test.zh" > "$work/segmentation"
    OPENBLAS_NUM_THREADS=1 "$tern" train --name "$rule" --run-dir "$work/run-$rule" --arch encdec \
        --vocab "$work/vocab-$rule" --train-source "$work/train.en" --train-target "$work/train.zh" \
        --valid-source "$work/3am-en-zh/val.en" --valid-target "$work/3am-en-zh/val.zh" --output "$work/model-$rule" \
        --batch-tokens 4096 --learning-rate 3e-3 --warmup 300 --dropout 0.1 --max-steps "$steps" \
        --validate-every "$steps" --validation-sentences 200 --checkpoint-every "$steps" --bleu-tokenize zh 2> "$work/train-$rule.log"
    "$tern" batch --model "$work/model-$rule" --input "$test.en" --output "$work/hypothesis-$rule.zh" 2>/dev/null
    "$tern" eval --hypothesis "$work/hypothesis-$rule.zh" --reference "$test.zh" --tokenize zh > "$work/score-$rule"
    awk -v rule="$rule" -F'\t' 'NR == 2 { en = $2 "\t" $3 } NR == 3 { zh = $2 "\t" $3 }
        END { printf "%s\t%s\t%s\t", rule, en, zh }' "$work/segmentation" >> "$work/table"
    awk '{ split($0, parts, "= "); split(parts[2], value, " ") } /BLEU/ { bleu = value[1] } /chrF/ { chrf = value[1] }
        END { printf "%s\t%s\n", bleu, chrf }' "$work/score-$rule" >> "$work/table"
    tail -n 1 "$work/train-$rule.log" >&2
done
column -t -s $'\t' "$work/table"
