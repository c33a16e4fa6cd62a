#!/usr/bin/env bash
# make book: runs every chapter in Chapters/ as its default (full) run — or in quick mode with
# BOOK_QUICK=1 — then weaves their run records (out/chapterN/record.json) and the method notes
# (Docs/Methods/*.md) into out/book/ with `tenfold book`.
# Full runs take minutes (on 2 cores, quiet: chapters 1 and 2 about 35 s each, 3, 4 and 5 about 2 min each, 6 about 4 min).
# A chapter folder whose executable is not (yet) a product in Package.swift is skipped with a note.
set -euo pipefail
SWIFT=${SWIFT:-swift}
# The swift build flags (default a release build), e.g. BOOK_BUILD_FLAGS="-c debug --scratch-path .build-book".
read -r -a build_flags <<< "${BOOK_BUILD_FLAGS:--c release}"

$SWIFT build "${build_flags[@]}"
bin=$($SWIFT build "${build_flags[@]}" --show-bin-path)

if [ "${BOOK_QUICK:-0}" = 1 ]; then
    mode=(--quick)
    echo "book: quick runs (BOOK_QUICK=1): a tiny model and a few updates; the numbers show the mechanics only"
else
    mode=()
    echo "book: full runs (each chapter's default; minutes per chapter). BOOK_QUICK=1 for quick runs."
fi
if [ -n "${BOOK_FULL:-}" ]; then
    echo "book: BOOK_FULL is no longer read: full runs are the default, BOOK_QUICK=1 asks for quick ones" >&2
fi

mkdir -p out/book/logs
start=$SECONDS
for folder in Chapters/chapter*/; do
    name=$(basename "$folder")
    [[ $name =~ ^chapter[0-9]+$ ]] || continue
    if [ ! -x "$bin/$name" ]; then
        echo "book: $name has no executable (is it a product in Package.swift?); skipped" >&2
        continue
    fi
    log="out/book/logs/$name.log"
    echo "book: $name ${mode[*]:-(full run)} … (log: $log)"
    # A stale record must not be woven if the chapter no longer runs.
    rm -f "out/$name/record.json"
    began=$SECONDS
    if "$bin/$name" ${mode[@]+"${mode[@]}"} --out "out/$name" > "$log" 2>&1; then
        echo "book: $name done in $((SECONDS - began)) s"
    else
        tail -n 20 "$log" >&2
        echo "book: $name failed after $((SECONDS - began)) s (full output in $log); its page shows the cell that threw." >&2
        failed=1
    fi
done
echo "book: chapters ran in $((SECONDS - start)) s"

"$bin/tenfold" book --records out --out out/book
if [ "${failed:-0}" = 1 ]; then exit 1; fi
