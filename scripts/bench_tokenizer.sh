#!/usr/bin/env bash
# Tokenizer benchmark: Tenfold's WordPiece encoder beside Hugging Face `tokenizers`, both
# single-threaded, on the embedded corpus, in one run on the same machine; then the ratio.
# Also times training the default 8 192-token vocabulary (release build).
# Introduced in Chapter 1 (Text pipeline).
#
# Needs a Python with `tokenizers` (PYTHON, default /tmp/textvenv/bin/python):
#   python3 -m venv /tmp/textvenv && /tmp/textvenv/bin/pip install tokenizers
# Usage: scripts/bench_tokenizer.sh [repeats]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-/tmp/textvenv/bin/python}"
REPEATS="${1:-5}"
SCRATCH="${SCRATCH:-.build-text-release}"

swift build -c release --scratch-path "$SCRATCH" --product tenfold >/dev/null
TENFOLD_OUT="$("$SCRATCH/release/tenfold" tokenize --bench --repeats "$REPEATS")"
HF_OUT="$(RAYON_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false "$PYTHON" scripts/hf_tokenizer_bench.py "$REPEATS")"
echo "$TENFOLD_OUT"
echo "$HF_OUT"
tenfold_rate="$(echo "$TENFOLD_OUT" | sed -n 's/^tenfold encode: \([0-9.]*\) MB\/s.*/\1/p')"
hf_rate="$(echo "$HF_OUT" | sed -n 's/^hf encode: \([0-9.]*\) MB\/s.*/\1/p')"
awk -v t="$tenfold_rate" -v h="$hf_rate" 'BEGIN { printf "ratio tenfold/hf: %.2fx (target >= 0.5x)\n", t / h }'
