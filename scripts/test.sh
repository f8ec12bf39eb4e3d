#!/usr/bin/env bash
# Runs the whole test suite. Tests that need ../shared/corpora skip, saying so, when it is absent.
# Then a short, repeatable run of every fuzzing harness (Fuzz/README.md): a fixed seed and a
# fixed number of inputs each, under AddressSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-dependencies.sh
swift build --build-tests
swift test --skip-build
for target in tokenizer safetensors pytorch config linereader eval vocab sentencepiece; do
    bash Fuzz/run.sh "$target" 120 -seed=1 -runs=2000
done
