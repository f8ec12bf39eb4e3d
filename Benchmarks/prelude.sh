# Shared start of the benchmark scripts (sourced): run from the repository root, find the corpora
# (../shared/corpora or TERN_SHARED_CORPORA; skip, saying so, when the corpus named by
# $needed_corpus, multi30k unless set, is absent), and make a scratch folder `$work` that is
# removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
corpora="${TERN_SHARED_CORPORA:-../shared/corpora}"
needed_corpus="${needed_corpus:-multi30k}"
[ -d "$corpora/$needed_corpus" ] || { echo "skipped: $corpora/$needed_corpus is absent"; exit 0; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
