#!/usr/bin/env python3
"""Writes sacrebleu_fixture.json: tricky inputs and sacreBLEU's exact results for them.

The Swift tests in Tests/TernEvalTests compare TernEval with every number and string here.
Regenerate with sacreBLEU 2.6.0 installed (pip install sacrebleu==2.6.0):

    python3 Tests/TernEvalTests/Fixtures/make_sacrebleu_fixture.py

The output is deterministic (keys sorted, floats written with repr, which round-trips).
"""

import json
import os
import sys

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
from sacrebleu.tokenizers.tokenizer_intl import TokenizerV14International
from sacrebleu.tokenizers.tokenizer_none import NoneTokenizer
from sacrebleu.tokenizers.tokenizer_zh import TokenizerZh

assert sacrebleu.__version__ == "2.6.0", f"sacreBLEU 2.6.0 is needed, found {sacrebleu.__version__}"

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sacrebleu_fixture.json")

# name, tokenizer, lowercase, hypotheses, reference streams
CASES = [
    ("basic", "13a", False,
     ["The cat sat on the mat.", "A quick brown fox jumps over the lazy dog.", "It rained all day long in the city."],
     [["The cat is sitting on the mat.", "The quick brown fox jumped over the lazy dog.", "It rained the whole day in the city."]]),
    ("empty hypothesis lines", "13a", False,
     ["", "the house is small", "", "a b c d e f"],
     [["the house", "the house is very small", "nothing here", "a b c d e g"]]),
    ("all-empty corpus", "13a", False,
     ["", "", ""],
     [["", "", ""]]),
    ("empty hypotheses, non-empty references", "13a", False,
     ["", ""],
     [["one two three", "four"]]),
    ("no 4-gram matches", "13a", False,
     ["the cat and the dog ran", "a b c x d e f"],
     [["the cat or the dog run", "a b c y d e f"]]),
    ("no matches at all", "13a", False,
     ["alpha beta gamma delta", "epsilon"],
     [["one two three four", "five six"]]),
    ("hypotheses shorter than four tokens", "13a", False,
     ["hello world", "good", "yes ok"],
     [["hello world", "good morning", "yes ok"]]),
    ("two references, closest length ties", "13a", False,
     ["the cat sat on the mat", "a dog barked loudly", "he went home early today"],
     [["the cat sat on a mat here", "a dog was barking", "he went home"],
      ["there is a cat on the mat", "the dog barked loudly at night", "he left for home early today ok"]]),
    ("three references", "13a", True,
     ["The Quick brown fox.", "I think, therefore I am!", "Zwei Hunde spielen im Schnee."],
     [["The fast brown fox.", "I think therefore I am.", "Zwei Hunde spielen im Schnee!"],
      ["A quick brown fox.", "I think, therefore I exist!", "Two dogs play in the snow."],
      ["Quick brown foxes.", "Thinking, I am.", "Zwei Hunde tollen im Schnee."]]),
    ("chrF ties between references keep the first", "13a", False,
     ["abc", "hello world", "q"],
     [["", "hello world", "q r"], ["xyz", "hello world", "r q"]]),
    ("13a punctuation, numbers and URLs", "13a", False,
     ["See https://example.com/a-b?x=1&y=2 (or www.test.org).",
      "It costs $3.14, i.e. 1,000.50 EUR - about 10-20% more.",
      "&quot;Quoted&quot; &amp;lt;tag&amp;gt; <skipped> and e.g. U.S.A. ...",
      "Don't stop: 3.5km/h, 2,5 \"x\" [y] {z} @home #tag ^_^ ~ `q` |p|   ",
      "Version 2.0-beta was released on 2023-05-01."],
     [["See https://example.com/a-b?x=1&y=2 (or www.test.org)!",
       "It costs $3.14, e.g. 1,000.50 EUR - roughly 10-20% more.",
       "\"Quoted\" &lt;tag&gt; and e.g. U.S.A. ...",
       "Don't stop: 3.5 km/h, 2,5 \"x\" [y] {z} @home #tag",
       "Version 2.0-beta was released on 2023-05-01 ."]]),
    ("zh mixed CJK and Latin", "zh", False,
     ["我爱北京天安门。Hello, World! 2023年5月1日",
      "“引号”——破折号…… ＡＢＣ１２３，ｆｕｌｌ．",
      "他说：“GPT-4 的价格是 $20/月。”",
      "  扩展B：𠀀𠀁，兼容：丽 ⺀ ㄅ ㈠ ㌀ ☀ ✂ ⿰  ",
      "Mixed Latin text with 3.14 and e.g. words."],
     [["我爱北京天安门。hello, world! 2023年5月1日",
       "“引号” —— 破折号…… ABC123，full.",
       "他说：“GPT-4 的价格是每月 20 美元。”",
       "扩展B：𠀀𠀁，兼容：丽 ⺀ ㄅ ㈠ ㌀ ☀ ✂ ⿰",
       "Mixed latin text with 3.14 and e.g. words."]]),
    ("intl Unicode punctuation and symbols", "intl", False,
     ["«Bonjour», dit-il — «ça va?»", "¿Qué pasa? ¡Nada!", "Preis: 1.000,50 € (+19 % MwSt.) im Jahr 2023.",
      "Emoji 😀👍🏽 and ™ © ® ± × ÷ ≤ ≥ → ∞", "中文，标点。日本語「かぎ」", "snake_case x_y a/b c\\d 3/4 ½ ²"],
     [["«Bonjour», dit-il — «ça va ?»", "¿Qué pasa? ¡Nada!", "Preis: 1.000,50 € (+19 % MwSt.) im Jahr 2023 .",
       "Emoji 😀 👍🏽 and ™ © ® ± × ÷ ≤ ≥ → ∞", "中文，标点。日本語「かぎ」", "snake_case x_y a / b c \\ d 3/4 ½ ²"]]),
    ("lowercase with special casing", "13a", True,
     ["ÀÉÎ İstanbul ΣΟΦΟΣ ΟΔΟΣ. STRASSE ẞ", "ΌΣΟΣ Σ ΑΣ. ǅungla Ǆ", "ＡＢＣ Ⅻ ⒶⒷ"],
     [["àéî i̇stanbul σοφος οδος. strasse ß", "όσος σ ας. ǆungla ǆ", "ａｂｃ ⅻ ⓐⓑ"]]),
    ("Python whitespace", "none", False,
     ["a\u00a0b\u3000c\u2028d\x1ce\u200bf\u0085g", "tab\there\x0bvt\x0cff\rcr  "],
     [["a b c d e\u200bf g", "tab here vt ff cr"]]),
    ("none tokenizer", "none", False,
     ["Hello, world!", "no tokenization at all ."],
     [["Hello , world !", "no tokenization at all ."]]),
]

# Tokenizer inputs, each run through every tokenizer.
TOKENIZER_INPUTS = [
    "Hello, world!",
    "  leading and trailing spaces  ",
    "It's 3.14, not 3,14 - or 1.000.000.",
    "a.b,c 1.b a.1 .5 5. ,x x,",
    "...,,,..",
    "10-20 a-b 3- -3 x--y",
    "&quot;&amp;&lt;&gt; &amp;quot; &foo; & amp;",
    "<skipped>text<skipped> <ski<skipped>pped>",
    "line one-\nline two\nthree",
    "https://example.com/path?q=1&r=2#frag",
    "{[(<all>)]} ~`!@#$%^&*_+=|\\/?:;'\"",
    "我爱北京天安门。",
    "Mixed中文and English，标点！",
    "“quotes” ‘single’ — dash … ellipsis",
    "ＡＢＣ１２３ full width",
    "𠀀𠀁 ext-B 丽 compat",
    "« French » ¿Spanish? ¡Sí!",
    "Price: 1.000,50 € (+19 %).",
    "Year 2023. Number 5.",
    "a+b=c 2×3÷4 x≤y ∞ → ←",
    "😀👍🏽 ™ © ®",
    "snake_case a/b c\\d 3/4 ½ ² ³",
    "日本語「かぎかっこ」。",
    "tab\there nbsp\u00a0here ideographic\u3000space line\u2028sep zero\u200bwidth",
    "\u0085next \x1cfs \x1fus end",
    "Ⅻ ⅻ ① ⑴ ¼ ٣ ३",
    "",
    " ",
]

TOKENIZERS = {"13a": Tokenizer13a(), "zh": TokenizerZh(), "intl": TokenizerV14International(), "none": NoneTokenizer()}

LOWERCASE_INPUTS = [
    "ΣΟΦΟΣ ΟΔΟΣ Σ ΑΣ. ΌΣΟΣ",
    "ΑΣ' ΑΣ·Σ Α.Σ ΑΣ̈ ΑΣΑ",
    "İstanbul I İ ẞ Ǆ ǅ ǈ",
    "ÀÉÎÕÜ ÆØÅ Ⅻ Ⓐ ＡＢＣ",
    "𐐀𐐁 Ꭰ Ᏸ ꭰ",
]

SPLIT_INPUTS = [
    "a\u00a0b\u3000c\u2028d\x1ce\u200bf\u0085g\u180eh\u2029i\u202fj\u205fk\u1680l",
    "  \t\n\x0b\x0c\r x  ",
]

FORMAT_VALUES = [0.0, 0.05, 0.125, 0.15, 0.25, 0.375, 0.5, 1.005, 2.5, 2.675, 12.345, 39.965798,
                 99.995, 99.9951, 100.0, 1e-16, 0.0005, 0.9995, 1234.5678, 65.5440325]


def bleu_result(metric, hyps, refs):
    score = metric.corpus_score(hyps, refs)
    return {
        "score": score.score,
        "precisions": score.precisions,
        "bp": score.bp,
        "ratio": score.ratio,
        "sys_len": score.sys_len,
        "ref_len": score.ref_len,
        "counts": [int(c) for c in score.counts],
        "totals": [int(t) for t in score.totals],
        "formatted": str(score),
        "signature": str(metric.get_signature()),
    }


def chrf_result(metric, hyps, refs):
    score = metric.corpus_score(hyps, refs)
    return {"score": score.score, "formatted": str(score), "signature": str(metric.get_signature())}


def main():
    cases = []
    for name, tok, lc, hyps, refs in CASES:
        case = {
            "name": name,
            "tokenize": tok,
            "lowercase": lc,
            "hypotheses": hyps,
            "references": refs,
            "bleu": bleu_result(BLEU(tokenize=tok, lowercase=lc), hyps, refs),
            "chrf": chrf_result(CHRF(lowercase=lc), hyps, refs),
            "chrf_plus_plus": chrf_result(CHRF(word_order=2, lowercase=lc), hyps, refs),
            "tokenized_hypotheses": [BLEU(tokenize=tok, lowercase=lc)._preprocess_segment(h) for h in hyps],
        }
        if name == "basic" or name.startswith("no ") or name.startswith("hypotheses shorter"):
            case["bleu_variants"] = [
                {"smooth_method": m, "smooth_value": v, "effective_order": eff,
                 **bleu_result(BLEU(tokenize=tok, lowercase=lc, smooth_method=m, smooth_value=v,
                                    effective_order=eff), hyps, refs)}
                for m, v, eff in [("none", None, False), ("floor", None, False), ("floor", 0.5, False),
                                  ("add-k", None, False), ("add-k", 2, False), ("exp", None, True)]
            ]
            case["chrf_variants"] = [
                {"char_order": c, "word_order": w, "beta": b, "whitespace": ws, "eps_smoothing": eps,
                 **chrf_result(CHRF(char_order=c, word_order=w, beta=b, whitespace=ws, eps_smoothing=eps),
                               hyps, refs)}
                for c, w, b, ws, eps in [(6, 1, 2, False, False), (4, 0, 1, False, False), (6, 0, 3, True, False),
                                         (6, 0, 2, False, True), (6, 2, 2, False, True)]
            ]
        cases.append(case)

    tokenizer_cases = [
        {"tokenize": name, "input": line, "output": tokenizer(line)}
        for line in TOKENIZER_INPUTS for name, tokenizer in TOKENIZERS.items()
    ]

    fixture = {
        "sacrebleu_version": sacrebleu.__version__,
        "python_version": sys.version.split()[0],
        "cases": cases,
        "tokenizer_cases": tokenizer_cases,
        "lowercase_cases": [{"input": s, "output": s.lower()} for s in LOWERCASE_INPUTS],
        "split_cases": [{"input": s, "output": s.split()} for s in SPLIT_INPUTS],
        "python_whitespace": [c for c in range(0x110000) if chr(c).isspace()],
        "zh_chinese_ranges": chinese_ranges(),
        "format_cases": [{"value": v, "width": w, "output": f"{v:.{w}f}"} for v in FORMAT_VALUES for w in range(4)],
    }
    with open(OUT, "w", encoding="utf-8") as out:
        json.dump(fixture, out, ensure_ascii=False, indent=1, sort_keys=True)
        out.write("\n")
    print(f"wrote {OUT}")


def chinese_ranges():
    """The code points for which TokenizerZh._is_chinese_char holds, as [first, last] ranges."""
    ranges, start = [], None
    for code in range(0x110001):
        inside = code < 0x110000 and TokenizerZh._is_chinese_char(chr(code))
        if inside and start is None:
            start = code
        elif not inside and start is not None:
            ranges.append([start, code - 1])
            start = None
    return ranges


if __name__ == "__main__":
    main()
