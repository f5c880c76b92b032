#!/usr/bin/env bash
# Build the libFuzzer targets with clang and run each for a bounded time,
# starting from the committed seed corpus (fuzz/corpus/<target>/).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"

if ! command -v clang++ >/dev/null; then
    echo "fuzz: clang++ not found; skipping the fuzz runs (POETRY_WITH_FUZZ=1 scripts/bootstrap.sh installs it)"
    exit 0
fi

targets=(netstring_fuzz transform_request_fuzz address_fuzz lower_fuzz)
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target "${targets[@]}" >/dev/null

work=$(mktemp -d /tmp/poetry-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
for target in "${targets[@]}"; do
    corpus="fuzz/corpus/${target%_fuzz}"
    mkdir -p "$work/$target"
    # New inputs go to the scratch folder; the committed corpus is only read.
    if ! build-fuzz/bin/$target -max_total_time="$seconds" -print_final_stats=0 \
        -artifact_prefix="$work/" "$work/$target" "$corpus" >"$work/$target.log" 2>&1; then
        echo "fuzz: $target FAILED" >&2
        tail -n 40 "$work/$target.log" >&2
        ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* 2>/dev/null >&2 || true
        exit 1
    fi
    echo "fuzz: $target ok: $(grep -Eo 'Done [0-9]+ runs' "$work/$target.log" || echo "ran ${seconds}s")"
done
