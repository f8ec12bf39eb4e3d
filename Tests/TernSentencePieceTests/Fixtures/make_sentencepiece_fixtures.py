#!/usr/bin/env python3
"""Writes the SentencePiece fixtures of TernSentencePieceTests with the `sentencepiece` library.

    pip install sentencepiece==0.2.3 protobuf
    python3 Tests/TernSentencePieceTests/Fixtures/make_sentencepiece_fixtures.py [--corpora ../shared/corpora]

It trains small models with sentencepiece's trainer on the shared corpora (Multi30k English and
German, 3AM Chinese) and writes, beside this script:

- `models/NAME.model.gz`: each model, gzip-compressed;
- `corpus-lines.json`: which corpus files the tests read (paths relative to the corpora folder);
- `expected/NAME.hashes.gz`: for every line of those files, in order, the 64-bit FNV-1a hash
  (16 hex digits) of what sentencepiece gives for it: EncodeAsIds, EncodeAsPieces, DecodeIds and
  DecodePieces, written as `canonical_record` spells them (full outputs for thousands of lines
  would not fit the fixture budget; the hard cases below are stored in full);
- `hard-cases.json`: hand-written inputs (as UTF-8 hex, so that malformed bytes survive JSON)
  with every model's normalization, ids, pieces and decodings; seeded random id sequences with
  sentencepiece's decoding; piece lists with unknown pieces and their `DecodePieces`; and each
  model's size and special ids.

The corpus lines are not copied: the tests read them from the shared corpora at run time.
"""
import argparse
import binascii
import gzip
import io
import json
import os
import random
import tempfile

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as model_pb2

HERE = os.path.dirname(os.path.abspath(__file__))

TRAINING = [("multi30k/train.en.gz", 8000), ("multi30k/train.de.gz", 8000), ("3am-en-zh/train.zh", 8000)]
TEST_FILES = [
    "flores-dev/en-de/flores-dev.en",
    "flores-dev/en-de/flores-dev.de",
    "flores-dev/en-zh/flores-dev.zh",
    "multi30k/test_2016_flickr.en.gz",
    "multi30k/test_2016_flickr.de.gz",
    "3am-en-zh/test.zh",
]

# name -> trainer options (besides the input). Together they cover both algorithms, with and
# without byte fallback, the nmt_nfkc, nfkc and identity maps, user-defined and control symbols,
# no dummy prefix, kept extra whitespace, whitespace as suffix, and a denormalizer.
MODELS = {
    "unigram-nmt-nfkc": dict(model_type="unigram", vocab_size=4000, normalization_rule_name="nmt_nfkc"),
    "unigram-identity-bytes": dict(model_type="unigram", vocab_size=2000, character_coverage=0.98, normalization_rule_name="identity", byte_fallback=True),
    "bpe-nmt-nfkc-bytes": dict(model_type="bpe", vocab_size=2000, character_coverage=0.98, normalization_rule_name="nmt_nfkc", byte_fallback=True),
    "bpe-identity": dict(model_type="bpe", vocab_size=1000, character_coverage=0.98, normalization_rule_name="identity"),
    "unigram-nfkc-symbols": dict(
        model_type="unigram", vocab_size=1500, character_coverage=0.98, normalization_rule_name="nfkc", add_dummy_prefix=False,
        remove_extra_whitespaces=False, user_defined_symbols=["<sep>", "[MASK]", "@@", "▁▁"],
        control_symbols=["<2de>", "<2zh>"], pad_id=3, split_digits=True),
    "bpe-suffix-symbols": dict(
        model_type="bpe", vocab_size=1200, character_coverage=0.98, normalization_rule_name="identity", treat_whitespace_as_suffix=True,
        remove_extra_whitespaces=False, user_defined_symbols=["<sep>", "[MASK]", "ab"], byte_fallback=True,
        unk_surface="<?>"),
    "unigram-identity-denormalized": dict(model_type="unigram", vocab_size=1000, character_coverage=0.98,
                                          normalization_rule_name="identity", denormalization_rule_tsv=None),
}
# Denormalization rules (code points in hex, source TAB target) for the model above: decoding
# rewrites its output with them.
DENORMALIZATION_RULES = "61\t41\n62 63\t58 59 5A\n2E\t2E 2E\nDF\t73 73\n"
# name -> (base model, every how many normal pieces one is marked UNUSED): sentencepiece skips
# unused pieces in the unigram lattice and splits BPE merges that form one.
UNUSED_VARIANTS = {"unigram-identity-unused": ("unigram-identity-bytes", 7), "bpe-identity-unused": ("bpe-identity", 5)}

HARD_CASES = [
    "", " ", "   ", "\t", "\n", "a", " a", "a ", "  leading and trailing  ", "runs   of    spaces",
    "tab\there", "new\nline", "cr\r\nlf", "Hello, world!", "HELLO WORLD", "I'm", "don't stop",
    "Ｆｕｌｌ－ｗｉｄｔｈ　ｆｏｒｍｓ　１２３", "ﾊﾝｶｸ ｶﾀｶﾅ", "①②③ ⅰⅱⅲ ㍻", "ﬁ ﬂ ﬀ ligatures", "x² H₂O ½",
    "e\u0301 combining acute", "n\u0303o\u0308", "\u0301 leading combining", "Ａ\u0301", "한국어 텍스트",
    "control\u0000char", "bell\u0007 and \u001b escape", "del\u007f", "zero\u200bwidth\u200djoiner\ufeff",
    "nbsp\u00a0here", "ideographic\u3000space", "em\u2003space", "line\u2028separator",
    "emoji 😀🎉👍🏽", "👨‍👩‍👧‍👦 family", "🇩🇪 flag", "\U0001F600", "♥︎ variation ♥️",
    "digits 0123456789 3.14159 1,000,000", "٣٤٥ arabic digits", "２０２４年１２月",
    "我爱你，今天天气很好。", "“quoted” ‘text’ — dash … ellipsis", "«Guillemets» „Anführung“",
    "Größe Straße ÄÖÜ äöü ß ẞ", "İstanbul ıi", "Ελληνικά κείμενο", "Русский текст", "עברית", "العربية",
    "ไทย ภาษา", "日本語のテキスト", "<unk> <s> </s> <pad>", "<sep> [MASK] @@ ab", "a<sep>b[MASK]c",
    "▁ already escaped ▁▁", "⁇ ", "\ufffd replacement", "😀" * 20, "a" * 300, "ab" * 100,
    "Mixed 中文 and English 混合 text.", "<0x41> byte piece text", "\\u0041 literal",
]
# Inputs that are not valid UTF-8, given as bytes (Tern's encode(utf8:)).
MALFORMED_CASES = [b"bad \xff byte", b"\xc3", b"trunc\xe4\xb8", b"\xed\xa0\x80 surrogate", b"\xf4\x90\x80\x80 too big",
                   b"\xc0\xaf overlong", b"\x80\x80 stray", b"ok \xf0\x9f\x98 cut"]

UNKNOWN_PIECE_LISTS = [
    ["▁Hello", "xyz-not-a-piece", "▁world"], ["<unk>"], ["▁", "▁", "a"], ["▁▁a", "b▁"], ["<s>", "▁a", "</s>"],
    ["<0xE4>", "<0xB8>", "<0xAD>", "▁x"], ["<0xFF>", "<0x41>"], ["▁a", "<0xE4>"], ["not▁a▁piece"], [],
]


def read_lines(corpora, relative):
    path = os.path.join(corpora, relative)
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        text = f.read().decode("utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def train(corpora, options):
    if "denormalization_rule_tsv" in options:
        rules = os.path.join(tempfile.mkdtemp(), "denormalization.tsv")
        with open(rules, "w") as f:
            f.write(DENORMALIZATION_RULES)
        options = dict(options, denormalization_rule_tsv=rules)
    sentences = []
    for relative, count in TRAINING:
        sentences += read_lines(corpora, relative)[:count]
    out = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(sentences), model_writer=out, num_threads=1,
                                   minloglevel=2, input_sentence_size=len(sentences), shuffle_input_sentence=False,
                                   **options)
    return out.getvalue()


def with_unused(serialized, every):
    proto = model_pb2.ModelProto()
    proto.ParseFromString(serialized)
    normal = [p for p in proto.pieces if p.type == model_pb2.ModelProto.SentencePiece.NORMAL and len(p.piece) > 1]
    for piece in normal[::every]:
        piece.type = model_pb2.ModelProto.SentencePiece.UNUSED
    return proto.SerializeToString()


def analyse(sp, data):
    """Everything sentencepiece says about one input (str or bytes)."""
    ids = sp.encode(data)
    pieces = sp.encode(data, out_type=str)
    return {"normalized": sp.normalize(data) if isinstance(data, str) else None, "ids": ids, "pieces": pieces, "decoded": sp.decode(ids), "decoded_pieces": sp.decode_pieces(pieces)}


def canonical_record(sp, line):
    """EncodeAsIds, EncodeAsPieces, DecodeIds and DecodePieces of `line` as one unambiguous
    string: ids separated by spaces, a tab, each piece as `LENGTH:PIECE` (UTF-8 bytes), a tab,
    the two decodings separated by a tab."""
    ids = sp.encode(line)
    pieces = sp.encode(line, out_type=str)
    return (" ".join(map(str, ids)) + "\t" + "".join("%d:%s" % (len(p.encode()), p) for p in pieces) + "\t"
            + sp.decode(ids) + "\t" + sp.decode_pieces(pieces))


def fnv1a64(text):
    """64-bit FNV-1a of the UTF-8 bytes of `text`."""
    value = 0xCBF29CE484222325
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return value


def random_id_sequences(sp, rng, count):
    size = sp.get_piece_size()
    special = [i for i in range(size) if sp.is_control(i) or sp.is_unknown(i) or sp.is_byte(i)]
    space_pieces = [i for i in range(size) if sp.id_to_piece(i).startswith("▁")]
    sequences = []
    for _ in range(count):
        length = rng.randint(1, 10)
        pool = [rng.randrange(size), rng.choice(space_pieces)] + ([rng.choice(special)] if special else [])
        sequences.append([rng.choice(pool) if rng.random() < 0.5 else rng.randrange(size) for _ in range(length)])
    return [[ids, sp.decode(ids)] for ids in sequences]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpora", default=os.path.join(HERE, "../../../../shared/corpora"))
    corpora = os.path.abspath(parser.parse_args().corpora)
    os.makedirs(os.path.join(HERE, "models"), exist_ok=True)
    os.makedirs(os.path.join(HERE, "expected"), exist_ok=True)

    serialized = {name: train(corpora, options) for name, options in MODELS.items()}
    for name, (base, every) in UNUSED_VARIANTS.items():
        serialized[name] = with_unused(serialized[base], every)

    test_lines = {relative: read_lines(corpora, relative) for relative in TEST_FILES}
    with open(os.path.join(HERE, "corpus-lines.json"), "w") as f:
        json.dump({"files": TEST_FILES, "line_counts": [len(test_lines[r]) for r in TEST_FILES]}, f, indent=1)

    hard = {"sentencepiece_version": spm.__version__,
            "inputs_hex": [binascii.hexlify(c.encode("utf-8")).decode() for c in HARD_CASES]
                          + [binascii.hexlify(b).decode() for b in MALFORMED_CASES],
            "unknown_piece_lists": UNKNOWN_PIECE_LISTS, "models": {}}
    rng = random.Random(14)
    for name in sorted(serialized):
        blob = serialized[name]
        with gzip.GzipFile(os.path.join(HERE, "models", name + ".model.gz"), "wb", mtime=0) as f:
            f.write(blob)
        sp = spm.SentencePieceProcessor(model_proto=blob)
        cases = [analyse(sp, c) for c in HARD_CASES] + [analyse(sp, b) for b in MALFORMED_CASES]
        hard["models"][name] = {
            "count": sp.get_piece_size(), "unk_id": sp.unk_id(), "bos_id": sp.bos_id(), "eos_id": sp.eos_id(),
            "pad_id": sp.pad_id(), "cases": cases, "random_decodes": random_id_sequences(sp, rng, 150),
            "unknown_piece_decodes": [sp.decode_pieces(p) for p in UNKNOWN_PIECE_LISTS],
        }
        with gzip.GzipFile(os.path.join(HERE, "expected", name + ".hashes.gz"), "wb", mtime=0) as f:
            for relative in TEST_FILES:
                for line in test_lines[relative]:
                    f.write(("%016x\n" % fnv1a64(canonical_record(sp, line))).encode())
    with open(os.path.join(HERE, "hard-cases.json"), "w") as f:
        json.dump(hard, f, ensure_ascii=True, separators=(",", ":"))


if __name__ == "__main__":
    main()
