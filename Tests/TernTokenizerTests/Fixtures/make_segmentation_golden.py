"""Writes segmentation_golden.json: ICU word segments for sentences in zh, ja, th, de and en.

The segments come from PyICU's BreakIterator (root locale), a path into ICU that shares no
code with Tern's C facade. Run: pip install PyICU && python3 make_segmentation_golden.py
"""
import json
import pathlib

import icu

SENTENCES = {
    "zh": ["我爱你，今天天气很好。", "一个穿着蓝色衬衫的男人正在街上骑自行车。", "两只狗在草地上玩耍。"],
    "ja": ["私は東京に住んでいます。", "猫が好きです。"],
    "th": ["ภาษาไทยง่ายนิดเดียว", "สวัสดีครับ"],
    "de": ["Zwei Hunde spielen im Schnee.", "Die Straßenbahn fährt um 8:30 Uhr ab."],
    "en": ["A man in a blue shirt is riding a bicycle.", "Don't stop, it's 3.14 o'clock in the U.S.A."],
}


def segments(text):
    iterator = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
    ustring = icu.UnicodeString(text)
    iterator.setText(ustring)
    offsets = [iterator.first()]
    while True:
        offset = iterator.nextBoundary()
        if offset == icu.BreakIterator.DONE or offset < 0:
            break
        offsets.append(offset)
    return [str(ustring[start:end]) for start, end in zip(offsets, offsets[1:])]


golden = {
    "generator": f"PyICU {icu.VERSION}, ICU {icu.ICU_VERSION}, BreakIterator word instance, root locale",
    "cases": [{"language": language, "text": text, "segments": segments(text)}
              for language, texts in SENTENCES.items() for text in texts],
}
path = pathlib.Path(__file__).with_name("segmentation_golden.json")
path.write_text(json.dumps(golden, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"wrote {path}")
