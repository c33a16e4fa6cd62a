#!/usr/bin/env bash
# make book: runs every chapter in Chapters/ (quick mode unless BOOK_FULL=1), then weaves their
# run records (out/chapterN/record.json) into out/book/ with `tenfold book`.
# A chapter folder whose executable is not (yet) a product in Package.swift is skipped with a note.
set -euo pipefail
SWIFT=${SWIFT:-swift}
# The swift build flags (default a release build), e.g. BOOK_BUILD_FLAGS="-c debug --scratch-path .build-book".
read -r -a build_flags <<< "${BOOK_BUILD_FLAGS:--c release}"

$SWIFT build "${build_flags[@]}"
bin=$($SWIFT build "${build_flags[@]}" --show-bin-path)

mode=(--quick)
if [ "${BOOK_FULL:-0}" = 1 ]; then mode=(); fi

mkdir -p out/book/logs
for folder in Chapters/chapter*/; do
    name=$(basename "$folder")
    [[ $name =~ ^chapter[0-9]+$ ]] || continue
    if [ ! -x "$bin/$name" ]; then
        echo "book: $name has no executable (is it a product in Package.swift?); skipped" >&2
        continue
    fi
    log="out/book/logs/$name.log"
    echo "book: $name ${mode[*]:-} (log: $log)"
    # A stale record must not be woven if the chapter no longer runs.
    rm -f "out/$name/record.json"
    if ! "$bin/$name" ${mode[@]+"${mode[@]}"} --out "out/$name" > "$log" 2>&1; then
        tail -n 20 "$log" >&2
        echo "book: $name failed (full output in $log); its page shows the cell that threw." >&2
        failed=1
    fi
done

"$bin/tenfold" book --records out --out out/book
if [ "${failed:-0}" = 1 ]; then exit 1; fi
