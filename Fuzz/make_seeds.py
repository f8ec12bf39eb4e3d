#!/usr/bin/env python3
"""Writes Fuzz/seeds/<target>/ from files of this repository (see Fuzz/README.md).

Run from anywhere: python3 Fuzz/make_seeds.py. The output is deterministic; only the
repository's own files are read (vocabularies, model configs, test fixtures).
"""
import json
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SEEDS = os.path.join(HERE, "seeds")


def read(path, mode="r"):
    with open(os.path.join(ROOT, path), mode) as f:
        return f.read()


def save(target, name, data):
    folder = os.path.join(SEEDS, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def vocab_lines(name):
    return read(f"Vocab/{name}/vocab.txt").split("\n")[:-1]


def merge_lines(name):
    return read(f"Vocab/{name}/merges.txt").split("\n")[:-1]


def sample_texts():
    golden = json.loads(read("Tests/TernTokenizerTests/Fixtures/segmentation_golden.json"))
    texts = [case["text"] for case in golden["cases"]]
    sacre = json.loads(read("Tests/TernEvalTests/Fixtures/sacrebleu_fixture.json"))
    texts += [case["input"] for case in sacre["lowercase_cases"]]
    texts += [case["input"] for case in sacre["split_cases"]]
    return texts, sacre


def tokenizer_seeds(texts):
    vocabularies = [name for name in ["multi30k-en-de", "en-zh", "en-de"] if os.path.exists(os.path.join(ROOT, "Vocab", name))]
    for index, text in enumerate(texts):
        control = index % len(vocabularies)
        save("tokenizer", f"text-{index:02d}", bytes([control]) + text.encode("utf-8"))
    for control, name in enumerate(vocabularies):
        # Learned pieces as text (markers become spaces).
        pieces = vocab_lines(name)[300:340]
        save("tokenizer", f"pieces-{name}", bytes([control]) + " ".join(pieces).replace("\u2581", " ").encode("utf-8"))
        # Ids: specials, bytes, learned pieces, <pad>, out of range, negative.
        size = len(vocab_lines(name))
        ids = [0, 1, 2, 3, 13, 258, 259, 260, 400, 401, size - 1, size, -1, 2**31 - 1]
        save("tokenizer", f"ids32-{name}", bytes([control | 4]) + b"".join(struct.pack("<i", i) for i in ids))
        save("tokenizer", f"ids16-{name}", bytes([control | 12]) + b"".join(struct.pack("<H", i % 65536) for i in ids))
    save("tokenizer", "invalid-utf8", bytes([0]) + b"ok \xff\xfe caf\xc3 \xe6\x88 end\r\n\t")


def safetensors_file(tensors, metadata=None):
    """tensors: [(name, dtype, shape, raw bytes)]"""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    offset = 0
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":"))
    text += " " * ((8 - (len(text) + 8) % 8) % 8)
    return struct.pack("<Q", len(text)) + text.encode() + b"".join(raw for _, _, _, raw in tensors)


def read_safetensors(path):
    data = read(path, "rb")
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    tensors = []
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        tensors.append((name, info["dtype"], info["shape"], body[start:end]))
    return header.get("__metadata__"), sorted(tensors)


def safetensors_seeds():
    save("safetensors", "encdec-outputs", read("Tests/TernTrainingTests/Fixtures/encdec/outputs.safetensors", "rb"))
    save("safetensors", "prefix-lm-outputs", read("Tests/TernTrainingTests/Fixtures/prefix-lm/outputs.safetensors", "rb"))
    # A few small tensors of the tiny Marian fixture (F32), with its metadata.
    metadata, tensors = read_safetensors("Tests/TernModelTests/Fixtures/marian-tiny/model.safetensors")
    small = [t for t in tensors if len(t[3]) <= 256][:6]
    save("safetensors", "marian-tiny-subset", safetensors_file(small, metadata))
    # The same values as BF16 (upper halves of the F32 words).
    bf16 = [(n, "BF16", s, b"".join(raw[i + 2:i + 4] for i in range(0, len(raw), 4))) for n, _, s, raw in small[:3]]
    save("safetensors", "marian-tiny-bf16", safetensors_file(bf16))
    # F16 layer norms of the bundled en-de model, truncated to 16 values each.
    _, tensors = read_safetensors("Models/en-de-multi30k/encdec/model.safetensors")
    norms = [t for t in tensors if t[0].startswith("model.encoder.layers.0.") and "layer_norm" in t[0]]
    save("safetensors", "en-de-f16-norms", safetensors_file([(n, d, [16], raw[:32]) for n, d, _, raw in norms]))
    # An empty file of tensors, and a file that is nothing but a header length.
    save("safetensors", "empty-header", safetensors_file([]))
    save("safetensors", "zero-length-tensor", safetensors_file([("t", "F32", [0, 4], b"")]))
    # Shapes that used to trap (ModelFileTests.overflowingShapes): element count and byte count
    # overflow Int, a negative dimension.
    for name, shape in [("regression-count-overflow", "[4294967296,4294967296]"),
                        ("regression-bytes-overflow", "[4611686018427387904]"), ("regression-negative", "[-1,-1]")]:
        header = '{"t":{"dtype":"F32","shape":%s,"data_offsets":[0,0]}}' % shape
        save("safetensors", name, struct.pack("<Q", len(header)) + header.encode())


def config_seeds():
    for name, path in [("en-de-encdec", "Models/en-de-multi30k/encdec"), ("en-de-prefix-lm", "Models/en-de-multi30k/prefix-lm"),
                       ("en-de-causal-lm", "Models/en-de-multi30k/causal-lm"), ("en-zh-encdec", "Models/en-zh/encdec"),
                       ("marian-tiny", "Tests/TernModelTests/Fixtures/marian-tiny"),
                       ("training-encdec", "Tests/TernTrainingTests/Fixtures/encdec"),
                       ("training-prefix-lm", "Tests/TernTrainingTests/Fixtures/prefix-lm")]:
        save("config", name, read(path + "/config.json"))


def linereader_seeds(texts):
    lines = vocab_lines("multi30k-en-de")[255:300]
    save("linereader", "vocab-slice", bytes([0]) + "\n".join(lines).encode() + b"\n")
    save("linereader", "vocab-slice-crlf", bytes([9]) + "\r\n".join(lines[:20]).encode())
    save("linereader", "merges-slice", bytes([2]) + "\n".join(merge_lines("en-zh")[:30]).encode())
    save("linereader", "texts", bytes([11]) + "\n".join(texts).encode() + b"\n\n\r\n")
    save("linereader", "invalid-utf8", bytes([12]) + b"ok\n\xff\xfe\nhalf \xe6\x88\ncr only\r\rx\r\n\n")


def eval_seeds(sacre):
    tokenizations = {"13a": 0, "intl": 1, "zh": 2, "none": 3}
    for index, case in enumerate(sacre["cases"]):
        references = case["references"]
        hypotheses = case["hypotheses"]
        if any(len(stream) != len(hypotheses) for stream in references) or not 1 <= len(references) <= 3:
            continue
        first = tokenizations[case["tokenize"]] | (4 if case["lowercase"] else 0) | ((len(references) - 1) << 3)
        second = 6 | ((index % 3) << 3) | (2 << 5)  # chrF: order 6, word order 0/1/2, beta 2
        lines = hypotheses + [line for stream in references for line in stream]
        save("eval", f"case-{index:02d}", bytes([first, second]) + "\n".join(lines).encode("utf-8"))


def small_vocabulary(name, merge_count):
    """The first `merge_count` merges of a bundled vocabulary and the pieces they need."""
    pieces = vocab_lines(name)
    merges = merge_lines(name)[:merge_count]
    fixed = pieces[:259]
    needed = ["\u2581"]
    learned = []
    for merge in merges:
        left, right = merge.split(" ")
        for character in left + right:
            if character not in needed:
                needed.append(character)
        if left + right not in learned:
            learned.append(left + right)
    ordered = fixed + needed + learned + ["<pad>"]
    manifest = json.loads(read(f"Vocab/{name}/manifest.json"))
    manifest["size"] = len(ordered)
    manifest["alphabet_size"] = len(needed)
    manifest["merges"] = len(merges)
    manifest["special_tokens"]["pad"]["id"] = len(ordered) - 1
    manifest.pop("training", None)
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False)
    return text.encode() + b"\0" + "".join(p + "\n" for p in ordered).encode() + b"\0" + "".join(m + "\n" for m in merges).encode()


def vocab_seeds():
    save("vocab", "multi30k-en-de-40", small_vocabulary("multi30k-en-de", 40))
    save("vocab", "en-zh-40", small_vocabulary("en-zh", 40))
    whitespace = json.loads(small_vocabulary("multi30k-en-de", 10).split(b"\0")[0])
    whitespace["pre_tokenization"] = "whitespace"
    whitespace["normalization"] = "none"
    rest = small_vocabulary("multi30k-en-de", 10).split(b"\0", 1)[1]
    save("vocab", "multi30k-en-de-10-whitespace", json.dumps(whitespace, indent=2).encode() + b"\0" + rest)
    characters = dict(whitespace, pre_tokenization="characters", normalization="nfc", max_pre_token_length=3)
    save("vocab", "multi30k-en-de-10-characters", json.dumps(characters, indent=2).encode() + b"\0" + rest)
    save("vocab", "manifest-only", read("Vocab/en-de/manifest.json"))
    # Merges whose right piece begins with a variation selector, a combining vowel sign or a
    # joiner, as BPETrainer learns them from "❤️ กิน 👨‍👩" (VocabularyFileTests.mergesOfMarksLoadBack).
    marks = json.loads(small_vocabulary("multi30k-en-de", 0).split(b"\0")[0])
    fixed = vocab_lines("multi30k-en-de")[:259]
    alphabet = ["\u2581", "\u2764", "\ufe0f", "\u0e01", "\u0e34", "\u0e19", "\U0001f468", "\u200d", "\U0001f469"]
    merge_pairs = [("\u2764", "\ufe0f"), ("\u0e01", "\u0e34"), ("\u0e01\u0e34", "\u0e19"), ("\U0001f468", "\u200d"),
                   ("\U0001f468\u200d", "\U0001f469"), ("\u2581", "\u2764\ufe0f")]
    ordered = fixed + alphabet + [left + right for left, right in merge_pairs] + ["<pad>"]
    marks.update(size=len(ordered), alphabet_size=len(alphabet), merges=len(merge_pairs))
    marks["special_tokens"]["pad"]["id"] = len(ordered) - 1
    save("vocab", "marks-and-joiners", json.dumps(marks, indent=2, sort_keys=True, ensure_ascii=False).encode() + b"\0"
         + "".join(p + "\n" for p in ordered).encode() + b"\0" + "".join(l + " " + r + "\n" for l, r in merge_pairs).encode())


def pytorch_seeds():
    for name in ("views", "os-system", "list"):
        save("pytorch", name, read(f"Tests/TernMarianTests/Fixtures/pytorch/{name}.bin", "rb"))


def protobuf_fields(data):
    """The top-level fields of a serialized protobuf message as (number, wire type, raw bytes of
    the whole field), for trimming ModelProto seeds without the protobuf package."""
    def varint(position):
        value = shift = 0
        while True:
            byte = data[position]
            value |= (byte & 0x7F) << shift
            position += 1
            shift += 7
            if byte < 0x80:
                return value, position
    position, fields = 0, []
    while position < len(data):
        start = position
        tag, position = varint(position)
        wire_type = tag & 7
        if wire_type == 0:
            _, position = varint(position)
        elif wire_type == 1:
            position += 8
        elif wire_type == 5:
            position += 4
        else:
            length, position = varint(position)
            position += length
        fields.append((tag >> 3, wire_type, data[start:position]))
    return fields


def sentencepiece_seeds():
    """The test fixtures' SentencePiece models, cut to their first pieces (a byte-fallback model
    keeps its 256 byte pieces) and without the precompiled character map, which is larger than
    the harness's inputs."""
    import gzip
    for name, pieces in [("bpe-identity", 200), ("bpe-suffix-symbols", 400), ("unigram-identity-bytes", 400),
                         ("unigram-nfkc-symbols", 200), ("unigram-identity-unused", 300)]:
        model = gzip.decompress(read(f"Tests/TernSentencePieceTests/Fixtures/models/{name}.model.gz", "rb"))
        kept, piece_count = b"", 0
        for number, _, raw in protobuf_fields(model):
            if number == 1:
                piece_count += 1
                if piece_count > pieces:
                    continue
            if number == 3:  # normalizer_spec: drop its field 2, precompiled_charsmap
                length_end = 1
                while raw[length_end] & 0x80:
                    length_end += 1
                body = b"".join(field for n, _, field in protobuf_fields(raw[length_end + 1:]) if n != 2)
                raw = bytes([raw[0]] + varint_bytes(len(body))) + body
            kept += raw
        save("sentencepiece", name, kept)


def varint_bytes(value):
    out = []
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    return out + [value]


def main():
    if os.path.exists(SEEDS):
        shutil.rmtree(SEEDS)
    texts, sacre = sample_texts()
    tokenizer_seeds(texts)
    safetensors_seeds()
    pytorch_seeds()
    config_seeds()
    linereader_seeds(texts)
    eval_seeds(sacre)
    vocab_seeds()
    sentencepiece_seeds()


if __name__ == "__main__":
    main()
