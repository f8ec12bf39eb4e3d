"""Anchor for Benchmarks/sentencepiece.sh: the `sentencepiece` library (C++) encoding the same
files with the same model on one thread, timed in process CPU time as `tern-bench sentencepiece` is. Prints rows in the same
format as `tern-bench`.

Usage: python3 sentencepiece_anchor.py --model FILE --file FILE [--file FILE...]
"""
import argparse
import os
import statistics
import time

import sentencepiece as spm


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--file", action="append", required=True)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    sp = spm.SentencePieceProcessor(model_file=args.model)
    print("file\tMB\tMB/s\tpieces/s\tpieces/line")
    for path in args.file:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        megabytes = sum(len(line.encode()) + 1 for line in lines) / 1e6
        times = []
        for _ in range(args.repeats):
            start = time.process_time()
            ids = sp.encode(lines, num_threads=1)  # the whole list in C++, one thread
            times.append(time.process_time() - start)
        seconds = statistics.median(times)
        pieces = sum(len(x) for x in ids)
        print("%s\t%.2f\t%.2f\t%.0f\t%.2f" % (os.path.basename(path), megabytes, megabytes / seconds, pieces / seconds,
                                             pieces / len(lines)))


if __name__ == "__main__":
    main()
