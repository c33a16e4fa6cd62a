#!/usr/bin/env bash
# Installs Debian's Chromium for `make book-check`, only when no Chromium is on the PATH
# (or $CHROMIUM names one), through scripts/apt_install.sh like setup.sh.
set -euo pipefail
if [ -n "${CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    exit 0
fi
"$(dirname "$0")/apt_install.sh" book-check chromium
