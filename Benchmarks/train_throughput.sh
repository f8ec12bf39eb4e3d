#!/usr/bin/env bash
# Training throughput, Tern against PyTorch (CPU, 2 threads), on the same configuration (4+4 layers,
# d_model 128, FFN 256, 4 heads, the 6,000-piece Multi30k vocabulary, 4,096-token batches, Adam,
# label smoothing 0.1, dropout 0.1, clipping 1.0) and the same Multi30k data, in target tokens/s.
# Needs ../shared/corpora (or TERN_SHARED_CORPORA) and pip packages torch and transformers.
source "$(dirname "$0")/prelude.sh"
steps="${STEPS:-60}"

swift build -c release --product tern >&2
tern=.build/release/tern
$tern corpus import multi30k --from "$corpora" --to "$work/multi30k" 2>/dev/null
for side in en de; do $tern tokenize --vocab Vocab/multi30k-en-de --ids < "$work/multi30k/train.$side" > "$work/train.$side.ids"; done

# Tern: the real trainer, 10 untimed steps then $steps timed ones (log every 10 steps).
$tern train --name bench --run-dir "$work/run" --vocab Vocab/multi30k-en-de \
    --train-source "$work/multi30k/train.en" --train-target "$work/multi30k/train.de" \
    --valid-source "$work/multi30k/val.en" --valid-target "$work/multi30k/val.de" --output "$work/model" \
    --batch-tokens 4096 --dropout 0.1 --max-steps $((steps + 10)) --log-every 10 --validate-every 100000 \
    --checkpoint-every 100000 --validation-sentences 1 2>/dev/null
tern_rate=$(python3 - "$work/run/log.jsonl" <<'PY'
import json, sys
records = [json.loads(line) for line in open(sys.argv[1]) if '"train_loss"' in line]
first, last = records[0], records[-1]  # step 10 (end of the untimed steps) and the final step
print(f"{(last['target_tokens_seen'] - first['target_tokens_seen']) / (last['elapsed_seconds'] - first['elapsed_seconds']):.0f}")
PY
)
echo -e "tern\t$($tern --version)\t$steps steps\t$tern_rate target tokens/s"
torch_line=$(python3 Benchmarks/train_throughput_torch.py --source "$work/train.en.ids" --target "$work/train.de.ids" --vocab-size 6000 --steps "$steps")
echo "$torch_line"
torch_rate=$(echo "$torch_line" | awk -F'\t' '{print $5}' | awk '{print $1}')
python3 -c "print(f'ratio (Tern / PyTorch): {$tern_rate / $torch_rate:.2f}x')"
