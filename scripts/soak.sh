#!/usr/bin/env bash
# A bounded soak on loopback: all three servers under a mixed load of both
# clients, while the slow poetry server is killed and restarted at random; every
# poem checked byte for byte, no descriptor or memory growth, a clean stop.
# The soak itself is the C++ test e2e.soak (tests/e2e/soak_e2e_test.cpp), which
# every ctest run also runs for 5 s, under the sanitizers too.
#
#   scripts/soak.sh [SECONDS] [PRESET]   (default 60 s, the default build)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
preset="${2:-default}"
if [[ ! $seconds =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: scripts/soak.sh [SECONDS] [PRESET]: SECONDS is a whole number from 1, not '$seconds'" >&2
    exit 2
fi
scripts/build.sh "$preset" >/dev/null
# The build's folder is the preset's binaryDir: build, build-sanitize, build-tsan.
build=build
[[ $preset == default ]] || build=build-$preset
POETRY_SOAK_SECONDS="$seconds" "$build/bin/e2e_tests" --run_test=soak_e2e --log_level=message --report_level=short \
    --color_output=false
