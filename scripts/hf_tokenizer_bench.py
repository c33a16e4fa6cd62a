#!/usr/bin/env python3
"""Hugging Face `tokenizers` encoding throughput on the embedded corpus, one thread.

Introduced in Chapter 1 (Text pipeline); run by scripts/bench_tokenizer.sh beside Tenfold's
own measurement. Encodes every paragraph of the embedded corpus with BertWordPiece on the
committed vocab.txt, without [CLS]/[SEP], best of N passes of `encode_batch` and
`encode_batch_fast` with RAYON_NUM_THREADS=1: HF's fastest single-threaded paths (no
per-call Python overhead; the second skips offsets).
"""
import os
import sys
import time

os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_common  # noqa: E402


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    tokenizer = hf_common.hf_tokenizer(os.path.join(hf_common.CORPUS, "vocab.txt"))
    lines = hf_common.all_paragraphs()
    size = sum(len(line.encode()) for line in lines)
    tokens = sum(len(e.ids) for e in tokenizer.encode_batch(lines, add_special_tokens=False))
    # HF's fastest path is reported: encode_batch_fast (no offsets) where this version has it.
    fast = getattr(tokenizer._tokenizer, "encode_batch_fast", None)
    methods = [("encode_batch", lambda: tokenizer.encode_batch(lines, add_special_tokens=False))]
    if fast is not None:
        methods.append(("encode_batch_fast", lambda: fast(lines, add_special_tokens=False)))
    best, best_method = float("inf"), ""
    for name, run in methods:
        for _ in range(repeats):
            start = time.perf_counter()
            run()
            elapsed = time.perf_counter() - start
            if elapsed < best:
                best, best_method = elapsed, name
    print(f"hf encode: {size / best / 1e6:.2f} MB/s ({size} bytes, {len(lines)} lines, "
          f"{tokens} tokens, best of {repeats}, {best_method}, "
          f"RAYON_NUM_THREADS={os.environ['RAYON_NUM_THREADS']})")


if __name__ == "__main__":
    main()
