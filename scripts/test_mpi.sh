#!/usr/bin/env bash
# make test-mpi: data-parallel training over Open MPI on this machine, with 2 ranks.
#  1. equivalence: `mpirun -np 2 tenfold train --batch-size 16` against one process with
#     --batch-size 32, 20 updates, dropout 0: the same losses and gradient norms per update
#     within a relative 1e-4 (the sums run in another order, so not bit-exact);
#  2. resume: 2 ranks stopped after update 10 and resumed with --resume repeat the
#     uninterrupted 2-rank run bit for bit;
#  3. the same from a prepared corpus (tenfold prepare of the embedded corpus's text);
#  4. disagreement: ranks started with different seeds stop with one sentence, non-zero
#     status, and write no checkpoint.
# Expects .build/release/tenfold built with the MPI trait (make build-mpi does it).
set -uo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/.build/release/tenfold"
work=$(mktemp -d "${TMPDIR:-/tmp}/tenfold-mpi.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=()
[ "$(id -u)" -eq 0 ] && root=(--allow-run-as-root)
# One thread per rank on 2 cores; --oversubscribe where the machine has fewer slots.
mpi=(mpirun "${root[@]}" --oversubscribe --bind-to none -x TENFOLD_THREADS=1 -np 2)
common=(--preset tiny --steps 20 --dropout 0 --validate-every 10 --checkpoint-every 10 --seed 3)
passed=0; failed=0
check() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi; }

echo "test-mpi: 1 process, batch 32"
TENFOLD_THREADS=2 "$bin" train "${common[@]}" --batch-size 32 --out "$work/one" > "$work/one.log" 2>&1 || cat "$work/one.log"
echo "test-mpi: 2 ranks, batch 16 each"
"${mpi[@]}" "$bin" train "${common[@]}" --batch-size 16 --out "$work/two" > "$work/two.log" 2>&1 || cat "$work/two.log"
check python3 scripts/compare_metrics.py "$work/one/metrics.jsonl" "$work/two/metrics.jsonl" --tolerance 1e-4 --name "2 ranks × 16 = 1 × 32"

echo "test-mpi: 2 ranks stopped after update 10, then resumed"
"${mpi[@]}" "$bin" train "${common[@]}" --batch-size 16 --out "$work/resumed" --stop-after 10 > "$work/stop.log" 2>&1 || cat "$work/stop.log"
"${mpi[@]}" "$bin" train --out "$work/resumed" --resume > "$work/resume.log" 2>&1 || cat "$work/resume.log"
check python3 scripts/compare_metrics.py "$work/two/metrics.jsonl" "$work/resumed/metrics.jsonl" --exact --name "2 ranks resumed"

echo "test-mpi: from prepared shards, 1 process against 2 ranks"
mkdir -p "$work/text"
cp Sources/Text/Resources/corpus/*.txt "$work/text/" && rm -f "$work/text/vocab.txt"
"$bin" prepare --corpus "$work/text" --vocab Sources/Text/Resources/corpus/vocab.txt --out "$work/data" > "$work/prepare.log" 2>&1 || cat "$work/prepare.log"
TENFOLD_THREADS=2 "$bin" train "${common[@]}" --data "$work/data" --batch-size 32 --out "$work/one-data" > "$work/one-data.log" 2>&1 || cat "$work/one-data.log"
"${mpi[@]}" "$bin" train "${common[@]}" --data "$work/data" --batch-size 16 --out "$work/two-data" > "$work/two-data.log" 2>&1 || cat "$work/two-data.log"
check python3 scripts/compare_metrics.py "$work/one-data/metrics.jsonl" "$work/two-data/metrics.jsonl" --tolerance 1e-4 --name "shards: 2 ranks × 16 = 1 × 32"

echo "test-mpi: ranks that disagree"
mpirun "${root[@]}" --oversubscribe --bind-to none -x TENFOLD_THREADS=1 \
    -np 1 "$bin" train "${common[@]}" --batch-size 16 --out "$work/disagree" : \
    -np 1 "$bin" train "${common[@]}" --batch-size 16 --seed 4 --out "$work/disagree" > "$work/disagree.log" 2>&1
status=$?
disagree() {
    [ "$status" -ne 0 ] && grep -q "ranks disagree" "$work/disagree.log" && [ ! -e "$work/disagree/checkpoint.safetensors" ] \
        && echo "ranks that disagree: passed ($(grep -m1 -o 'the 2 ranks disagree[^.]*' "$work/disagree.log"))" \
        || { echo "ranks that disagree: failed (status $status)"; cat "$work/disagree.log"; false; }
}
check disagree

echo "test-mpi: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
