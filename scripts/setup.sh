#!/usr/bin/env bash
# First setup: installs what is missing, builds Tern in release mode and runs it once.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-dependencies.sh
swift build -c release --product tern
echo "Built $(.build/release/tern --version) at .build/release/tern" >&2
echo "Where is the nearest train station?" | .build/release/tern translate
