#!/usr/bin/env bash
# Install what is missing, build, and run every test. Exits non-zero on any
# failure, or when no test ran.
#
#   scripts/test.sh    the code's layout (.clang-format), the default build's tests (unit, integration, e2e and
#                      interop with Twisted), the guided tour walked command by
#                      command from the source tree, the Debian package built,
#                      checked by lintian, installed and extracted (the tour
#                      walked from it too, not as root), the same tests under
#                      AddressSanitizer + UndefinedBehaviorSanitizer and under
#                      ThreadSanitizer, a short soak of every server under
#                      faults, and a bounded fuzz run of each fuzz target (when
#                      clang is present)
#
# POETRY_SANITIZE=0 skips the sanitizer builds; POETRY_FUZZ_SECONDS=0 skips
# fuzzing; POETRY_SOAK_SECONDS=0 skips the soak.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh test

echo "== layout"
scripts/format.sh --check

echo "== default build"
scripts/build.sh default
ctest --preset default -j "$(nproc)"

# The guided tour, every command in order, on the tutorial's own ports: alone, after the tests.
echo "== the tour, from the source tree"
tests/tour/walk-tour.sh source build

# The .deb from the same build: lintian, then installed and extracted, every program run.
echo "== package"
deb=$(scripts/package.sh default | tail -n 1)
tests/package/check-package.sh build "$deb"

if [[ "${POETRY_SANITIZE:-1}" != 0 ]]; then
    echo "== address + undefined behaviour sanitizers"
    scripts/build.sh sanitize
    ctest --preset sanitize -j "$(nproc)"

    # The in-process tests run servers on a second thread: data races show here.
    echo "== thread sanitizer"
    scripts/build.sh tsan
    ctest --preset tsan -j "$(nproc)"
fi

soak_seconds="${POETRY_SOAK_SECONDS:-20}"
if [[ "$soak_seconds" != 0 ]]; then
    echo "== soak, ${soak_seconds}s"
    scripts/soak.sh "$soak_seconds"
fi

fuzz_seconds="${POETRY_FUZZ_SECONDS:-15}"
if [[ "$fuzz_seconds" != 0 ]]; then
    echo "== fuzzing, ${fuzz_seconds}s per target"
    scripts/fuzz.sh "$fuzz_seconds"
fi
