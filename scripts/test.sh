#!/usr/bin/env bash
# Install what is missing, build, and run every test. Exits non-zero on any
# failure, or when no test ran.
#
#   scripts/test.sh              the default build's tests
#   POETRY_SANITIZE=0 scripts/test.sh   skip the sanitizer build
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
scripts/build.sh default
ctest --preset default -j "$(nproc)"
