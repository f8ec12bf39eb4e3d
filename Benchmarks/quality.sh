#!/usr/bin/env bash
# Translation quality of the bundled models, greedy and beam 5, scored by `tern eval` (sacreBLEU 2.6.0
# rules): the README's quality tables, in one command.
#   Benchmarks/quality.sh en-de   Multi30k test_2016_flickr (BLEU 13a) for Models/en-de/{encdec,prefix-lm,causal-lm}
#   Benchmarks/quality.sh en-zh   3AM test and FLORES-200 dev (BLEU tokenize zh) for Models/en-zh/*, with
#                                 the public systems' FLORES scores from SCORES.tsv beside them
# Models that are not there are skipped.
pair="${1:-en-de}"
case "$pair" in
    en-de) needed_corpus=multi30k ;;
    en-zh) needed_corpus=3am-en-zh ;;
    *) echo "usage: Benchmarks/quality.sh en-de|en-zh" >&2; exit 64 ;;
esac
source "$(dirname "$0")/prelude.sh"
swift build -c release --product tern >&2
tern=.build/release/tern
if [ "$pair" = en-de ]; then
    "$tern" corpus import multi30k --from "$corpora" --to "$work/multi30k" 2>/dev/null
    tests=("multi30k test2016|$work/multi30k/test_2016_flickr.en|$work/multi30k/test_2016_flickr.de|13a")
else
    "$tern" corpus import 3am-en-zh --from "$corpora" --to "$work/3am" 2>/dev/null
    "$tern" corpus import flores-dev --from "$corpora" --to "$work/flores" 2>/dev/null
    tests=("3AM test|$work/3am/test.en|$work/3am/test.zh|zh"
           "FLORES dev|$work/flores/en-zh/flores-dev.en|$work/flores/en-zh/flores-dev.zh|zh")
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
if [ "$pair" = en-zh ]; then
    awk -F'\t' '$1 == "en-zh" && $3 == "BLEU" { bleu[$2] = $4 } $1 == "en-zh" && $3 == "chrF" { chrf[$2] = $4 }
        END { for (name in bleu) printf "%s (public)\tFLORES dev\t–\t–\t%.2f\t%.2f\n", name, bleu[name], chrf[name] }' \
        "$work/flores/SCORES.tsv" | sort >> "$work/table"
fi
column -t -s $'\t' "$work/table"
