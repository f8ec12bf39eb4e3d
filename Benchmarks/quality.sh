#!/usr/bin/env bash
# Translation quality of the bundled models, greedy and beam 5, scored by `tern eval` (sacreBLEU 2.6.0
# rules): the README's quality tables, in one command.
#   Benchmarks/quality.sh en-de           the general model Models/en-de/encdec (BLEU 13a) on the Tatoeba
#                                         development slice (every 80th pair, as Corpora/README.md makes it),
#                                         newstest2018, FLORES-200 dev and Multi30k test_2016_flickr, with the
#                                         public systems' FLORES scores from SCORES.tsv beside them
#   Benchmarks/quality.sh en-de-multi30k  Multi30k test_2016_flickr (BLEU 13a) for the architecture study,
#                                         Models/en-de-multi30k/{encdec,prefix-lm,causal-lm}
#   Benchmarks/quality.sh en-zh           3AM test and FLORES-200 dev (BLEU tokenize zh) for Models/en-zh/*, with
#                                         the public systems' FLORES scores beside them
# Models that are not there are skipped.
# Environment: TERN_SCRATCH_PATH, the SwiftPM scratch path (default .build); TERN_QUALITY_NO_BUILD=1 uses
# the tern already built there.
pair="${1:-en-de}"
case "$pair" in
    en-de) needed_corpus=tatoeba-en-de ;;
    en-de-multi30k) needed_corpus=multi30k ;;
    en-zh) needed_corpus=3am-en-zh ;;
    *) echo "usage: Benchmarks/quality.sh en-de|en-de-multi30k|en-zh" >&2; exit 64 ;;
esac
source "$(dirname "$0")/prelude.sh"
scratch="${TERN_SCRATCH_PATH:-.build}"
[ "${TERN_QUALITY_NO_BUILD:-}" = 1 ] || swift build -c release --product tern --scratch-path "$scratch" >&2
tern="$scratch/release/tern"
if [ "$pair" = en-de ]; then
    for corpus in multi30k wmt-news-en-de flores-dev; do
        [ -d "$corpora/$corpus" ] || { echo "skipped: $corpora/$corpus is absent"; exit 0; }
    done
    for corpus in tatoeba-en-de multi30k wmt-news-en-de flores-dev; do
        "$tern" corpus import "$corpus" --from "$corpora" --to "$work/$corpus" 2>/dev/null
    done
    "$tern" corpus split --source-language en --target-language de --input "$work/tatoeba-en-de/tatoeba" --every 80 \
        --slice-output "$work/tatoeba-dev" --rest-output "$work/tatoeba-rest" >/dev/null 2>&1
    tests=("Tatoeba dev|$work/tatoeba-dev.en|$work/tatoeba-dev.de|13a"
           "newstest2018|$work/wmt-news-en-de/newstest2018.en|$work/wmt-news-en-de/newstest2018.de|13a"
           "FLORES dev|$work/flores-dev/en-de/flores-dev.en|$work/flores-dev/en-de/flores-dev.de|13a"
           "multi30k test2016|$work/multi30k/test_2016_flickr.en|$work/multi30k/test_2016_flickr.de|13a")
    scores="$work/flores-dev/SCORES.tsv"
elif [ "$pair" = en-de-multi30k ]; then
    "$tern" corpus import multi30k --from "$corpora" --to "$work/multi30k" 2>/dev/null
    tests=("multi30k test2016|$work/multi30k/test_2016_flickr.en|$work/multi30k/test_2016_flickr.de|13a")
    scores=""
else
    "$tern" corpus import 3am-en-zh --from "$corpora" --to "$work/3am" 2>/dev/null
    "$tern" corpus import flores-dev --from "$corpora" --to "$work/flores" 2>/dev/null
    tests=("3AM test|$work/3am/test.en|$work/3am/test.zh|zh"
           "FLORES dev|$work/flores/en-zh/flores-dev.en|$work/flores/en-zh/flores-dev.zh|zh")
    scores="$work/flores/SCORES.tsv"
fi

score() {  # hypothesis reference tokenize → "BLEU chrF"
    "$tern" eval --hypothesis "$1" --reference "$2" --tokenize "$3" --format json |
        python3 -c 'import json, sys; scores = {m["name"]: m["score"] for m in json.load(sys.stdin)}; print("%.2f\t%.2f" % (scores["BLEU"], scores["chrF2"]))'
}

printf 'model\ttest set\tgreedy BLEU\tgreedy chrF\tbeam 5 BLEU\tbeam 5 chrF\n' > "$work/table"
for mode in encdec prefix-lm causal-lm; do
    model="Models/$pair/$mode"
    [ -f "$model/config.json" ] || continue
    for test in "${tests[@]}"; do
        IFS='|' read -r name source reference tokenize <<< "$test"
        row="$pair/$mode\t$name"
        for beam in 1 5; do
            "$tern" batch --model "$model" --input "$source" --output "$work/hypothesis" --beam "$beam" 2>/dev/null
            row="$row\t$(score "$work/hypothesis" "$reference" "$tokenize")"
        done
        printf "$row\n" >> "$work/table"
    done
done
if [ -n "$scores" ]; then
    awk -F'\t' -v pair="$pair" '$1 == pair && $3 == "BLEU" { bleu[$2] = $4 } $1 == pair && $3 == "chrF" { chrf[$2] = $4 }
        END { for (name in bleu) printf "%s (public)\tFLORES dev\t–\t–\t%.2f\t%.2f\n", name, bleu[name], chrf[name] }' \
        "$scores" | sort >> "$work/table"
fi
column -t -s $'\t' "$work/table"
