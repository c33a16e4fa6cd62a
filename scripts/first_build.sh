#!/usr/bin/env bash
# The first build of a classroom machine: what `make setup` and a build do, as one script.
# .devcontainer/Dockerfile runs it, so that the image holds the system packages and a finished
# build, and the dev container runs it again when it is created (on the student's copy, which
# SwiftPM builds on its own; Codespaces prebuilds do this before a student opens one).
# `make test-student-edition` runs it on a fresh clone's student edition, which tests it.
#
#   1. system packages, when missing: OpenBLAS, pkg-config, Graphviz (scripts/setup.sh);
#   2. the release build of the chapters and the tool (`make chapterN`, `make book`);
#   3. the debug build of the tool (`make exercise`, `make hint`, `make progress`, `make watch`).
#
# Usage: scripts/first_build.sh [package folder] (default: the repository this script is in).
set -euo pipefail
SWIFT=${SWIFT:-swift}
cd "${1:-$(dirname "$0")/..}"
start=$SECONDS
./scripts/setup.sh
$SWIFT build -c release
$SWIFT build
echo "first build: done in $((SECONDS - start)) s; \`make chapter1\` and \`make exercise N=1.1\` start without building"
