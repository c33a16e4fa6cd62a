#!/usr/bin/env bash
# Fuzzes what Tenfold reads from files, with libFuzzer and AddressSanitizer (the Swift
# toolchain's -sanitize=fuzzer,address): the safetensors reader, the checkpoint loader, the
# vocab.txt reader and the tokenizer (harnesses in Tests/Fuzz, seeds in Tests/Fuzz/Corpora).
#
# Usage: scripts/fuzz.sh [TARGET...]        targets: safetensors checkpoint vocabulary tokenizer
#   FUZZ_SECONDS=600 scripts/fuzz.sh        seconds per target (default 60)
#
# Builds into .build-fuzz (its own scratch path: instrumented code must not mix with the
# ordinary build). Inputs a target discovers go to .build-fuzz/corpus/TARGET, never into the
# committed seeds; a crash leaves its input in .build-fuzz/artifacts/TARGET/ and fails the
# script. To keep a crashing input as a regression test, copy it into Tests/Fuzz/Corpora/TARGET
# (FuzzCorpusTests replays every file there in `make test`).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
scratch=.build-fuzz
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(safetensors checkpoint vocabulary tokenizer)

product() {
    case "$1" in
    safetensors) echo FuzzSafetensors ;; checkpoint) echo FuzzCheckpoint ;;
    vocabulary) echo FuzzVocabulary ;; tokenizer) echo FuzzTokenizer ;;
    *) echo "fuzz: unknown target '$1' (safetensors, checkpoint, vocabulary, tokenizer)" >&2; exit 2 ;;
    esac
}

# lld: SwiftPM names the entry point with --defsym main=…, which gold cannot reconcile with
# libFuzzer's runtime (it fails with an internal error).
for target in "${targets[@]}"; do
    swift build -c release --scratch-path "$scratch" --product "$(product "$target")" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld
done
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path -Xswiftc -sanitize=fuzzer,address \
    -Xswiftc -DFUZZING -Xswiftc -use-ld=lld)"

summary=()
status=0
for target in "${targets[@]}"; do
    corpus="$scratch/corpus/$target"
    artifacts="$scratch/artifacts/$target/"
    log="$scratch/logs/$target.log"
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    echo "fuzz: $target for ${seconds}s (log $log)"
    # rss_limit: a harness that grows past 4 GB on a small input is a bug, as is a leak.
    if ! "$bin/$(product "$target")" "$corpus" "Tests/Fuzz/Corpora/$target" \
        -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=30 \
        -artifact_prefix="$artifacts" -print_final_stats=1 >"$log" 2>&1; then
        status=1
        echo "fuzz: $target FAILED; the input is in $artifacts, the report at the end of $log:" >&2
        tail -40 "$log" >&2
    fi
    runs=$(grep -ho 'stat::number_of_executed_units:[[:space:]]*[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
    rate=$(grep -ho 'stat::average_exec_per_sec:[[:space:]]*[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
    files=$(find "$corpus" -type f | wc -l)
    bytes=$(du -sb "$corpus" | cut -f1)
    summary+=("$target: ${seconds}s, $runs runs, $rate exec/s, corpus $files files ($bytes bytes) + $(ls "Tests/Fuzz/Corpora/$target" | wc -l) seeds")
done
printf 'fuzz: %s\n' "${summary[@]}"
exit "$status"
