#!/usr/bin/env bash
# Installs what Tenfold needs from the system, only when it is missing:
# OpenBLAS (headers, library, pkg-config file), pkg-config itself, and Graphviz's `dot`.
# Debian/Ubuntu: apt-get (through sudo when not root). macOS: Homebrew.
set -euo pipefail

missing=()
have_openblas() { pkg-config --exists openblas 2>/dev/null; }
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
have_openblas || missing+=(openblas)
command -v dot >/dev/null 2>&1 || missing+=(graphviz)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

case "$(uname -s)" in
Linux)
    packages=()
    for m in "${missing[@]}"; do
        case "$m" in
        openblas) packages+=(libopenblas-dev) ;;
        *) packages+=("$m") ;;
        esac
    done
    "$(dirname "$0")/apt_install.sh" setup "${packages[@]}"
    ;;
Darwin)
    if ! command -v brew >/dev/null 2>&1; then
        echo "setup: Homebrew is needed on macOS (https://brew.sh), then: brew install openblas pkg-config graphviz" >&2
        exit 1
    fi
    brew install openblas pkg-config graphviz
    echo "setup: Homebrew's OpenBLAS is keg-only; export PKG_CONFIG_PATH=\"$(brew --prefix openblas)/lib/pkgconfig\" before building." >&2
    ;;
*)
    echo "setup: unsupported system $(uname -s); install OpenBLAS, pkg-config and Graphviz by hand." >&2
    exit 1
    ;;
esac

have_openblas || { echo "setup: OpenBLAS is still not visible to pkg-config (pkg-config --exists openblas)." >&2; exit 1; }
