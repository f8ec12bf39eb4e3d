#!/usr/bin/env bash
# SentencePiece encoding speed, one thread: Tern's TernSentencePiece against the `sentencepiece`
# library (C++) with the same fixture models on the same files (FLORES dev English, German,
# Chinese), in the same run. Needs ../shared/corpora (or TERN_SHARED_CORPORA); the anchor needs
# `pip install sentencepiece`.
needed_corpus=flores-dev
source "$(dirname "$0")/prelude.sh"

swift build -c release --product tern-bench >&2
fixtures=Tests/TernSentencePieceTests/Fixtures/models
files=(--file "$corpora/flores-dev/en-de/flores-dev.en" --file "$corpora/flores-dev/en-de/flores-dev.de" --file "$corpora/flores-dev/en-zh/flores-dev.zh")
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for name in unigram-nmt-nfkc bpe-nmt-nfkc-bytes; do
    gzip -dc "$fixtures/$name.model.gz" > "$work/$name.model"
    echo "== $name: Tern"
    OPENBLAS_NUM_THREADS=1 .build/release/tern-bench sentencepiece --model "$work/$name.model" "${files[@]}"
    if python3 -c "import sentencepiece" 2>/dev/null; then
        echo "== $name: sentencepiece $(python3 -c 'import sentencepiece; print(sentencepiece.__version__)')"
        python3 Benchmarks/sentencepiece_anchor.py --model "$work/$name.model" "${files[@]}"
    else
        echo "anchor skipped: pip install sentencepiece"
    fi
done
