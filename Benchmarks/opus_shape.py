#!/usr/bin/env python3
"""Tern against CTranslate2 on a random-weight Marian model of OPUS-MT's shape, at forced output lengths (issue 14).

Usage (normally through ``Benchmarks/engines.sh --opus-mt-shape``, which builds ``tern`` first):

    python3 Benchmarks/opus_shape.py --tern .build/release/tern [--sentences 128] [--length 32] [--threads 2]
                                     [--rounds 3] [--compute-type float32|int8]

What it does, in one run, side by side:

1. Trains two SentencePiece unigram models (8,000 pieces each, ``nmt_nfkc``) on WMT news 2008–2017 English and
   German, and writes OPUS-MT's joint ``vocab.json``: ``</s>`` 0, ``<unk>`` 1, the pieces of both models, filler
   pieces up to 58,100 ids, ``<pad>`` last (58,101 ids, as ``opus-mt-en-de``). Only the vocabulary size matters
   for speed (the output projection and softmax run over every id); the filler pieces never occur in the source.
2. Builds a random-weight ``MarianMTModel`` of OPUS-MT's shape: 6+6 layers, d_model 512, 8 heads, FFN 2048,
   swish, ``scale_embedding``, shared embeddings tied to the output projection, a random ``final_logits_bias``,
   512 positions; ``save_pretrained`` (float32 ``model.safetensors``, about 300 MB) and
   ``MarianTokenizer.save_pretrained`` write the folder Tern loads as it is.
3. Converts the same folder with CTranslate2's ``TransformersConverter`` (float32).
4. Takes the first ``--sentences`` lines of newstest2018 English that hold one sentence and enough pieces that Tern's
   relative limit (3 × source tokens + 10) does not bind at ``--length``, sorted by source length so that both
   engines batch the same consecutive lines.
5. Forces every output to exactly ``--length`` tokens: CTranslate2 ``min_decoding_length = max_decoding_length``,
   Tern ``--min-length N --max-length N``; the run stops if either engine produced any other count.
6. Times each engine in its own process under ``/usr/bin/time -v`` (peak RSS per engine): greedy batch 1 and
   beam 4 batch 32. CTranslate2: ``inter_threads 1, intra_threads T`` (``--threads``), decode time measured
   in-process (loading excluded). Tern: ``tern batch`` wall time minus the same command on an empty input
   (loading excluded). Tern multiplies on the decoding thread itself, so it spends T cores as T decoders
   (``tern_layouts``): one decoder (``--threads 1``, one core), and, for batches, T decoders (``--threads T``,
   ``tern batch``'s default), each with 32 / T of the batch's sentences.
   At batch 1 only the first runs: T decoders would have T sentences in flight.
   With ``--rounds N`` every engine runs N times per case, the engines taking turns (CTranslate2, Tern, CTranslate2,
   …) so that a slow spell of the machine falls on both; the table gives the median decode time and the range.
   ``--compute-type int8`` runs CTranslate2's ``int8`` against Tern's ``--compute-type int8`` instead of float32.

Prints the CPU model, ``uptime`` before and after, and a markdown table with tokens/s, the ratio to CTranslate2
and peak RSS. The work folder (``--work-root``, default the system temporary folder) is deleted at the end
unless ``--keep``. Skips (exit 0) when WMT news is absent (``TERN_SHARED_CORPORA``, default ``../shared/corpora``).
Requires python packages ctranslate2, transformers, torch (CPU), sentencepiece, safetensors.
"""

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from engines import read_lines, timed, write_lines

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VOCABULARY_SIZE = 58101  # Helsinki-NLP/opus-mt-en-de's, <pad> included
PIECES_PER_LANGUAGE = 8000
CASES = {
    # name: (label, beam size, sentences per batch)
    "greedy-b1": ("greedy, batch 1", 1, 1),
    "beam4-b32": ("beam 4, batch 32", 4, 32),
}
TRAINING_FILES = [f"newstest{year}" for year in range(2008, 2018)] + ["newssyscomb2009"]


# ----------------------------------------------------------------------------------------------------------------
# The model folder


def corpus_lines(corpora, name, language):
    with gzip.open(os.path.join(corpora, "wmt-news-en-de", f"{name}.{language}.gz"), "rt", encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in handle]


def train_sentencepiece(corpora, language, prefix):
    import sentencepiece as spm

    text = prefix + ".txt"
    write_lines(text, [line for name in TRAINING_FILES for line in corpus_lines(corpora, name, language)])
    spm.SentencePieceTrainer.train(input=text, model_prefix=prefix, vocab_size=PIECES_PER_LANGUAGE, model_type="unigram",
                                   character_coverage=1.0, normalization_rule_name="nmt_nfkc", num_threads=2,
                                   input_sentence_size=200000, seed_sentencepiece_size=200000, minloglevel=2)
    return prefix + ".model"


def opus_vocabulary(source_model, target_model):
    """OPUS-MT's joint vocab.json: </s> 0, <unk> 1, the pieces of both models, filler up to the size, <pad> last."""
    import sentencepiece as spm

    pieces = ["</s>", "<unk>"]
    seen = set(pieces)
    for model in (source_model, target_model):
        processor = spm.SentencePieceProcessor(model_file=model)
        for index in range(processor.get_piece_size()):
            piece = processor.id_to_piece(index)
            if not (processor.is_control(index) or processor.is_unknown(index)) and piece not in seen:
                pieces.append(piece)
                seen.add(piece)
    real = len(pieces)
    pieces += [f"▁filler{index}" for index in range(VOCABULARY_SIZE - 1 - real)]
    pieces.append("<pad>")
    return {piece: index for index, piece in enumerate(pieces)}, real


def build_model_folder(corpora, work, folder):
    """Writes the OPUS-MT-shaped folder; returns the number of real (non-filler) pieces."""
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    source_model = train_sentencepiece(corpora, "en", os.path.join(work, "source"))
    target_model = train_sentencepiece(corpora, "de", os.path.join(work, "target"))
    vocabulary, real = opus_vocabulary(source_model, target_model)
    staging = os.path.join(work, "tokenizer")
    os.makedirs(staging)
    shutil.copy(source_model, os.path.join(staging, "source.spm"))
    shutil.copy(target_model, os.path.join(staging, "target.spm"))
    with open(os.path.join(staging, "vocab.json"), "w", encoding="utf-8") as handle:
        json.dump(vocabulary, handle, ensure_ascii=False)
    tokenizer = MarianTokenizer(source_spm=os.path.join(staging, "source.spm"), target_spm=os.path.join(staging, "target.spm"),
                                vocab=os.path.join(staging, "vocab.json"), source_lang="en", target_lang="de",
                                model_max_length=512)
    tokenizer.save_pretrained(folder)

    pad = VOCABULARY_SIZE - 1
    config = MarianConfig(
        vocab_size=VOCABULARY_SIZE, decoder_vocab_size=VOCABULARY_SIZE, d_model=512, encoder_layers=6, decoder_layers=6,
        encoder_attention_heads=8, decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048,
        max_position_embeddings=512, activation_function="swish", scale_embedding=True, pad_token_id=pad, eos_token_id=0,
        decoder_start_token_id=pad, forced_eos_token_id=0, share_encoder_decoder_embeddings=True, tie_word_embeddings=True,
        dropout=0.0, attention_dropout=0.0, activation_dropout=0.0)
    torch.manual_seed(14)
    model = MarianMTModel(config).eval()
    with torch.no_grad():
        model.final_logits_bias.normal_(0.0, 0.1)
    model.save_pretrained(folder)
    return real


def convert_to_ctranslate2(model_dir, output_dir):
    from ctranslate2.converters import TransformersConverter

    TransformersConverter(model_dir).convert(output_dir, quantization="float32", force=True)


def pick_sentences(corpora, folder, count, length):
    """(lines, source pieces with </s>) of the first `count` one-sentence lines of newstest2018 whose source is long
    enough that Tern's relative limit 3 × tokens + 10 allows `length` tokens, sorted by source length."""
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=os.path.join(folder, "source.spm"))
    with open(os.path.join(folder, "vocab.json"), encoding="utf-8") as handle:
        vocabulary = json.load(handle)
    fewest = -(-(length - 10) // 3)
    chosen = []
    for line in corpus_lines(corpora, "newstest2018", "en"):
        if re.search(r"[.!?:;][\"'”’)]?\s", line.strip()) or not line.strip():
            continue  # Tern translates each sentence of a line: keep lines of one sentence
        pieces = [piece if piece in vocabulary else "<unk>" for piece in processor.encode(line, out_type=str)] + ["</s>"]
        if fewest <= len(pieces) <= 128:
            chosen.append((line, pieces))
        if len(chosen) == count:
            break
    chosen.sort(key=lambda item: len(item[1]))
    return [line for line, _ in chosen], [pieces for _, pieces in chosen]


# ----------------------------------------------------------------------------------------------------------------
# CTranslate2 worker: runs in its own process under /usr/bin/time -v


def worker_ctranslate2(job_path):
    import ctranslate2

    with open(job_path, encoding="utf-8") as handle:
        job = json.load(handle)
    sources = [line.split() for line in read_lines(job["pieces"])]
    started = time.perf_counter()
    translator = ctranslate2.Translator(job["ct2_dir"], device="cpu", compute_type=job["compute_type"], inter_threads=1,
                                        intra_threads=job["threads"])
    loaded = time.perf_counter()
    outputs = []
    batch = job["batch"]
    for start in range(0, len(sources), batch):
        results = translator.translate_batch(sources[start:start + batch], max_batch_size=batch, beam_size=job["beam"],
                                             min_decoding_length=job["length"], max_decoding_length=job["length"],
                                             length_penalty=1.0, return_scores=False)
        outputs += [result.hypotheses[0] for result in results]
    finished = time.perf_counter()
    write_lines(job["output"], [" ".join(tokens) for tokens in outputs])
    with open(job["stats"], "w", encoding="utf-8") as handle:
        json.dump({"load_seconds": loaded - started, "decode_seconds": finished - loaded,
                   "lengths": [len(tokens) for tokens in outputs]}, handle)


# ----------------------------------------------------------------------------------------------------------------
# Orchestration


def uptime():
    return subprocess.run(["uptime"], check=True, stdout=subprocess.PIPE, text=True).stdout.strip()


def machine(tern):
    """The processor, its vector extensions and the kernels in use, as `tern-bench machine` reports them."""
    tern_bench = os.path.join(os.path.dirname(tern), "tern-bench")
    return subprocess.run([tern_bench, "machine"], check=True, stdout=subprocess.PIPE, text=True).stdout.strip()


def run_ctranslate2(args, work, ct2_dir, pieces_path, case):
    _, beam, batch = CASES[case]
    output = os.path.join(work, f"ct2.{case}.out")
    job = {"ct2_dir": ct2_dir, "pieces": pieces_path, "beam": beam, "batch": batch, "threads": args.threads,
           "length": args.length, "compute_type": args.compute_type, "output": output, "stats": output + ".json"}
    job_path = output + ".job.json"
    with open(job_path, "w", encoding="utf-8") as handle:
        json.dump(job, handle)
    _, rss, _, _ = timed([sys.executable, os.path.abspath(__file__), "--worker-job", job_path])
    with open(job["stats"], encoding="utf-8") as handle:
        stats = json.load(handle)
    # The pieces as text, as SentencePiece decodes pieces without byte fallback: joined, ▁ as a space.
    text = ["".join(line.split()).replace("▁", " ").strip() for line in read_lines(output)]
    return {"tokens": sum(stats["lengths"]), "lengths": stats["lengths"], "decode": stats["decode_seconds"],
            "load": stats["load_seconds"], "rss": rss, "text": text}


def tern_layouts(batch, threads):
    """Tern's decoder counts on `threads` cores: one decoder (one core); and for batches, one decoder per core
    (more than one decoder would put more than one sentence in flight at batch 1)."""
    layouts = [1]
    if batch > 1 and threads > 1:
        layouts.append(threads)
    return layouts


def median_run(runs):
    """The run of median decode time (the upper median for an even count), with `decode_range`: "median (min–max)"
    over all runs, or the one time; peak RSS is the largest of any run."""
    ordered = sorted(runs, key=lambda run: run["decode"])
    median = dict(ordered[len(ordered) // 2])
    median["rss"] = max(run["rss"] for run in runs)
    low, high = ordered[0]["decode"], ordered[-1]["decode"]
    median["decode_range"] = f"{median['decode']:.1f}" + (f" ({low:.1f}–{high:.1f})" if len(runs) > 1 else "")
    return median


def run_tern(args, work, folder, source_path, case, layout):
    _, beam, batch = CASES[case]
    decoders = layout
    per_decoder = max(1, batch // decoders)
    output = os.path.join(work, f"tern.{case}.{decoders}.out")
    empty = os.path.join(work, "empty.txt")
    write_lines(empty, [""])
    flags = ["--model", folder, "--beam", str(beam), "--min-length", str(args.length), "--max-length", str(args.length),
             "--batch-sentences", str(per_decoder), "--batch-tokens", str(1 << 20), "--threads", str(decoders),
             "--compute-type", args.compute_type]
    wall, rss, stderr, _ = timed([args.tern, "batch"] + flags + ["--input", source_path, "--output", output])
    load, _, _, _ = timed([args.tern, "batch"] + flags + ["--input", empty, "--output", output + ".empty"])
    counts = re.search(r"([\d,]+) source tokens, ([\d,]+) target tokens", stderr)
    if not counts:
        raise SystemExit(f"tern batch printed no token counts:\n{stderr}")
    return {"tokens": int(counts.group(2).replace(",", "")), "source_tokens": int(counts.group(1).replace(",", "")),
            "decode": max(wall - load, 1e-9), "load": load, "rss": rss, "text": read_lines(output),
            "command": "tern batch " + " ".join(flags[2:])}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tern", default=os.path.join(REPO, ".build/release/tern"))
    parser.add_argument("--corpora", default=os.environ.get("TERN_SHARED_CORPORA", os.path.join(REPO, "../shared/corpora")))
    parser.add_argument("--sentences", type=int, default=128, help="source sentences per case (default 128)")
    parser.add_argument("--length", type=int, default=32, help="forced output length in tokens (default 32)")
    parser.add_argument("--threads", type=int, default=2, help="threads per engine (default 2)")
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated subset of " + ",".join(CASES))
    parser.add_argument("--rounds", type=int, default=1, help="runs per engine and case, taking turns; median reported")
    parser.add_argument("--compute-type", choices=["float32", "int8"], default="float32",
                        help="CTranslate2's compute_type and Tern's --compute-type (default float32)")
    parser.add_argument("--work-root", default=tempfile.gettempdir(), help="where the work folder (about 600 MB) goes")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--worker-job", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker_job:
        worker_ctranslate2(args.worker_job)
        return
    if not os.path.isfile(os.path.join(args.corpora, "wmt-news-en-de", "newstest2018.en.gz")):
        print(f"skipped: {args.corpora}/wmt-news-en-de is absent (set TERN_SHARED_CORPORA to the shared corpora folder)")
        return
    cases = [case for case in args.cases.split(",") if case]
    for name, value in (("TRANSFORMERS_VERBOSITY", "error"), ("HF_HUB_OFFLINE", "1"),
                        ("HF_HUB_DISABLE_PROGRESS_BARS", "1"), ("TQDM_DISABLE", "1")):
        os.environ.setdefault(name, value)
    import ctranslate2
    import torch
    import transformers

    work = tempfile.mkdtemp(prefix="tern-opus-shape-", dir=args.work_root)
    try:
        load_before = uptime()
        folder = os.path.join(work, "opus-shape")
        started = time.perf_counter()
        real_pieces = build_model_folder(args.corpora, work, folder)
        built = time.perf_counter() - started
        ct2_dir = os.path.join(work, "ct2")
        started = time.perf_counter()
        convert_to_ctranslate2(folder, ct2_dir)
        converted = time.perf_counter() - started
        lines, pieces = pick_sentences(args.corpora, folder, args.sentences, args.length)
        source_path, pieces_path = os.path.join(work, "source.en"), os.path.join(work, "source.pieces")
        write_lines(source_path, lines)
        write_lines(pieces_path, [" ".join(sentence) for sentence in pieces])
        source_tokens = sum(len(sentence) for sentence in pieces)

        print(f"# Tern vs CTranslate2 at OPUS-MT's shape: {len(lines)} sentences of newstest2018 English, "
              f"{source_tokens} source tokens, every output forced to {args.length} tokens")
        print(f"model: random-weight MarianMTModel, 6+6 layers, d_model 512, 8 heads, FFN 2048, swish, scale_embedding, "
              f"shared embeddings, final_logits_bias, {VOCABULARY_SIZE} ids ({real_pieces} SentencePiece pieces, the rest "
              f"filler), float32 (built in {built:.0f} s, converted to CTranslate2 in {converted:.0f} s)")
        print(f"versions: ctranslate2 {ctranslate2.__version__}, transformers {transformers.__version__}, "
              f"torch {torch.__version__}")
        print(f"machine: {machine(args.tern)}")
        print(f"threads: CTranslate2 inter_threads 1, intra_threads {args.threads}; Tern as many decoders as each row says, each on one core")
        print(f"rounds: {args.rounds} per engine and case, the engines taking turns; decode s is the median (range)")
        print(f"uptime before: {load_before}")
        sys.stdout.flush()

        suffix = "fp32" if args.compute_type == "float32" else args.compute_type
        rows = []
        for case in cases:
            layouts = tern_layouts(CASES[case][2], args.threads)
            anchors, terns = [], {layout: [] for layout in layouts}
            for _ in range(args.rounds):
                anchor = run_ctranslate2(args, work, ct2_dir, pieces_path, case)
                if set(anchor["lengths"]) != {args.length}:
                    raise SystemExit(f"CTranslate2 {case}: output lengths {sorted(set(anchor['lengths']))}, not all {args.length}")
                anchors.append(anchor)
                print(f"  done: CTranslate2, {case}: {anchor['tokens']} tokens in {anchor['decode']:.1f} s", file=sys.stderr)
                for layout in layouts:
                    tern = run_tern(args, work, folder, source_path, case, layout)
                    if tern["tokens"] != len(lines) * args.length or tern["source_tokens"] != source_tokens:
                        raise SystemExit(f"Tern {case} {layout} decoders: {tern['source_tokens']} source and {tern['tokens']} "
                                         f"target tokens, not {source_tokens} and {len(lines) * args.length}")
                    terns[layout].append(tern)
                    print(f"  done: Tern {layout} decoder(s), {case}: {tern['tokens']} tokens in {tern['decode']:.1f} s",
                          file=sys.stderr)
            rows.append(dict(median_run(anchors), engine=f"CTranslate2 {suffix}", case=case,
                             layout=f"1 decoder on {args.threads} threads"))
            for layout in layouts:
                rows.append(dict(median_run(terns[layout]), engine="Tern" if suffix == "fp32" else f"Tern {suffix}", case=case,
                                 layout=f"{layout} decoder{'s' if layout > 1 else ''}, one core each"))
        load_after = uptime()

        print()
        print("| engine | case | threads | target tokens | decode s | tokens/s | × CTranslate2 | load s "
              "| peak RSS MB | RSS × CTranslate2 | same text as CTranslate2 |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for row in rows:
            anchor = next(other for other in rows if other["case"] == row["case"] and other["engine"].startswith("CTranslate2"))
            speed = row["tokens"] / row["decode"]
            ratio = speed / (anchor["tokens"] / anchor["decode"])
            same = sum(a == b for a, b in zip(row["text"], anchor["text"]))
            print(f"| {row['engine']} | {CASES[row['case']][0]} | {row['layout']} | {row['tokens']} | {row['decode_range']} | "
                  f"{speed:,.0f} | {ratio:.2f} | {row['load']:.2f} | {row['rss']:.0f} | {row['rss'] / anchor['rss']:.2f} | "
                  f"{same}/{len(anchor['text'])} |")
        print()
        print("tokens/s: generated target tokens (all forced to the same length, no </s>) per second of decoding; "
              "model loading excluded (CTranslate2: timed in-process; Tern: wall time minus the same command on an "
              "empty input). Peak RSS: /usr/bin/time -v of each engine's own process (CTranslate2's includes the "
              "Python interpreter). Same text: Tern's output lines equal to CTranslate2's pieces joined with ▁ as a "
              "space (the same weights should give the same tokens; float summation order can break near-ties).")
        for row in rows:
            if row["engine"].startswith("Tern"):
                print(f"- Tern {row['case']} {row['layout']}: `{row['command']}`")
        print(f"- uptime after: {load_after}")
        print(f"- on {os.cpu_count()} CPUs a load average above ~0.5 means other work competed with the engines")
    finally:
        if args.keep:
            print(f"work folder kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
