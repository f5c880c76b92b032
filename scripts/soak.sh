#!/usr/bin/env bash
# A bounded soak on loopback: all three servers under a mixed load of both
# clients, while the slow poetry server is killed and restarted at random.
# Every poem received is checked byte for byte against its file, and every
# cummingsified poem against the expected text. At the end the long-lived
# servers must hold no more descriptors than at the start, and their memory
# must not have grown beyond a small allowance.
#
#   scripts/soak.sh [SECONDS]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-60}"
bin="${POETRY_BIN:-build/bin}" # a copy of the programs, to soak while rebuilding
if [[ ! -x $bin/get-poetry-7 && -z "${POETRY_BIN:-}" ]]; then
    scripts/build.sh default >/dev/null
fi

work=$(mktemp -d /tmp/poetry-soak.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}" ${slow_pid:-}; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=lib/start_server.sh
source scripts/lib/start_server.sh

# start NAME ARGS...: run a server quietly, set port_NAME and pid_NAME.
start() {
    start_server "$@" --quiet
}

# figures NAME: "open-descriptors rss-kib" of a long-lived server.
figures() {
    local pid
    eval "pid=\$pid_$1"
    echo "$(ls /proc/"$pid"/fd | wc -l) $(awk '/^VmRSS:/ {print $2}' /proc/"$pid"/status)"
}

harbour=poetry/harbour-lights.txt
road=poetry/long-road-home.txt
alphabet=poetry/travellers-alphabet.txt
# These two poems are ASCII: their cummingsified text is plain 'tr'. (The parity test covers Unicode.)
{ tr 'A-Z' 'a-z' <"$harbour"; echo; tr 'A-Z' 'a-z' <"$road"; echo; } | sort >"$work/transformed.sorted"
{ cat "$harbour"; echo; } >"$work/harbour.printed"
alphabet_size=$(stat -c %s "$alphabet")

start xform $bin/transformedpoetry
start fast_a $bin/fastpoetry "$harbour"
start fast_b $bin/fastpoetry "$road"
pids+=("$pid_xform" "$pid_fast_a" "$pid_fast_b")
start slow $bin/slowpoetry --num-bytes 50 --delay 0.02 "$alphabet"
slow_pid=$pid_slow

# Warm up once so that memory allocated on first use is in the baseline.
$bin/get-poetry-7 "$port_xform" "$port_fast_a" "$port_fast_b" >/dev/null
declare -A before
for name in xform fast_a fast_b; do before[$name]=$(figures $name); done

# Rounds run in the background: they record mismatches and completions in files.
record() { echo "$*" >>"$work/mismatches"; }

check_round() {
    local n=$1 client=get-poetry-$((6 + $1 % 2)) out="$work/round-$1"
    # Through the transform server: both fast poems, lower-cased (in either order).
    if $bin/$client --timeout 10 "$port_xform" "$port_fast_a" "$port_fast_b" >"$out.1" 2>"$out.e1"; then
        sort "$out.1" | cmp -s - "$work/transformed.sorted" || record "round $n: $client: transformed poems differ"
    else
        record "round $n: $client failed: $(head -n 1 "$out.e1")"
    fi
    # Straight from a fast server: the file, byte for byte.
    if ! $bin/$client --no-xform --timeout 10 "$port_fast_a" >"$out.2" 2>"$out.e2" ||
        ! cmp -s "$out.2" "$work/harbour.printed"; then
        record "round $n: $client: fast poem differs or failed: $(head -n 1 "$out.e2")"
    fi
    # From the slow server, which may be killed meanwhile: a prefix of the file, or a reported failure.
    local status=0
    $bin/$client --no-xform --timeout 10 "$port_slow" >"$out.3" 2>"$out.e3" || status=$?
    if ((status == 0)); then
        local size=$(($(stat -c %s "$out.3") - 1))
        if ((size > alphabet_size)) || ! cmp -s -n "$size" "$out.3" "$alphabet"; then
            record "round $n: $client: slow poem is not a prefix of the file"
        fi
    elif ((status == 1)); then
        grep -q "The poem download failed" "$out.e3" || record "round $n: $client: failure not reported"
    else
        record "round $n: $client: exit status $status"
    fi
    rm -f "$out".*
    echo "$n" >>"$work/rounds"
}

kills=0 round=0
end=$((SECONDS + duration))
while ((SECONDS < end)); do
    # Four rounds at once: a mixed load on every server.
    round_pids=()
    for _ in 1 2 3 4; do
        round=$((round + 1))
        check_round "$round" &
        round_pids+=($!)
    done
    # One time in three, kill the slow server mid-poem and restart it on the same port.
    if ((RANDOM % 3 == 0)); then
        kill -9 "$slow_pid" 2>/dev/null || true
        wait "$slow_pid" 2>/dev/null || true
        kills=$((kills + 1))
        start slow $bin/slowpoetry --port "$port_slow" --num-bytes 50 --delay 0.02 "$alphabet"
        slow_pid=$pid_slow
    fi
    wait "${round_pids[@]}"
done

# Let the servers finish their lingering closes (bounded), then compare with the baseline.
problems=()
report=""
for name in xform fast_a fast_b; do
    read -r fds_before rss_before <<<"${before[$name]}"
    for _ in $(seq 50); do
        read -r fds_after rss_after <<<"$(figures $name)"
        ((fds_after <= fds_before)) && break
        sleep 0.1
    done
    ((fds_after <= fds_before)) || problems+=("$name holds $fds_after descriptors, $fds_before at the start")
    # Allow 2 MiB for the allocator's caches; a leak per connection grows far beyond it.
    ((rss_after <= rss_before + 2048)) || problems+=("$name grew from $rss_before to $rss_after KiB")
    report+=" $name: fds $fds_before->$fds_after, RSS ${rss_before}->${rss_after} KiB;"
done

rounds=0 mismatches=0
[[ -f $work/rounds ]] && rounds=$(wc -l <"$work/rounds")
[[ -f $work/mismatches ]] && mismatches=$(wc -l <"$work/mismatches")
if ((mismatches > 0)); then
    head -n 20 "$work/mismatches" >&2
    problems+=("$mismatches mismatches")
fi
((rounds > 0)) || problems+=("no round completed")

verdict=PASS
((${#problems[@]} == 0)) || verdict=FAIL
echo "soak: $verdict ${duration}s: $rounds rounds, $((rounds * 4)) poems checked, $kills kills and restarts," \
    "$mismatches mismatches;$report"
for p in "${problems[@]}"; do echo "soak: $p" >&2; done
[[ $verdict == PASS ]]
