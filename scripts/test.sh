#!/usr/bin/env bash
# Runs the whole test suite. Tests that need ../shared/corpora skip, saying so, when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-dependencies.sh
swift build --build-tests
swift test --skip-build
