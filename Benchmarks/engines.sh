#!/usr/bin/env bash
# Tern against two independent implementations of the same network (issue 6): CTranslate2 (fp32, CPU) and
# Hugging Face transformers MarianMTModel (torch CPU, fp32), on the same trained model folder and on Multi30k
# test2016 en→de, side by side in one run:
#   - greedy batch 1, greedy batch 32 and beam 4 batch 32; the same per-sentence length limit for every engine
#     (Tern's min(256, 3 × source tokens + 10)), length penalty 1.0, no repetition tricks;
#   - target tokens/s (pieces without </s>), ratio to CTranslate2, peak RSS of each engine's own process
#     (/usr/bin/time -v), BLEU and chrF (sacreBLEU), and the share of outputs identical to Tern's;
#   - then `tern-bench decode` (Tern's cache claims: cached vs no-cache, KV bytes per token).
# Details and the known engine differences: the docstring of Benchmarks/engines.py.
# With --opus-mt-shape, instead: Tern against CTranslate2 on a random-weight model of OPUS-MT's shape (6+6 layers,
# d_model 512, a 58k vocabulary) at forced output lengths (issue 14); see Benchmarks/opus_shape.py.
#
# Usage:
#   Benchmarks/engines.sh [--model DIR] [--limit N] [--threads N] [--cases greedy-b1,greedy-b32,beam4-b32] [--keep]
#                         [--rounds N] [--compute-type float32|int8]   (CTranslate2's compute_type and Tern's --compute-type)
#                         [--test-set multi30k|flores-dev-en-de|flores-dev-en-zh] [--engines ctranslate2,tern]
#   Benchmarks/engines.sh --opus-mt-shape [--sentences N] [--length N] [--threads N] [--cases greedy-b1,beam4-b32]
#                         [--rounds N] [--compute-type float32|int8] [--work-root DIR] [--keep]
#     --rounds  runs of every engine per case (the engines taking turns); the tables give medians
#     --model   a Tern encoder-decoder folder (default Models/en-de-multi30k/encdec; copied to a temp dir first,
#               since a training job may re-export it at any time)
#     --limit   the first N test sentences only (e.g. 50 while developing; default all)
#     --test-set  multi30k (default, Multi30k test2016 en→de), flores-dev-en-de or flores-dev-en-zh (FLORES dev,
#               997 sentences; BLEU with sacreBLEU's zh tokenizer for Chinese)
# Environment:
#   TERN_SHARED_CORPORA   folder holding multi30k/test_2016_flickr.{en,de}.gz, and wmt-news-en-de for
#                         --opus-mt-shape (default ../shared/corpora); the benchmark is skipped when it is absent
#   TERN_SCRATCH_PATH     SwiftPM scratch path for the builds (default .build)
#   TERN_ENGINES_NO_BUILD=1  use the binaries already in the scratch path instead of building
#   PYTHON                Python with ctranslate2, transformers, torch (CPU), sacrebleu, safetensors, and
#                         sentencepiece for --opus-mt-shape (default python3)
# On a shared machine, run it as `nice -n 19 Benchmarks/engines.sh` and compare ratios, not absolute numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
corpora="${TERN_SHARED_CORPORA:-../shared/corpora}"
scratch="${TERN_SCRATCH_PATH:-.build}"
python="${PYTHON:-python3}"

if [ "${1:-}" = --opus-mt-shape ]; then
    shift
    [ -f "$corpora/wmt-news-en-de/newstest2018.en.gz" ] || { echo "skipped: $corpora/wmt-news-en-de is absent"; exit 0; }
    "$python" -c "import ctranslate2, transformers, torch, sentencepiece, safetensors" 2>/dev/null || {
        echo "missing Python packages: pip install ctranslate2 transformers sentencepiece safetensors 'torch==2.13.0+cpu'" >&2; exit 1; }
    [ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }
    if [ "${TERN_ENGINES_NO_BUILD:-0}" != 1 ]; then
        swift build -c release --scratch-path "$scratch" --product tern >&2
        swift build -c release --scratch-path "$scratch" --product tern-bench >&2  # prints the machine line
    fi
    exec "$python" Benchmarks/opus_shape.py --corpora "$corpora" --tern "$scratch/release/tern" "$@"
fi

[ -f "$corpora/multi30k/test_2016_flickr.en.gz" ] || { echo "skipped: $corpora/multi30k is absent"; exit 0; }

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time (for peak RSS)" >&2
    { apt-get update -qq && apt-get install -y -qq time; } >&2 || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }
fi
"$python" -c "import ctranslate2, transformers, torch, sacrebleu, safetensors" 2>/dev/null || {
    echo "missing Python packages: pip install ctranslate2 transformers sacrebleu safetensors 'torch==2.13.0+cpu'" >&2; exit 1; }

tern_bench="$scratch/release/tern-bench"
if [ "${TERN_ENGINES_NO_BUILD:-0}" != 1 ]; then
    swift build -c release --scratch-path "$scratch" --product tern >&2
    # tern-bench gives Tern's per-sentence length limits to the other engines, so it must build.
    swift build -c release --scratch-path "$scratch" --product tern-bench >&2
fi

exec "$python" Benchmarks/engines.py --corpora "$corpora" --tern "$scratch/release/tern" --tern-bench "$tern_bench" "$@"
