#!/usr/bin/env bash
# The measurements of README's "Full-scale training" (issue 23), in one run:
#  1. tenfold train --data against tenfold bench at mini (the same shapes: B=32, T=128,
#     V=8192), alternating, ROUNDS rounds: median update time of each;
#  2. 1 rank × 2 threads against 2 ranks × 1 thread (mpirun) at mini (B=32) and base (B=8):
#     median update time, tokens/s over all ranks, the allreduce time per update.
# Usage: scripts/measure_scaling.sh MINI_DATA BASE_DATA [ROUNDS]
#   MINI_DATA: tenfold prepare output with the embedded 8 192-token vocabulary;
#   BASE_DATA: the same with a 30 522-token vocabulary (tenfold vocab --size 30522).
# Needs a build from make build-mpi. The machine is shared: compare ratios within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
mini_data=$1; base_data=$2; rounds=${3:-2}
bin="$PWD/.build/release/tenfold"
work=$(mktemp -d "${TMPDIR:-/tmp}/tenfold-scaling.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=()
[ "$(id -u)" -eq 0 ] && root=(--allow-run-as-root)
# --steps 1000 with --stop-after: the timed updates are not followed by a final validation.
train() { "$bin" train --steps 1000 --validate-every 1000 --checkpoint-every 1000 --dropout 0.1 "$@" --out "$work/run-$RANDOM" | grep -o 'Timing.*'; }

for round in $(seq 1 "$rounds"); do
    echo "round $round: bench --preset mini"
    TENFOLD_THREADS=2 "$bin" bench --preset mini --steps 10 --warmup 3 | grep 'step time'
    echo "round $round: train --data, mini, B=32"
    TENFOLD_THREADS=2 train --data "$mini_data" --preset mini --batch-size 32 --stop-after 13
done
for preset in mini base; do
    case $preset in mini) data=$mini_data; batch=32; stop=13 ;; base) data=$base_data; batch=8; stop=5 ;; esac
    echo "$preset: 1 rank × 2 threads, B=$batch"
    TENFOLD_THREADS=2 train --data "$data" --preset "$preset" --batch-size "$batch" --stop-after "$stop"
    echo "$preset: 2 ranks × 1 thread, B=$((batch / 2)) each"
    mpirun "${root[@]}" --oversubscribe --bind-to none -x TENFOLD_THREADS=1 -np 2 \
        "$bin" train --steps 1000 --validate-every 1000 --checkpoint-every 1000 --dropout 0.1 --data "$data" \
        --preset "$preset" --batch-size $((batch / 2)) --stop-after "$stop" --out "$work/mpi-$preset" | grep -o 'Timing.*'
done
echo "allreduce bandwidth between 2 ranks, base's gradient:"
mpirun "${root[@]}" --oversubscribe --bind-to none -np 2 "$bin" plan --preset base --ranks 16 --measure
