"""Anchors for Benchmarks/tokenizer.sh: Hugging Face `tokenizers` (Rust) and SentencePiece (C++),
each learning a BPE vocabulary of the same size on the same files and encoding the same files on
one thread. Prints rows in the same format as `tern-bench`.

Usage: python3 tokenizer_anchor.py --size N --learn FILE... --encode FILE...
"""
import argparse
import os
import statistics
import tempfile
import time

os.environ["RAYON_NUM_THREADS"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import sentencepiece as spm  # noqa: E402
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers  # noqa: E402


def median_time(runs, body):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--learn", nargs="+", required=True)
    parser.add_argument("--encode", nargs="+", required=True)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    def train_hf():
        tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
        tokenizer.normalizer = normalizers.NFKC()
        tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
        trainer = trainers.BpeTrainer(vocab_size=args.size, special_tokens=["</s>", "<unk>", "<pad>"], show_progress=False)
        tokenizer.train(args.learn, trainer)
        return tokenizer

    model_dir = tempfile.mkdtemp()

    def train_spm():
        spm.SentencePieceTrainer.train(input=",".join(args.learn), model_prefix=f"{model_dir}/spm", vocab_size=args.size,
                                       model_type="bpe", byte_fallback=True, num_threads=1, minloglevel=2,
                                       input_sentence_size=0, character_coverage=0.9995)

    hf_seconds = median_time(args.repeats, train_hf)
    spm_seconds = median_time(args.repeats, train_spm)
    print(f"learn-hf-tokenizers\t{args.size} pieces\t{hf_seconds:.2f} s")
    print(f"learn-sentencepiece\t{args.size} pieces\t{spm_seconds:.2f} s")

    hf = train_hf()
    sp = spm.SentencePieceProcessor(model_file=f"{model_dir}/spm.model")
    print("file\tengine\tMB\tMB/s")
    for path in args.encode:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().split("\n")[:-1]
        megabytes = sum(len(line.encode("utf-8")) + 1 for line in lines) / 1e6
        name = os.path.basename(path)
        seconds = median_time(args.repeats, lambda: hf.encode_batch(lines))
        print(f"{name}\thf-tokenizers\t{megabytes:.2f}\t{megabytes / seconds:.2f}")
        seconds = median_time(args.repeats, lambda: sp.encode(lines))
        print(f"{name}\tsentencepiece\t{megabytes:.2f}\t{megabytes / seconds:.2f}")


if __name__ == "__main__":
    main()
