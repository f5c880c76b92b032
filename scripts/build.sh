#!/usr/bin/env bash
# Configure and build one CMake preset (default: "default", into build/).
#
#   scripts/build.sh [PRESET]
#
# The presets (CMakePresets.json):
#   default    optimised, with debug information, into build/ (the programs land in build/bin)
#   release    fully optimised, no tests, into build-release/ (for scripts/bench.sh)
#   sanitize   AddressSanitizer + UndefinedBehaviorSanitizer, into build-sanitize/
#   tsan       ThreadSanitizer, into build-tsan/
#   fuzz       the libFuzzer targets, with clang, into build-fuzz/
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
-h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
-*) echo "build.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac
preset="${1:-default}"
if ! grep -q "\"$preset\"" <<<"$(cmake --list-presets 2>/dev/null)"; then
    echo "build.sh: no preset '$preset' (try --help)" >&2
    exit 2
fi
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
