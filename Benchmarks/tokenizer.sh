#!/usr/bin/env bash
# Tokenizer speed, one thread: Tern's ICU + BPE tokenizer against Hugging Face `tokenizers` (Rust)
# and SentencePiece (C++), each learning a BPE vocabulary of the same size from the same files and
# encoding the same files, in the same run. Needs ../shared/corpora (or TERN_SHARED_CORPORA); the
# anchors need `pip install tokenizers sentencepiece`.
source "$(dirname "$0")/prelude.sh"

swift build -c release --product tern >&2 && swift build -c release --product tern-bench >&2
tern=.build/release/tern
for corpus in multi30k 3am-en-zh tatoeba-en-zh; do $tern corpus import $corpus --from "$corpora" --to "$work/$corpus" 2>/dev/null; done
m30k="$work/multi30k" zh3am="$work/3am-en-zh" tatoeba="$work/tatoeba-en-zh"

echo "== Tern: encoding (MB/s of UTF-8 input, one thread, cold word cache each pass)"
OPENBLAS_NUM_THREADS=1 .build/release/tern-bench tokenize --vocab Vocab/multi30k-en-de --file "$m30k/train.en" --file "$m30k/train.de"
OPENBLAS_NUM_THREADS=1 .build/release/tern-bench tokenize --vocab Vocab/en-zh --file "$zh3am/train.zh" --file "$tatoeba/tatoeba.zh" --file "$zh3am/train.en"
echo "== Tern: learning the committed vocabularies"
.build/release/tern-bench learn --corpus "$m30k/train.en" --corpus "$m30k/train.de" --size 6000 --character-coverage 1.0
.build/release/tern-bench learn --corpus "$zh3am/train.en" --corpus "$zh3am/train.zh" --corpus "$tatoeba/tatoeba.en" --corpus "$tatoeba/tatoeba.zh" --size 8000
if python3 -c "import tokenizers, sentencepiece" 2>/dev/null; then
    echo "== Anchors: Hugging Face tokenizers and SentencePiece, same sizes and files"
    python3 Benchmarks/tokenizer_anchor.py --size 6000 --learn "$m30k/train.en" "$m30k/train.de" --encode "$m30k/train.en" "$m30k/train.de"
    python3 Benchmarks/tokenizer_anchor.py --size 8000 --learn "$zh3am/train.en" "$zh3am/train.zh" "$tatoeba/tatoeba.en" "$tatoeba/tatoeba.zh" \
        --encode "$zh3am/train.zh" "$tatoeba/tatoeba.zh"
else
    echo "anchors skipped: pip install tokenizers sentencepiece"
fi
