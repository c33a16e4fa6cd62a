#!/usr/bin/env bash
# Installs Debian/Ubuntu packages with apt-get, through sudo when not root.
# Usage: scripts/apt_install.sh WHO PACKAGE...   (WHO prefixes the messages, e.g. "setup")
# Shared by setup.sh and setup_chromium.sh so there is one place that knows how.
set -euo pipefail
who="$1"; shift
if ! command -v apt-get >/dev/null 2>&1; then
    echo "$who: no apt-get here. Install $* with your package manager, then run make again." >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
        echo "$who: need root (or sudo) to run apt-get install $*" >&2
        exit 1
    fi
fi
echo "$who: installing $*"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
