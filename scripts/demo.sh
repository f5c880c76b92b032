#!/usr/bin/env bash
# The tutorial's demonstration in one command: a transform server, a slow and a
# fast poetry server on free ports, and client 7.0 fetching from both.
#
#   scripts/demo.sh          the happy path
#   scripts/demo.sh --kill   kill the slow server mid-poem and the transform
#                            server, and watch the client cope
set -euo pipefail
cd "$(dirname "$0")/.."

mode=happy
case "${1:-}" in
    "") ;;
    --kill) mode=kill ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

scripts/bootstrap.sh build
bin=build/bin
demo_programs=(transformedpoetry fastpoetry slowpoetry get-poetry-7)
for program in "${demo_programs[@]}"; do
    if [[ ! -x $bin/$program ]]; then
        # Only the programs the demo runs: the tests and the rest build with scripts/build.sh.
        echo "demo: building ${demo_programs[*]} (first run only)..."
        cmake --preset default >/dev/null
        cmake --build --preset default -j "$(nproc)" --target "${demo_programs[@]}" >/dev/null
        break
    fi
done

work=$(mktemp -d /tmp/poetry-demo.XXXXXX)
pids=()
stop_servers() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap stop_servers EXIT
trap 'exit 130' INT TERM

# shellcheck source=lib/start_server.sh
source scripts/lib/start_server.sh

# start NAME PROGRAM ARGS...: run a server quietly on a free port, stopped when the demo ends.
start() {
    start_server "$@" --quiet
    eval "pids+=(\"\$pid_$1\")"
    echo "  $started_line"
}

echo "Starting servers on free ports:"
start xform $bin/transformedpoetry
start fast $bin/fastpoetry poetry/harbour-lights.txt
if [[ $mode == kill ]]; then
    start slow $bin/slowpoetry --num-bytes 20 --delay 0.4 poetry/travellers-alphabet.txt
else
    start slow $bin/slowpoetry --num-bytes 40 --delay 0.1 poetry/travellers-alphabet.txt
fi

command=("$bin/get-poetry-7" "$port_xform" "$port_fast" "$port_slow")
if [[ $mode == happy ]]; then
    echo
    echo "\$ get-poetry-7 $port_xform $port_fast $port_slow"
    echo
    status=0
    "${command[@]}" || status=$?
    echo "(get-poetry-7 exited with status $status)"
    echo
    echo "To see how the downloads interleave: build/bin/get-poetry-7 --trace run.csv PORTS..."
    echo "then build/bin/poetry-timeline run.csv draws run.png."
    exit 0
fi

echo
echo "\$ get-poetry-7 --verbose $port_xform $port_fast $port_slow"
echo "  (the slow server and the transform server are killed once the slow poem has begun)"
echo
"$bin/get-poetry-7" --verbose "$port_xform" "$port_fast" "$port_slow" 2>"$work/client.err" &
client=$!
# Wait (at most 10 s) for the slow poem's first bytes, then kill the two servers.
for _ in $(seq 100); do
    grep -q "Task 2: got" "$work/client.err" 2>/dev/null && break
    sleep 0.1
done
# Out of the job table first, so that bash does not report their deaths ("Killed ...").
disown "$pid_slow" "$pid_xform"
kill -9 "$pid_slow" "$pid_xform"
status=0
wait "$client" || status=$?
echo
echo "What the client said on stderr:"
grep -v ": got " "$work/client.err" | sed 's/^/  /'
echo "(get-poetry-7 exited with status $status: the cut-off poem is what arrived; the transform fell back)"
