#!/usr/bin/env bash
# The tests that run Tenfold's own threads — every kernel split over the cores (Parallel,
# DispatchQueue.concurrentPerform), the attention core, AdamW, a training run, the prepared
# corpus (tokenized on all cores, the next batch prefetched on a queue) — under
# ThreadSanitizer (data races) and AddressSanitizer (out-of-bounds and use-after-free in the
# unsafe-pointer kernels). Each sanitizer builds in its own folder (.build-thread,
# .build-address); any report fails the run.
#
# Usage: scripts/test_sanitize.sh            both
#        SANITIZERS=thread scripts/test_sanitize.sh
set -euo pipefail
cd "$(dirname "$0")/.."
filter="${SANITIZE_FILTER:-TensorsTests|AutogradTests|FusedAttentionTests|PretrainingRunTests|TrainingFailureTests|FullScaleTrainingTests|ShardTests}"
# Parallel.threads is the machine's core count: force several threads even on a small machine.
export TENFOLD_THREADS="${TENFOLD_THREADS:-4}"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
# Leaks: the test runner's and Foundation's own are not Tenfold's.
export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1"
for sanitizer in ${SANITIZERS:-thread address}; do
    scratch=".build-$sanitizer"
    echo "test-sanitize: $sanitizer ($scratch), tests matching $filter"
    swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch"
    swift test --skip-build --sanitize="$sanitizer" --scratch-path "$scratch" --filter "$filter"
done
