#!/usr/bin/env python3
"""Tern against CTranslate2 and Hugging Face transformers on the same model (issue 6).

Usage (normally through ``Benchmarks/engines.sh``, which builds ``tern`` and ``tern-bench`` first):

    python3 Benchmarks/engines.py [--model Models/en-de-multi30k/encdec] [--limit N] [--tern PATH] [--tern-bench PATH]
                                  [--compute-type float32|int8] [--test-set multi30k|flores-dev-en-de|flores-dev-en-zh]

What it does, in one run, side by side:

1. Copies the Tern encoder-decoder folder (``config.json``, F16 ``model.safetensors``, ``vocab.json``) to a temporary
   directory (the training job overwrites the original when validation improves) and points its
   ``tern_vocabulary`` at the absolute vocabulary path.
2. Converts the copy to CTranslate2 (``TransformersConverter`` with a stub tokenizer built from ``vocab.json``,
   float32) and loads it in Hugging Face ``MarianMTModel`` (CPU, float32).
3. Tokenizes the test set's English (``--test-set``: Multi30k test2016 en→de by default; FLORES dev en→de or en→zh
   for the models of those pairs) once with ``tern tokenize``: pieces + ``</s>`` for CTranslate2, ids + eos 0 for
   transformers.
4. Translates with each engine in its own process under ``/usr/bin/time -v`` (so peak RSS is per engine):
   - greedy, batch 1 (Tern: ``tern batch --threads 1 --batch-sentences 1``, one sentence at a time);
   - greedy, batch 32 and beam 4, batch 32 (CTranslate2/transformers: the sentences sorted by source length, in chunks of 32, as
     CTranslate2's own ``max_batch_size`` rebatching does; Tern: the same 32 sentences in flight, split over
     ``--tern-batch-threads`` threads (``tern batch --threads 2 --batch-sentences 16``), with a token budget that
     never binds, each chunk of lines sorted by length).
   When ``tern batch`` is not built, Tern runs ``tern translate``, which batches the lines a file hands it at once
   (up to 32), and the table says so.
   Length penalty 1.0, no repetition penalties. Length limit: Tern's CLI allows
   ``min(--max-length, 3 * source tokens incl. </s> + 10)`` target tokens per sentence and cannot switch that
   off (``tern-bench limits`` prints each sentence's limit by Tern's own rule), so at batch 1 the other engines get exactly that limit per sentence; in batches they get the largest
   limit of the batch (CTranslate2 takes one number per call), and the report counts outputs that ran into or
   past their own limit. Tokens/s counts generated target pieces without ``</s>``, over decoding time (model
   loading excluded; for Tern, the wall time of the same command on an empty input is subtracted).
5. Detokenizes CTranslate2/transformers outputs with ``tern detokenize``, scores every engine with sacreBLEU
   (BLEU 13a, or sacreBLEU's ``zh`` tokenizer for Chinese; chrF) against the test set's references, and reports how
   many outputs are identical to Tern's.
6. Prints a markdown table, then runs ``tern-bench decode`` (Tern's cache claims) when it is built.

Known, expected differences between the engines (reported, not hidden):
- CTranslate2's Marian converter drops ``<pad>`` from the vocabulary and starts the decoder from a zero
  embedding instead of the ``<pad>`` row (the same vector while the trainer keeps that row at zero).
- transformers' ``generate`` would force ``</s>`` as the last token at the length limit when
  ``forced_eos_token_id`` is set; it is unset here, so a sentence cut by the limit keeps all its tokens as in
  CTranslate2 and Tern.
- Tern splits a line into sentences (ICU) and translates each; the others translate the whole line.
- Float summation order differs, so near-ties between candidates can break differently (mostly in beam search).

Options: ``--limit N`` uses the first N sentences (develop with ``--limit 50``); ``--engines ctranslate2,tern`` leaves
transformers out (the slowest by far); ``--rounds N`` runs every engine and
case N times and reports the median decode time (this class of VM varies by ±25% run to run); ``--skip-tern-bench``;
``--keep`` keeps the work directory. Skips (exit 0) when the test set is absent
(``TERN_SHARED_CORPORA``, default ``../shared/corpora``).
Requires python packages ctranslate2, transformers, torch (CPU), sacrebleu, safetensors.
"""

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = {
    # name: (beam size, batch size)
    "greedy-b1": (1, 1),
    "greedy-b32": (1, 32),
    "beam4-b32": (4, 32),
}
CASE_LABEL = {"greedy-b1": "greedy, batch 1", "greedy-b32": "greedy, batch 32", "beam4-b32": "beam 4, batch 32"}
ENGINES = ["ctranslate2", "transformers", "tern"]
ENGINE_LABEL = {"ctranslate2": "CTranslate2 fp32", "transformers": "HF transformers fp32", "tern": "Tern"}
TEST_SETS = {
    # name: (title, source and reference paths under the corpora folder, sacreBLEU tokenizer)
    "multi30k": ("Multi30k test2016 en→de", "multi30k/test_2016_flickr.en.gz", "multi30k/test_2016_flickr.de.gz", "13a"),
    "flores-dev-en-de": ("FLORES dev en→de", "flores-dev/en-de/flores-dev.en", "flores-dev/en-de/flores-dev.de", "13a"),
    "flores-dev-en-zh": ("FLORES dev en→zh", "flores-dev/en-zh/flores-dev.en", "flores-dev/en-zh/flores-dev.zh", "zh"),
}


def read_text_lines(path):
    """The lines of a plain or gzip-compressed text file, without their line ends."""
    with (gzip.open if path.endswith(".gz") else open)(path, "rt", encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in handle]


# ----------------------------------------------------------------------------------------------------------------
# Shared helpers


def read_lines(path):
    with open(path, encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in handle]


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line + "\n")


def tern_length_limits(tern_bench, model_dir, ids_path, max_length):
    """Tern's own per-sentence target-length limit for each line of ids (``tern-bench limits``)."""
    done = subprocess.run([tern_bench, "limits", "--model", model_dir, "--ids", ids_path, "--max-length", str(max_length)],
                          check=True, stdout=subprocess.PIPE, text=True)
    return [int(line) for line in done.stdout.split()]


def make_batches(source_lengths, limits, batch_size):
    """(length limit, indices) per batch. Batch 1: every sentence alone with its own limit, exactly Tern's. Larger
    batches: sentences sorted by source length (as CTranslate2 does with max_batch_size) in chunks of batch_size,
    each decoded up to the largest limit of its members (one number per call is all CTranslate2 takes), so a
    sentence can get a few tokens more than Tern allows it; the report counts the outputs that used them."""
    if batch_size == 1:
        return [(limit, [index]) for index, limit in enumerate(limits)]
    order = sorted(range(len(limits)), key=lambda index: source_lengths[index])
    chunks = [order[start:start + batch_size] for start in range(0, len(order), batch_size)]
    return [(max(limits[index] for index in chunk), chunk) for chunk in chunks]


# ----------------------------------------------------------------------------------------------------------------
# Workers: each runs in its own process under /usr/bin/time -v.


def worker_ctranslate2(args, job):
    import ctranslate2

    sources = [line.split() + ["</s>"] for line in read_lines(job["pieces"])]
    limits = job["limits"]
    started = time.perf_counter()
    translator = ctranslate2.Translator(job["ct2_dir"], device="cpu", compute_type=args.compute_type,
                                        inter_threads=1, intra_threads=args.threads)
    loaded = time.perf_counter()
    outputs = [None] * len(sources)
    for limit, members in make_batches(job["source_lengths"], limits, job["batch"]):
        results = translator.translate_batch(
            [sources[i] for i in members], max_batch_size=job["batch"], beam_size=job["beam"],
            max_decoding_length=limit, length_penalty=1.0, return_scores=False)
        for index, result in zip(members, results):
            outputs[index] = result.hypotheses[0]
    finished = time.perf_counter()
    write_lines(job["output"], [" ".join(tokens) for tokens in outputs])
    return {"load_seconds": loaded - started, "decode_seconds": finished - loaded,
            "tokens": sum(len(tokens) for tokens in outputs)}


def worker_transformers(args, job):
    import torch
    from transformers import MarianMTModel

    torch.set_num_threads(args.threads)
    sources = [[int(x) for x in line.split()] + [0] for line in read_lines(job["ids"])]
    limits = job["limits"]
    pad = job["pad"]
    started = time.perf_counter()
    model = MarianMTModel.from_pretrained(job["model_dir"], dtype=torch.float32).eval()
    config = model.generation_config
    # No search tricks: no forced </s> at the limit, no repetition or length constraints beyond the limit.
    config.forced_eos_token_id = None
    config.forced_bos_token_id = None
    config.no_repeat_ngram_size = 0
    config.repetition_penalty = 1.0
    config.min_length = 0
    config.max_length = None
    loaded = time.perf_counter()
    outputs = [None] * len(sources)
    with torch.inference_mode():
        for limit, members in make_batches(job["source_lengths"], limits, job["batch"]):
            width = max(len(sources[i]) for i in members)
            input_ids = torch.tensor([sources[i] + [pad] * (width - len(sources[i])) for i in members], dtype=torch.long)
            attention_mask = torch.tensor([[1] * len(sources[i]) + [0] * (width - len(sources[i])) for i in members],
                                          dtype=torch.long)
            generated = model.generate(
                input_ids=input_ids, attention_mask=attention_mask, num_beams=job["beam"], do_sample=False,
                max_new_tokens=limit, early_stopping=True, length_penalty=1.0, bad_words_ids=[[pad]],
                decoder_start_token_id=pad, eos_token_id=0, pad_token_id=pad)
            for index, row in zip(members, generated.tolist()):
                tokens = row[1:]  # drop the decoder start token
                if 0 in tokens:
                    tokens = tokens[:tokens.index(0)]
                outputs[index] = [t for t in tokens if t != pad]
    finished = time.perf_counter()
    write_lines(job["output"], [" ".join(map(str, tokens)) for tokens in outputs])
    return {"load_seconds": loaded - started, "decode_seconds": finished - loaded,
            "tokens": sum(len(tokens) for tokens in outputs)}


def run_worker(args):
    with open(args.worker_job, encoding="utf-8") as handle:
        job = json.load(handle)
    result = {"ctranslate2": worker_ctranslate2, "transformers": worker_transformers}[args.worker](args, job)
    with open(job["stats"], "w", encoding="utf-8") as handle:
        json.dump(result, handle)


# ----------------------------------------------------------------------------------------------------------------
# Orchestration


def run(command, **kwargs):
    return subprocess.run(command, check=True, **kwargs)


def timed(command, env=None, stdin_path=None):
    """Runs command under /usr/bin/time -v; returns (wall seconds, peak RSS in MB, stderr without time's report)."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    try:
        started = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-v"] + command, stdin=stdin, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=env, text=True)
        wall = time.perf_counter() - started
    finally:
        if stdin_path:
            stdin.close()
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    own = done.stderr.split("\tCommand being timed:")[0]
    if done.returncode != 0:
        sys.stderr.write(own + "\n")
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}")
    return wall, (int(match.group(1)) / 1024 if match else float("nan")), own, done.stdout


def timed_rounds(rounds, command, baseline, env=None, stdin_path=None, baseline_stdin=None):
    """Runs command, then baseline (the same command on an empty input), `rounds` times; returns (median decode
    seconds, median wall, median baseline wall, largest peak RSS, the last run's stderr and stdout)."""
    walls, loads, rss, stderr, stdout = [], [], 0.0, "", ""
    for _ in range(rounds):
        wall, peak, stderr, stdout = timed(command, env=env, stdin_path=stdin_path)
        load, _, _, _ = timed(baseline, env=env, stdin_path=baseline_stdin)
        walls.append(wall)
        loads.append(load)
        rss = max(rss, peak)
    decode = statistics.median(max(w - l, 1e-9) for w, l in zip(walls, loads))
    return decode, statistics.median(walls), statistics.median(loads), rss, stderr, stdout


def stable_copy(source, destination, attempts=10):
    """Copies a model folder that a training job may be rewriting; retries until nothing changed meanwhile."""

    def snapshot():
        return {name: (os.stat(os.path.join(source, name)).st_size, os.stat(os.path.join(source, name)).st_mtime_ns)
                for name in sorted(os.listdir(source)) if os.path.isfile(os.path.join(source, name))}

    for _ in range(attempts):
        before = snapshot()
        if os.path.exists(destination):
            shutil.rmtree(destination)
        shutil.copytree(source, destination)
        if snapshot() == before:
            try:
                from safetensors import safe_open
                with safe_open(os.path.join(destination, "model.safetensors"), framework="np") as weights:
                    list(weights.keys())
                with open(os.path.join(destination, "config.json"), encoding="utf-8") as handle:
                    json.load(handle)
                return
            except Exception:  # noqa: BLE001 - torn copy, try again
                pass
        time.sleep(2)
    raise SystemExit(f"could not take a consistent copy of {source}")


class StubTokenizer:
    """What CTranslate2's Marian loader reads from a tokenizer: get_vocab(), eos_token, unk_token (bos/pad unused)."""

    def __init__(self, vocab_path):
        with open(vocab_path, encoding="utf-8") as handle:
            self.vocab = json.load(handle)
        self.eos_token = "</s>"
        self.unk_token = "<unk>"
        self.pad_token = "<pad>"
        self.bos_token = None

    def get_vocab(self):
        return dict(self.vocab)


def convert_to_ctranslate2(model_dir, output_dir):
    import torch
    from ctranslate2.converters import TransformersConverter

    class TernConverter(TransformersConverter):
        def load_model(self, model_class, model_name_or_path, **kwargs):
            kwargs["dtype"] = torch.float32  # the safetensors hold F16; compute in float32 like the others
            return model_class.from_pretrained(model_name_or_path, **kwargs)

        def load_tokenizer(self, tokenizer_class, model_name_or_path, **kwargs):
            return StubTokenizer(os.path.join(model_name_or_path, "vocab.json"))

    TernConverter(model_dir).convert(output_dir, quantization="float32", force=True)


def tern_has_batch(tern):
    done = subprocess.run([tern, "batch", "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return done.returncode == 0 and "--batch-tokens" in done.stdout


def count_pieces(tern, vocab, path):
    """Target pieces of detokenized text, by re-tokenizing it (only when Tern reports no count itself)."""
    pieces_path = path + ".pieces"
    run([tern, "tokenize", "--vocab", vocab, "-i", path, "-o", pieces_path])
    return sum(len(line.split()) for line in read_lines(pieces_path))


def multi_sentence(line):
    return re.search(r"[.!?]\s+[A-Z\"]", line.strip()) is not None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=os.path.join(REPO, "Models/en-de-multi30k/encdec"))
    parser.add_argument("--vocab", help="Tern vocabulary folder (default: the model's tern_vocabulary)")
    parser.add_argument("--corpora", default=os.environ.get("TERN_SHARED_CORPORA", os.path.join(REPO, "../shared/corpora")))
    parser.add_argument("--tern", default=os.path.join(REPO, ".build/release/tern"))
    parser.add_argument("--tern-bench", default=os.path.join(REPO, ".build/release/tern-bench"))
    parser.add_argument("--limit", type=int, default=0, help="first N test sentences only (0: all)")
    parser.add_argument("--test-set", choices=list(TEST_SETS), default="multi30k",
                        help="the sentences and references (default multi30k: Multi30k test2016 en→de)")
    parser.add_argument("--max-length", type=int, default=256)
    parser.add_argument("--threads", type=int, default=2,
                        help="threads per engine: CTranslate2 intra_threads, torch threads; Tern multiplies on its decoding "
                             "threads (--tern-batch-threads)")
    parser.add_argument("--tern-batch-threads", type=int, default=2,
                        help="tern batch --threads for the batched cases: 2 (tern batch's default) decodes two "
                             "batches at once, one core each; 1 runs one decoder on one core")
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated subset of " + ",".join(CASES))
    parser.add_argument("--compute-type", choices=["float32", "int8"], default="float32",
                        help="CTranslate2's compute_type and Tern's --compute-type (transformers stays float32)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="runs of each engine and case; decode time is the median, peak RSS the largest")
    parser.add_argument("--engines", default=",".join(ENGINES),
                        help="comma-separated subset of " + ",".join(ENGINES) + " (CTranslate2 and Tern always run)")
    parser.add_argument("--skip-tern-bench", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--worker", choices=["ctranslate2", "transformers"], help=argparse.SUPPRESS)
    parser.add_argument("--worker-job", help=argparse.SUPPRESS)
    args = parser.parse_args()
    engines = [engine for engine in ENGINES if engine in args.engines.split(",") or engine != "transformers"]
    if args.worker:
        run_worker(args)
        return
    ENGINE_LABEL["ctranslate2"] = f"CTranslate2 {'fp32' if args.compute_type == 'float32' else args.compute_type}"
    ENGINE_LABEL["tern"] = "Tern" if args.compute_type == "float32" else f"Tern {args.compute_type}"
    tern_compute = ["--compute-type", args.compute_type]

    test_title, source_name, reference_name, bleu_tokenize = TEST_SETS[args.test_set]
    source_file, reference_file = os.path.join(args.corpora, source_name), os.path.join(args.corpora, reference_name)
    if not (os.path.isfile(source_file) and os.path.isfile(reference_file)):
        print(f"skipped: {source_file} is absent (set TERN_SHARED_CORPORA to the shared corpora folder)")
        return
    for path in (args.tern, "/usr/bin/time"):
        if not os.access(path, os.X_OK):
            raise SystemExit(f"{path} is missing: build tern (Benchmarks/engines.sh does) / apt-get install time")

    for name, value in (("TRANSFORMERS_VERBOSITY", "error"), ("HF_HUB_OFFLINE", "1"),
                        ("HF_HUB_DISABLE_PROGRESS_BARS", "1"), ("TQDM_DISABLE", "1")):
        os.environ.setdefault(name, value)
    import sacrebleu
    import ctranslate2
    import transformers
    import torch

    work = tempfile.mkdtemp(prefix="tern-engines-")
    try:
        model_dir = os.path.join(work, "model")
        stable_copy(args.model, model_dir)
        with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as handle:
            config = json.load(handle)
        vocab = args.vocab or os.path.normpath(os.path.join(os.path.abspath(args.model), config["tern_vocabulary"]))
        config["tern_vocabulary"] = vocab
        with open(os.path.join(model_dir, "config.json"), "w", encoding="utf-8") as handle:
            json.dump(config, handle, indent=2)
        pad = config["pad_token_id"]
        trained = ""
        if os.path.isfile(os.path.join(model_dir, "training-summary.json")):
            with open(os.path.join(model_dir, "training-summary.json"), encoding="utf-8") as handle:
                summary = json.load(handle)
            trained = f", training step {summary.get('step')}, validation BLEU {summary.get('validation_bleu', float('nan')):.2f}"

        sources, references = read_text_lines(source_file), read_text_lines(reference_file)
        if args.limit:
            sources, references = sources[:args.limit], references[:args.limit]
        source_path = os.path.join(work, "test.en")
        write_lines(source_path, sources)

        # Tokenize once, with Tern.
        pieces_path, ids_path = os.path.join(work, "test.pieces"), os.path.join(work, "test.ids")
        run([args.tern, "tokenize", "--vocab", vocab, "-i", source_path, "-o", pieces_path])
        run([args.tern, "tokenize", "--vocab", vocab, "--ids", "-i", source_path, "-o", ids_path])
        source_lengths = [len(line.split()) + 1 for line in read_lines(ids_path)]  # + </s>
        if not os.access(args.tern_bench, os.X_OK):
            sys.exit(f"{args.tern_bench} is not built (swift build -c release --product tern-bench): it gives Tern's length limits")
        limits = tern_length_limits(args.tern_bench, model_dir, ids_path, args.max_length)

        ct2_dir = os.path.join(work, "ct2")
        started = time.perf_counter()
        convert_to_ctranslate2(model_dir, ct2_dir)
        convert_seconds = time.perf_counter() - started

        print(f"# Tern vs CTranslate2 vs transformers: {test_title}, {len(sources)} sentences")
        print(f"model: {args.model}{trained}; ctranslate2 {ctranslate2.__version__}, transformers "
              f"{transformers.__version__}, torch {torch.__version__}, sacrebleu {sacrebleu.__version__}; "
              f"converted to CTranslate2 in {convert_seconds:.1f} s")
        machine = subprocess.run([args.tern_bench, "machine"], check=True, stdout=subprocess.PIPE, text=True).stdout.strip()
        print(f"machine: {machine}")
        print(f"threads: CTranslate2 inter_threads 1, intra_threads {args.threads}; torch {args.threads}; Tern "
              f"one core per decoding thread"
              + (f", tern batch --threads {args.tern_batch_threads}" if "b32" in args.cases else ""))
        print(f"rounds: {args.rounds} per engine and case; decode time is the median")
        print(f"length limit per sentence: min({args.max_length}, 3 × source tokens incl. </s> + 10) as Tern's CLI "
              f"applies it (batched CTranslate2/transformers: the batch's largest); length penalty 1.0; "
              f"no repetition penalties")
        sys.stdout.flush()

        has_batch = tern_has_batch(args.tern)
        mean_source = statistics.mean(source_lengths)
        worker_env = dict(os.environ, TRANSFORMERS_VERBOSITY="error", HF_HUB_OFFLINE="1",
                          HF_HUB_DISABLE_PROGRESS_BARS="1", TQDM_DISABLE="1", TOKENIZERS_PARALLELISM="false")
        empty_path = os.path.join(work, "empty.txt")
        write_lines(empty_path, [""])

        rows, notes = [], []
        load_before = os.getloadavg()[0]
        for case in [c for c in args.cases.split(",") if c]:
            beam, batch = CASES[case]
            outputs = {}
            for engine in engines:
                output_path = os.path.join(work, f"{engine}.{case}.out")
                if engine == "tern":
                    tern_command = [args.tern, "translate", "--model", model_dir, "--beam", str(beam),
                                    "--max-length", str(args.max_length)] + tern_compute
                    label_case = CASE_LABEL[case]
                    mean_batch = 1.0
                    if has_batch:
                        # Batches of exactly `batch` sentences, as CTranslate2 and transformers get (a token
                        # budget that never binds), each chunk of lines sorted by length (Tern's batching rule).
                        # At batch 1, one sentence at a time on one decoding thread: `tern translate` would batch
                        # the lines a file hands it at once.
                        budget = batch * (max(source_lengths) + 2)
                        # `batch` sentences in flight in all, as in one CTranslate2 batch on its intra-op threads.
                        threads = args.tern_batch_threads if batch > 1 else 1
                        per_thread = max(1, batch // threads)
                        batching = ["--batch-tokens", str(budget), "--batch-sentences", str(per_thread), "--threads", str(threads)]
                        command = [args.tern, "batch", "--model", model_dir, "--beam", str(beam), "--max-length",
                                   str(args.max_length)] + batching + tern_compute + ["--input", source_path, "--output", output_path]
                        baseline = [args.tern, "batch", "--model", model_dir, "--beam", str(beam), "--max-length",
                                    str(args.max_length)] + batching + tern_compute + ["--input", empty_path,
                                                                                       "--output", output_path + ".empty"]
                        decode, wall, load, rss, stderr, _ = timed_rounds(args.rounds, command, baseline, env=worker_env)
                        reported = re.search(r"(\d[\d,]*) target tokens|target tokens[ :=]*(\d[\d,]*)", stderr)
                        if reported:
                            tokens = int((reported.group(1) or reported.group(2)).replace(",", ""))
                            counted = "reported by tern batch"
                        else:
                            tokens = count_pieces(args.tern, vocab, output_path)
                            counted = "re-tokenized output (tern batch reports no count)"
                        searched = re.search(r"batches searched, ([\d.]+) sentences each", stderr)
                        mean_batch = float(searched.group(1)) if searched else float("nan")
                        own = [line.replace("summary: ", "") for line in stderr.splitlines() if "summary:" in line]
                        notes.append(f"Tern {case}: `tern batch {' '.join(batching)}`; target tokens {counted}; its own summary: "
                                     + ("; ".join(own) if own else "-"))
                    else:
                        label_case = CASE_LABEL[case].replace(f"batch {batch}", "`tern translate` (no `tern batch`)")
                        notes.append(f"Tern {case}: `tern batch` is not built; ran `tern translate`, which batches "
                                     f"the lines that have arrived (up to 32)")
                        decode, wall, load, rss, stderr, stdout = timed_rounds(
                            args.rounds, tern_command + ["-v"], tern_command, env=worker_env, stdin_path=source_path,
                            baseline_stdin=empty_path)
                        with open(output_path, "w", encoding="utf-8") as handle:
                            handle.write(stdout)
                        reported = re.search(r"target tokens (\d+)", stderr)
                        tokens = int(reported.group(1)) if reported else count_pieces(args.tern, vocab, output_path)
                    text = read_lines(output_path)
                else:
                    job = {"pieces": pieces_path, "ids": ids_path, "limits": limits, "beam": beam, "batch": batch,
                           "source_lengths": source_lengths,
                           "pad": pad, "ct2_dir": ct2_dir, "model_dir": model_dir, "output": output_path,
                           "stats": output_path + ".json"}
                    job_path = output_path + ".job.json"
                    with open(job_path, "w", encoding="utf-8") as handle:
                        json.dump(job, handle)
                    runs = []
                    for _ in range(args.rounds):
                        wall, peak, _, _ = timed([sys.executable, os.path.abspath(__file__), "--worker", engine,
                                                  "--worker-job", job_path, "--threads", str(args.threads),
                                                  "--compute-type", args.compute_type], env=worker_env)
                        with open(job["stats"], encoding="utf-8") as handle:
                            runs.append((json.load(handle), wall, peak))
                    tokens = runs[-1][0]["tokens"]
                    decode = statistics.median(stats["decode_seconds"] for stats, _, _ in runs)
                    load = statistics.median(stats["load_seconds"] for stats, _, _ in runs)
                    wall = statistics.median(w for _, w, _ in runs)
                    rss = max(peak for _, _, peak in runs)
                    detok = output_path + ".txt"
                    run([args.tern, "detokenize", "--vocab", vocab] + (["--ids"] if engine == "transformers" else [])
                        + ["-i", output_path, "-o", detok])
                    text = read_lines(detok)
                    mean_batch = statistics.mean(len(m) for _, m in make_batches(source_lengths, limits, batch))
                    with open(output_path, encoding="utf-8") as handle:
                        lengths = [len(line.split()) for line in handle]
                    over = sum(n > limit for n, limit in zip(lengths, limits))
                    at = sum(n == limit for n, limit in zip(lengths, limits))
                    notes.append(f"{ENGINE_LABEL[engine]} {case}: {at} outputs stopped exactly at Tern's per-sentence "
                                 f"length limit, {over} went past it"
                                 + (" (in batches the batch's largest limit applies)" if batch > 1 else ""))
                    label_case = CASE_LABEL[case]
                outputs[engine] = text
                bleu = sacrebleu.corpus_bleu(text, [references], tokenize=bleu_tokenize).score
                chrf = sacrebleu.corpus_chrf(text, [references]).score
                rows.append({"engine": engine, "case": case, "label": label_case, "tokens": tokens, "decode": decode,
                             "load": load, "wall": wall, "rss": rss, "bleu": bleu, "chrf": chrf,
                             "batch": mean_batch})
                print(f"  done: {ENGINE_LABEL[engine]}, {label_case}: {tokens} tokens in {decode:.1f} s", file=sys.stderr)
            reference_text = outputs["tern"]
            for row in rows:
                if row["case"] == case:
                    other = outputs[row["engine"]]
                    row["same"] = 100.0 * sum(a == b for a, b in zip(other, reference_text)) / len(reference_text)
            if "transformers" in outputs:
                ct2_hf = 100.0 * sum(a == b for a, b in zip(outputs["ctranslate2"], outputs["transformers"])) / len(sources)
                notes.append(f"{case}: CTranslate2 = transformers on {ct2_hf:.1f}% of sentences")
            for engine in [engine for engine in outputs if engine != "tern"]:
                differing = [i for i, (a, b) in enumerate(zip(outputs[engine], reference_text)) if a != b]
                if not differing:
                    continue
                multi = sum(multi_sentence(sources[i]) for i in differing)
                notes.append(f"{case}: {len(differing)} sentences where {ENGINE_LABEL[engine]} ≠ Tern "
                             f"({multi} of them are lines Tern may split into several sentences); first: "
                             + "; ".join(f"#{i + 1} Tern «{reference_text[i]}» vs «{outputs[engine][i]}»"
                                         for i in differing[:2]))

        # The table.
        print()
        print("| engine | case | sentences/batch | target tokens | decode s | tokens/s | × CTranslate2 | load s "
              "| peak RSS MB | BLEU | chrF | identical to Tern |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for row in rows:
            anchor = next(r for r in rows if r["case"] == row["case"] and r["engine"] == "ctranslate2")
            speed = row["tokens"] / row["decode"]
            ratio = speed / (anchor["tokens"] / anchor["decode"])
            same = "(reference)" if row["engine"] == "tern" else f"{row['same']:.1f}%"
            print(f"| {ENGINE_LABEL[row['engine']]} | {row['label']} | {row['batch']:.1f} | {row['tokens']} | "
                  f"{row['decode']:.1f} | {speed:,.0f} | {ratio:.2f} | {row['load']:.2f} | {row['rss']:.0f} | "
                  f"{row['bleu']:.2f} | {row['chrf']:.2f} | {same} |")
        print()
        print("tokens/s: generated target pieces without </s> per second of decoding (model loading excluded; Tern: "
              "process wall time minus the same command on an empty input). Peak RSS: /usr/bin/time -v of the "
              "engine's own process (Python interpreter included for CTranslate2 and transformers).")
        print(f"- load average (1 min) {load_before:.1f} before the runs, {os.getloadavg()[0]:.1f} after, on "
              f"{os.cpu_count()} CPUs: above ~0.5 other work competes with the engines")
        for note in notes:
            print(f"- {note}")
        sys.stdout.flush()

        if not args.skip_tern_bench:
            print()
            print("## Tern's cache claims: tern-bench decode")
            if os.access(args.tern_bench, os.X_OK):
                command = [args.tern_bench, "decode", "--input", source_path, "--vocab", vocab,
                           "--model", f"encdec={model_dir}"]
                print("$ " + " ".join(command))
                sys.stdout.flush()
                run(command)
            else:
                print(f"skipped: {args.tern_bench} is not built "
                      "(swift build -c release --product tern-bench)")
    finally:
        if args.keep:
            print(f"work directory kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
