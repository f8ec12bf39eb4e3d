# Shared start of the benchmark scripts (sourced): run from the repository root, find the corpora
# (../shared/corpora or TERN_SHARED_CORPORA; skip, saying so, when absent), and make a scratch
# folder `$work` that is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
corpora="${TERN_SHARED_CORPORA:-../shared/corpora}"
[ -d "$corpora/multi30k" ] || { echo "skipped: $corpora/multi30k is absent"; exit 0; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
