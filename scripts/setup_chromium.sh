#!/usr/bin/env bash
# Installs Debian's Chromium for `make book-check`, only when no Chromium is on the PATH
# (or $CHROMIUM names one). apt-get through sudo when not root, like setup.sh.
set -euo pipefail
if [ -n "${CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "book-check: install Chromium (or Chrome) and set CHROMIUM=/path/to/it, then run make book-check again." >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
        echo "book-check: need root (or sudo) to run apt-get install chromium" >&2
        exit 1
    fi
fi
echo "book-check: installing chromium (large; once)"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium
