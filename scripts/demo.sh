#!/usr/bin/env bash
# The tutorial's demonstration in one command: a transform server, a slow and a
# fast poetry server on free ports, and client 7.0 fetching from both.
#
#   scripts/demo.sh          the happy path
#   scripts/demo.sh --kill   stop the slow server mid-poem and the transform
#                            server, with kill -9 and then with kill, and watch
#                            the client cope with each
set -euo pipefail
cd "$(dirname "$0")/.."

mode=happy
case "${1:-}" in
    "") ;;
    --kill) mode=kill ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

# shellcheck source=lib/start_server.sh
source scripts/lib/start_server.sh
work=$(mktemp -d /tmp/poetry-demo.XXXXXX)
pids=()
trap stop_servers EXIT
trap 'exit 130' INT TERM

# start NAME PROGRAM ARGS...: run a server quietly on a free port, stopped when the demo ends.
start() {
    start_server "$@" --quiet
    eval "pids+=(\"\$pid_$1\")"
    echo "  $started_line"
}

echo "Starting servers on free ports:"
start xform $bin/transformedpoetry
start fast $bin/fastpoetry poetry/harbour-lights.txt
if [[ $mode == happy ]]; then
    start slow $bin/slowpoetry --num-bytes 40 --delay 0.1 poetry/travellers-alphabet.txt
else
    start slow $bin/slowpoetry --num-bytes 20 --delay 0.4 poetry/travellers-alphabet.txt
fi

if [[ $mode == happy ]]; then
    echo
    echo "\$ get-poetry-7 $port_xform $port_fast $port_slow"
    echo
    status=0
    "$bin/get-poetry-7" "$port_xform" "$port_fast" "$port_slow" || status=$?
    echo "(get-poetry-7 exited with status $status)"
    echo
    echo "To see how the downloads interleave, walk docs/tour.md: step 8 draws a run."
    exit 0
fi

# cut_off SIGNAL: client 7.0 against the three servers; once the slow poem has begun,
# the transform server is stopped with SIGNAL (and gone before the slow poem ends), then
# the slow server. The client's output is shown marked, stdout apart from stderr.
cut_off() {
    local signal=$1 status=0 client
    echo
    echo "\$ get-poetry-7 --verbose $port_xform $port_fast $port_slow"
    echo "  (once the slow poem has begun: kill -s $signal the transform server, then the slow server)"
    "$bin/get-poetry-7" --verbose "$port_xform" "$port_fast" "$port_slow" >"$work/client.out" 2>"$work/client.err" &
    client=$!
    for _ in $(seq 100); do
        grep -q "Task 2: got" "$work/client.err" 2>/dev/null && break
        sleep 0.1
    done
    # Out of the job table first, so that bash does not report their deaths ("Killed ...").
    disown "$pid_slow" "$pid_xform"
    kill -s "$signal" "$pid_xform"
    wait_until_refused "$port_xform"
    kill -s "$signal" "$pid_slow"
    wait "$client" || status=$?
    echo
    echo "What the client printed on stdout, the poems as they were done:"
    sed 's/^/  | /' "$work/client.out"
    echo "What the client said on stderr:"
    grep -v ": got " "$work/client.err" | sed 's/^/  /'
    echo "(get-poetry-7 exited with status $status)"
}

echo
echo "1. kill -9: the servers die at once, and the kernel closes their connections normally."
cut_off KILL
echo "The client cannot tell the cut-off poem from a whole one (the protocol has no end"
echo "marker): it printed what had arrived, and as the transform server was gone, as it came."

echo
echo "2. kill: the servers stop on purpose, and the slow one resets the poem it had not finished."
echo "New servers for it:"
start xform $bin/transformedpoetry
start slow $bin/slowpoetry --num-bytes 20 --delay 0.4 poetry/travellers-alphabet.txt
cut_off TERM
echo "The reset tells the client the poem was cut off: the download failed, nothing of the slow"
echo "poem was printed, and the exit status says so. Only a server that is still alive can say"
echo "\"unfinished\"; one killed with -9 cannot."
