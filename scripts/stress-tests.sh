#!/usr/bin/env bash
# Run the sanitizer test suites again and again on a busy machine, to tell a
# fixed test from one that only passed by luck. CI's machine may be loaded:
# a test that starves a server, races a timer or counts events must pass here
# before it is called fixed.
#
#   scripts/stress-tests.sh [RUNS] [CTEST ARGS...]
#
# RUNS (default 5) rounds of `ctest --preset sanitize` and `ctest --preset tsan`,
# each while two busy loops keep the cores occupied. Extra arguments go to
# ctest, e.g. `scripts/stress-tests.sh 10 -R e2e`. POETRY_STRESS_PRESETS picks
# the presets (default "sanitize tsan"). Prints one line per run and a
# summary; exits 1 if any run failed. Failed runs' output is kept in
# build-stress-logs/.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-5}"
if [[ $# -gt 0 ]]; then shift; fi
if ! [[ $runs =~ ^[1-9][0-9]{0,3}$ ]]; then
    echo "stress-tests.sh: invalid RUNS '$runs': give a whole number from 1 to 9999" >&2
    echo "usage: scripts/stress-tests.sh [RUNS] [CTEST ARGS...]" >&2
    exit 2
fi
read -r -a presets <<<"${POETRY_STRESS_PRESETS:-sanitize tsan}"

scripts/bootstrap.sh >/dev/null
for preset in "${presets[@]}"; do
    scripts/build.sh "$preset" >/dev/null
done

busy=()
stop_busy() {
    for pid in "${busy[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop_busy EXIT
trap 'exit 130' INT TERM
# Two busy loops: on CI's two cores the tests get what is left over.
for _ in 1 2; do
    yes >/dev/null &
    busy+=($!)
done

logs=build-stress-logs
mkdir -p "$logs"
passed=0
failed=0
for ((run = 1; run <= runs; run++)); do
    for preset in "${presets[@]}"; do
        log="$logs/$preset-run$run.log"
        start=$SECONDS
        if ctest --preset "$preset" -j "$(nproc)" "$@" >"$log" 2>&1; then
            passed=$((passed + 1))
            echo "run $run/$runs, $preset: passed in $((SECONDS - start)) s"
            rm -f "$log"
        else
            failed=$((failed + 1))
            echo "run $run/$runs, $preset: FAILED in $((SECONDS - start)) s; output in $log"
            grep -E "Failed|\*\*\*|error:" "$log" | head -n 20 | sed 's/^/    /'
        fi
    done
done
echo "stress-tests: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
