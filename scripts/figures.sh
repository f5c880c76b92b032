#!/usr/bin/env bash
# Draw the pictures in docs/ from the tour's own commands, on the tutorial's ports
# (10001 to 10004, which must be free), with the programs in build/bin:
#
#   docs/timeline-blocking.png         two clients of slowpoetry --blocking   (tour, step 1)
#   docs/timeline-async.png            the same two of slowpoetry             (tour, step 1)
#   docs/timeline-blocking-client.png  blocking-client, three slow servers    (tour, step 2)
#   docs/timeline-async-client.png     async-client, the same three           (tour, step 2)
#   docs/timeline-broken.png           get-poetry-broken, the same three      (tour, step 4)
#   docs/timeline-defer-block.png      defer-block, the same three            (tour, step 5)
#   docs/timeline-deadline.png         get-poetry-deadline, the same three    (tour, step 6)
#   docs/timeline.png                  client 7.0 against step 7's servers    (tour, step 13)
#   docs/timeline-deferred-list-7.png  deferred-list-7: the first wins, one operation deaf to
#                                      cancellation holds its group            (tour, step 14)
#   docs/timeline-defer-cancel-10.png  defer-cancel-10 and -11: a cancellation ignored, and
#   docs/timeline-defer-cancel-11.png  one heard (the lane cut short)          (tour, step 14)
#   docs/timeline-failures.png         the same, with a port nobody listens on, the transform
#                                      server stopped at 1 s and the slow server killed at 3 s
#
# The two pictures of step 1 share one time axis (--until), and so do step 2's and 4's,
# and step 14's two cancellations.
#
#   scripts/figures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
    "") ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "figures.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

bin=$PWD/build/bin
for program in slowpoetry fastpoetry transformedpoetry get-poetry-7 poetry-timeline blocking-client async-client \
    get-poetry-broken defer-block get-poetry-deadline deferred-list-7 defer-cancel-10 defer-cancel-11; do
    [[ -x $bin/$program ]] || { echo "figures.sh: no $bin/$program: run scripts/build.sh first" >&2; exit 1; }
done
export PATH="$bin:$PATH"

# shellcheck source=lib/start_server.sh
source scripts/lib/start_server.sh
work=$(mktemp -d /tmp/poetry-figures.XXXXXX)
pids=()
trap stop_servers EXIT
start() { # NAME PROGRAM ARGS...: a quiet server, stopped at the end
    start_server "$@"
    eval "pids+=(\"\$pid_$1\")"
}

# The tour's commands run in the top folder, where the poems are `poetry/...`; the
# traces go to $work, and their names are what the pictures' titles show.
cd "$work"
ln -s "$OLDPWD/poetry" poetry
docs="$OLDPWD/docs"

start blocking slowpoetry --port 10003 --blocking --delay 0.1 --num-bytes 60 poetry/harbour-lights.txt
get-poetry-7 --no-xform --trace blocking.csv 10003 10003 >/dev/null
kill "$pid_blocking"
wait "$pid_blocking" || true
poetry-timeline --until 2.4 blocking.csv "$docs/timeline-blocking.png"

start async slowpoetry --port 10003 --delay 0.1 --num-bytes 60 poetry/harbour-lights.txt
get-poetry-7 --no-xform --trace async.csv 10003 10003 >/dev/null
kill "$pid_async"
wait "$pid_async" || true
poetry-timeline --until 2.4 async.csv "$docs/timeline-async.png"

start drip2 slowpoetry --port 10002 --quiet --delay 0.1 --num-bytes 50 poetry/travellers-alphabet.txt
start drip3 slowpoetry --port 10003 --quiet --delay 0.1 --num-bytes 50 poetry/harbour-lights.txt
start drip4 slowpoetry --port 10004 --quiet --delay 0.1 --num-bytes 50 poetry/small-hours.txt
blocking-client --trace blocking-client.csv 10002 10003 10004 >/dev/null
poetry-timeline --until 3.5 blocking-client.csv "$docs/timeline-blocking-client.png"
async-client --trace async-client.csv 10002 10003 10004 >/dev/null
poetry-timeline --until 3.5 async-client.csv "$docs/timeline-async-client.png"
get-poetry-broken --trace broken.csv 10002 10003 10004 >/dev/null
poetry-timeline --until 3.5 broken.csv "$docs/timeline-broken.png"
defer-block --block-at 0.5 --second 0.1 --trace defer-block.csv 10002 10003 10004 >/dev/null
poetry-timeline defer-block.csv "$docs/timeline-defer-block.png"
get-poetry-deadline --deadline 1 --trace deadline.csv 10002 10003 10004 >/dev/null 2>&1 || true
poetry-timeline deadline.csv "$docs/timeline-deadline.png"
kill "$pid_drip2" "$pid_drip3" "$pid_drip4"
wait "$pid_drip2" "$pid_drip3" "$pid_drip4" || true

deferred-list-7 --trace deferred-list-7.csv >/dev/null
poetry-timeline deferred-list-7.csv "$docs/timeline-deferred-list-7.png"
defer-cancel-10 --second 0.5 --trace defer-cancel-10.csv >/dev/null
poetry-timeline --until 2.6 defer-cancel-10.csv "$docs/timeline-defer-cancel-10.png"
defer-cancel-11 --second 0.5 --trace defer-cancel-11.csv >/dev/null
poetry-timeline --until 2.6 defer-cancel-11.csv "$docs/timeline-defer-cancel-11.png"

start xform transformedpoetry --port 10001 --quiet
start fast fastpoetry --port 10002 --quiet poetry/harbour-lights.txt
start slow slowpoetry --port 10003 --quiet --delay 0.1 poetry/travellers-alphabet.txt
get-poetry-7 --trace run.csv 10001 10002 10003 >/dev/null
poetry-timeline run.csv "$docs/timeline.png"

# The failures: the client in the background, the servers stopped as it runs.
get-poetry-7 --trace run.csv 10001 10002 10003 10009 >/dev/null 2>&1 &
client=$!
sleep 1
kill "$pid_xform"
sleep 2
kill -9 "$pid_slow"
wait "$client" || true
poetry-timeline run.csv "$docs/timeline-failures.png"
