#!/usr/bin/env python3
"""Writes the Hugging Face Marian (OPUS-MT layout) folder fixtures and what the reference gives for them.

Run from the repository root (about 2 minutes on CPU):

    python3 Tests/TernMarianTests/Fixtures/make_marian_folders.py

Needs: torch (CPU), transformers, sentencepiece, safetensors; the shared corpora (Multi30k) in
../shared/corpora or $TERN_SHARED_CORPORA.

Writes, beside this script:
  opus-en-de/     source.spm and target.spm (unigram; nmt_nfkc and identity normalization; trained here on Multi30k train),
                  vocab.json, tokenizer_config.json, special_tokens_map.json (MarianTokenizer.save_pretrained),
                  config.json, generation_config.json, model.safetensors (MarianMTModel.save_pretrained)
                  and pytorch_model.bin (torch.save of the same state dict, as save_pretrained(...,
                  safe_serialization=False) wrote it); d_model 32, 2+2 layers, randomly initialised and
                  trained for 800 steps on Multi30k so that outputs vary and end on their own.
  opus-en-mul/    a multilingual folder: the same tokenizers (source.spm and target.spm link to opus-en-de's), vocab.json with >>de<< >>fr<< >>es<<,
                  d_model 16 (trained the same way, sources prefixed with >>de<<), model.safetensors only.
  opus-en-de-separate/
                  separate vocabularies (MarianTokenizer(separate_vocabs=True): vocab.json for the source, 240 ids,
                  target_vocab.json for the target, 160 ids, from a smaller target.spm) and untied embeddings
                  (share_encoder_decoder_embeddings false, tie_word_embeddings false: model.encoder.embed_tokens,
                  model.decoder.embed_tokens and lm_head each their own); d_model 16, trained the same way.
  opus-en-de-separate-tied/
                  the same vocabularies (links), share_encoder_decoder_embeddings false but tie_word_embeddings true:
                  the output layer is the decoder's embedding table (save_pretrained writes no lm_head.weight).
  opus-en-de-own-output/
                  opus-en-de's tokenizer (links), one shared embedding table but tie_word_embeddings false: lm_head.weight
                  of its own.
  expected.json   MarianTokenizer ids of every line (lines with a >>xx<< code typed in them too), and `generate` text
                  (greedy and beam 4) per line.
"""
from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
from pathlib import Path

import sentencepiece as spm
import torch
import transformers
from transformers import MarianConfig, MarianMTModel, MarianTokenizer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CORPORA = Path(os.environ.get("TERN_SHARED_CORPORA", ROOT.parent / "shared" / "corpora"))
SEED = 14
PIECES = 240
MAX_NEW_TOKENS = 40
LANGUAGE_CODES = [">>de<<", ">>fr<<", ">>es<<"]
TRAINING_STEPS = 800
TARGET_PIECES_SEPARATE = 160

# Lines that carry a target-language code typed in the text: MarianTokenizer takes `>>…<<` at the very
# start (up to the first `<<`) as one token, <unk> when the vocabulary lacks it, and cuts the rest of the
# line with source.spm; anywhere else such a code is ordinary text.
TYPED_CODES = [
    ">>fr<< A dog runs in the park.",
    ">>fr<<A dog runs in the park.",
    ">>es<<    A dog runs in the park.",
    ">>it<< A dog runs in the park.",
    ">>FR<< A dog.",
    "A dog >>fr<< runs in the park.",
    " >>fr<< A dog runs.",
    ">>fr<<",
    ">>de<< >>fr<< Two dogs.",
    ">> not a code",
    ">>fr A dog << runs",
    ">>fr<< Two sentences. Here is the second one!",
]

# Hand-written cases for the tokenizer: full-width forms and ligatures (nmt_nfkc folds them), runs of
# spaces, tabs, characters outside the pieces (<unk>), emoji, combining marks, several sentences.
HARD_CASES = [
    "ＡＢＣ　ｄｏｇ！ １２３",
    "The  dog    runs\tfast .",
    "   leading and trailing spaces   ",
    "ﬁsh ﬂies",
    "Café naïve coöperate",
    "e\u0301 a\u0308 combining marks",
    "我爱你 and 東京",
    "A 🐕 and a 🐈 play.",
    "Two sentences. Here is the second one!",
    "",
    "...",
    "ALL CAPS WORDS",
]


def lines_of(name: str, count: int, skip: int = 0) -> list[str]:
    with gzip.open(CORPORA / "multi30k" / name, "rt", encoding="utf-8") as handle:
        lines = [line.rstrip("\n") for line in handle]
    return lines[skip : skip + count]


def train_spm(lines: list[str], prefix: Path, normalization: str, pieces: int = PIECES) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as text:
        text.write("\n".join(lines) + "\n")
    spm.SentencePieceTrainer.train(
        input=text.name, model_prefix=str(prefix), vocab_size=pieces, model_type="unigram",
        character_coverage=1.0, normalization_rule_name=normalization, num_threads=1, seed_sentencepiece_size=100000,
        minloglevel=2,
    )
    os.unlink(text.name)


def marian_vocabulary(source: Path, target: Path, codes: list[str]) -> dict[str, int]:
    """OPUS-MT's joint vocab.json: </s> 0, <unk> 1, then the pieces of both models, <pad> last."""
    pieces = ["</s>", "<unk>"] + codes
    for model in (source, target):
        processor = spm.SentencePieceProcessor(model_file=str(model))
        for index in range(processor.get_piece_size()):
            if processor.is_control(index) or processor.is_unknown(index):
                continue
            piece = processor.id_to_piece(index)
            if piece not in pieces:
                pieces.append(piece)
    pieces.append("<pad>")
    return {piece: index for index, piece in enumerate(pieces)}


def separate_vocabulary(model: Path) -> dict[str, int]:
    """One side's vocabulary of a folder with separate vocabularies: </s> 0, <unk> 1, the pieces, <pad> last."""
    pieces = ["</s>", "<unk>"]
    processor = spm.SentencePieceProcessor(model_file=str(model))
    pieces += [processor.id_to_piece(index) for index in range(processor.get_piece_size())
               if not (processor.is_control(index) or processor.is_unknown(index))]
    return {piece: index for index, piece in enumerate(pieces + ["<pad>"])}


def write_tokenizer(folder: Path, spm_dir: Path, codes: list[str], target_model: str = "target.model",
                    separate: bool = False) -> MarianTokenizer:
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp())
    shutil.copy(spm_dir / "source.model", staging / "source.spm")
    shutil.copy(spm_dir / target_model, staging / "target.spm")
    if separate:
        vocabulary = separate_vocabulary(staging / "source.spm")
        target_vocabulary = separate_vocabulary(staging / "target.spm")
        (staging / "target_vocab.json").write_text(json.dumps(target_vocabulary, ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        vocabulary = marian_vocabulary(spm_dir / "source.model", spm_dir / target_model, codes)
    (staging / "vocab.json").write_text(json.dumps(vocabulary, ensure_ascii=False, indent=2), encoding="utf-8")
    tokenizer = MarianTokenizer(
        source_spm=str(staging / "source.spm"), target_spm=str(staging / "target.spm"), vocab=str(staging / "vocab.json"),
        target_vocab_file=str(staging / "target_vocab.json") if separate else None, separate_vocabs=separate,
        source_lang="en", target_lang="de" if not codes else "mul", model_max_length=128,
    )
    tokenizer.save_pretrained(str(folder))
    shutil.rmtree(staging)
    return MarianTokenizer.from_pretrained(str(folder))


def trained_model(tokenizer: MarianTokenizer, width: int, seed: int, pairs: list[tuple[str, str]], shared: bool = True,
                  tied: bool = True) -> MarianMTModel:
    """A tiny MarianMTModel, randomly initialised and then trained briefly on `pairs`, so that its
    outputs vary and end with </s> on their own (a purely random one repeats a token forever).

    With separate vocabularies the decoder's vocabulary is target_vocab.json's; <pad> (the padding id and the
    decoder's start) is the target vocabulary's last id, which must also lie inside the source vocabulary."""
    vocabulary_size = len(tokenizer.get_vocab())
    decoder_vocabulary_size = len(tokenizer.target_encoder) if tokenizer.separate_vocabs else vocabulary_size
    pad = decoder_vocabulary_size - 1
    config = MarianConfig(
        vocab_size=vocabulary_size, decoder_vocab_size=decoder_vocabulary_size, d_model=width, encoder_layers=2, decoder_layers=2,
        encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=2 * width, decoder_ffn_dim=2 * width,
        max_position_embeddings=128, activation_function="swish", scale_embedding=True, pad_token_id=pad, eos_token_id=0,
        decoder_start_token_id=pad, forced_eos_token_id=0, share_encoder_decoder_embeddings=shared, tie_word_embeddings=tied,
        dropout=0.0, attention_dropout=0.0, activation_dropout=0.0,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    generator = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(TRAINING_STEPS):
        batch = [pairs[index] for index in torch.randint(len(pairs), (32,), generator=generator).tolist()]
        inputs = tokenizer([source for source, _ in batch], text_target=[target for _, target in batch], return_tensors="pt",
                           padding=True, truncation=True, max_length=64)
        # Labels are padded with the tokenizer's <pad>, the source vocabulary's with separate vocabularies.
        inputs["labels"][(inputs["labels"] == pad) | (inputs["labels"] == tokenizer.pad_token_id)] = -100
        loss = model(**inputs).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"d_model {width}, shared {shared}, tied {tied}: training loss {loss.item():.3f} after {TRAINING_STEPS} steps")
    model.eval()
    # OPUS-MT's generation settings (their config.json carries the same keys).
    model.generation_config.bad_words_ids = [[pad]]
    model.generation_config.num_beams = 4
    model.generation_config.max_length = 512
    model.generation_config.forced_eos_token_id = 0
    model.generation_config.early_stopping = True
    model.generation_config.length_penalty = 1.0
    return model


def translate(model: MarianMTModel, tokenizer: MarianTokenizer, line: str, beams: int) -> dict | None:
    """HF's output for `line`, or None when it does not end with </s> on its own within the limits (HF then
    forces </s> at the last step, which Tern does not)."""
    ids = tokenizer([line], return_tensors="pt").input_ids
    with torch.no_grad():
        out = model.generate(ids, num_beams=beams, max_new_tokens=MAX_NEW_TOKENS, do_sample=False, early_stopping=True,
                             length_penalty=1.0, min_length=0)
    tokens = out[0].tolist()[1:]
    if not tokens or tokens[-1] != 0 or len(tokens) >= MAX_NEW_TOKENS or len(tokens) > 3 * ids.shape[1] + 10:
        return None
    return {"ids": tokens[:-1], "text": tokenizer.decode(tokens, skip_special_tokens=True)}


def outputs(model: MarianMTModel, tokenizer: MarianTokenizer, lines: list[str], beams: int, share: float = 2 / 3) -> list[dict]:
    """HF's outputs for the lines whose output ends on its own (at least `share` of them)."""
    found = [(line, translate(model, tokenizer, line, beams)) for line in lines]
    kept = [dict(line=line, **output) for line, output in found if output is not None]
    print(f"beam {beams}: {len(kept)} of {len(lines)} outputs end on their own")
    assert len(kept) >= int(share * len(lines)) or len(lines) == 1
    return kept


def main() -> None:
    torch.set_num_threads(1)
    work = Path(tempfile.mkdtemp())
    # OPUS-MT normalizes with nmt_nfkc; the target model uses identity normalization, which keeps its
    # file small (no precompiled character map) and decodes the same.
    train_spm(lines_of("train.en.gz", 4000), work / "source", "nmt_nfkc")
    train_spm(lines_of("train.de.gz", 4000), work / "target", "identity")
    train_spm(lines_of("train.de.gz", 4000), work / "target-small", "identity", TARGET_PIECES_SEPARATE)

    pairs = list(zip(lines_of("train.en.gz", 4000), lines_of("train.de.gz", 4000)))
    sentences = [line for line in lines_of("test_2016_flickr.en.gz", 200) if line.count(".") <= 1 and "?" not in line][:60]
    translated = sentences + ["A dog  runs in the ＰＡＲＫ.", "Café au lait for two"]

    folders = {}
    bilingual = HERE / "opus-en-de"
    shutil.rmtree(bilingual, ignore_errors=True)
    tokenizer = write_tokenizer(bilingual, work, [])
    model = trained_model(tokenizer, 32, SEED, pairs)
    model.save_pretrained(str(bilingual))
    torch.save(model.state_dict(), bilingual / "pytorch_model.bin")
    folders["opus-en-de"] = {
        "ids": [{"line": line, "ids": tokenizer(line).input_ids} for line in sentences + HARD_CASES],
        "pieces": [{"line": line, "pieces": tokenizer.tokenize(line)} for line in sentences[:5] + HARD_CASES],
        "greedy": outputs(model, tokenizer, translated, 1),
        "beam4": outputs(model, tokenizer, translated, 4),
        "decoded": [{"ids": ids, "text": tokenizer.decode(ids, skip_special_tokens=True)}
                    for ids in ([5, 9, 17, 30, 0], [1, 40, 41, 2], list(range(60, 90)))],
        "typed": [{"line": line, "ids": tokenizer(line).input_ids} for line in TYPED_CODES],
    }

    multilingual = HERE / "opus-en-mul"
    shutil.rmtree(multilingual, ignore_errors=True)
    tokenizer = write_tokenizer(multilingual, work, LANGUAGE_CODES)
    model = trained_model(tokenizer, 16, SEED + 1, [(f">>de<< {source}", target) for source, target in pairs])
    model.save_pretrained(str(multilingual))
    for name in ("source.spm", "target.spm"):  # the same files as opus-en-de's: links keep the fixtures small
        (multilingual / name).unlink()
        (multilingual / name).symlink_to(Path("..") / bilingual.name / name)
    coded = [(code, line) for line in sentences[:10] for code in ("de", "fr", "es")]
    folders["opus-en-mul"] = {
        "ids": [{"line": f">>{code}<< {line}", "ids": tokenizer(f">>{code}<< {line}").input_ids} for code, line in coded],
        "greedy": [dict(target_language=code, **output) for code, line in coded
                   for output in outputs(model, tokenizer, [f">>{code}<< {line}"], 1)],
        "typed": [{"line": line, "ids": tokenizer(line).input_ids} for line in TYPED_CODES],
    }

    # Untied embeddings: separate vocabularies with and without an lm_head of their own, and a shared
    # vocabulary with one.
    variants = [("opus-en-de-separate", True, False, False), ("opus-en-de-separate-tied", True, False, True),
                ("opus-en-de-own-output", False, True, False)]
    for offset, (name, separate, shared, tied) in enumerate(variants):
        folder = HERE / name
        shutil.rmtree(folder, ignore_errors=True)
        tokenizer = write_tokenizer(folder, work, [], target_model="target-small.model" if separate else "target.model",
                                    separate=separate)
        model = trained_model(tokenizer, 16, SEED + 2 + offset, pairs, shared=shared, tied=tied)
        model.save_pretrained(str(folder))
        links = {"source.spm": bilingual.name} if separate else {"source.spm": bilingual.name, "target.spm": bilingual.name,
                                                                 "vocab.json": bilingual.name}
        if name == "opus-en-de-separate-tied":
            links.update({"target.spm": variants[0][0], "vocab.json": variants[0][0], "target_vocab.json": variants[0][0]})
        for file, owner in links.items():  # files equal to another fixture's: links keep the fixtures small
            assert (folder / file).read_bytes() == (HERE / owner / file).read_bytes(), file
            (folder / file).unlink()
            (folder / file).symlink_to(Path("..") / owner / file)
        folders[name] = {
            "ids": [{"line": line, "ids": tokenizer(line).input_ids} for line in sentences[:20]],
            "greedy": outputs(model, tokenizer, translated, 1, share=1 / 2),
            "beam4": outputs(model, tokenizer, translated, 4, share=1 / 2),
            "decoded": [{"ids": ids, "text": tokenizer.decode(ids, skip_special_tokens=True)}
                        for ids in ([5, 9, 17, 30, 0], [1, 40, 41, 2], list(range(60, 90)))],
        }
    shutil.rmtree(work)

    versions = {"torch": torch.__version__, "transformers": transformers.__version__, "sentencepiece": spm.__version__}
    expected = {"seed": SEED, "max_new_tokens": MAX_NEW_TOKENS, "versions": versions, "folders": folders}
    (HERE / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    for folder in [bilingual, multilingual] + [HERE / name for name, *_ in variants]:
        print(folder.name, sorted((path.name, path.lstat().st_size) for path in folder.iterdir()))


if __name__ == "__main__":
    main()
