#!/usr/bin/env bash
# Walk the guided tour (docs/tour.md) as a learner would: every command it gives, in
# order, with the servers on the tutorial's ports (10001 to 10004), checking what the
# tour says each shows. From a source tree, or from an extracted package as a user who
# may not be root:
#
#   tests/tour/walk-tour.sh source BUILD_DIR
#   tests/tour/walk-tour.sh package ROOT        # ROOT: the .deb extracted (dpkg-deb -x)
#
# It works in a folder of its own (made and removed here) with the poems linked in as
# `poetry`, as the tour tells a learner to. Every command of the tour must be written
# below exactly as the tour gives it, so that the two cannot drift apart. Prints one line
# per step and "N passed, N failed"; exits 1 if any failed, 2 for a wrong command line.
set -uo pipefail
source_tree=$(cd "$(dirname "$0")/../.." && pwd)
walker="$source_tree/tests/tour/$(basename "$0")"
tour="$source_tree/docs/tour.md"

usage() {
    sed -n '2,13s/^# \{0,1\}//p' "$0" >&2
    exit 2
}
[[ $# -eq 2 ]] || usage
mode=$1
case "$mode" in
    source)
        bin=$(cd "$2" && pwd)/bin
        export PATH="$bin:$PATH"
        poems="$source_tree/poetry"
        ;;
    package)
        root=$(cd "$2" && pwd)
        export PATH="$root/usr/bin:$root/usr/lib/poetry-suite/examples:$PATH"
        poems="$root/usr/share/poetry-suite/poetry"
        tour="$root/usr/share/doc/poetry-suite/tour.md" # the tour as installed
        ;;
    *) usage ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/poetry-tour.XXXXXX")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/tour" && cd "$work/tour" || exit 1
ln -sfn "$poems" poetry # the tour's "ln -sfn /usr/share/poetry-suite/poetry poetry"

# shellcheck source=../../scripts/lib/checks.sh
source "$source_tree/scripts/lib/checks.sh"

# serve NAME COMMAND: a server, as a learner starts it (in a terminal of its own, or in the
# background: a trailing " &"); waits at most 10 s for its start-up line. Its log goes to
# $work/NAME.log.
serve() {
    local name=$1 command=${2% &} line fd
    rm -f "$work/$name.fifo"
    mkfifo "$work/$name.fifo"
    bash -c "exec $command" >"$work/$name.fifo" 2>"$work/$name.log" &
    printf -v "pid_$name" '%s' "$!"
    pids+=("$!")
    exec {fd}<"$work/$name.fifo"
    if ! read -r -t 10 -u "$fd" line; then
        echo "$name did not start: $command"
        cat "$work/$name.log"
        return 1
    fi
    exec {fd}<&-
}

# stop NAME [SIGNAL]: Ctrl-C (SIGINT) by default; waits at most 10 s for the end.
stop() {
    local pid_var="pid_$1"
    local pid=${!pid_var}
    kill -s "${2:-INT}" "$pid" 2>/dev/null
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        if [[ $(ps -o stat= -p "$pid") == Z* ]]; then # dead, and ours to reap
            wait "$pid" 2>/dev/null
            return 0
        fi
        sleep 0.1
    done
    echo "$1 did not stop"
    return 1
}

# wait_until_refused PORT
# shellcheck source=../../scripts/lib/start_server.sh
source "$source_tree/scripts/lib/start_server.sh"

# client COMMAND: run a client of the tour (at most 60 s); its output in $work/out and
# $work/err, its status in $status.
client() {
    status=0
    timeout 60 bash -c "$1" >"$work/out" 2>"$work/err" || status=$?
}

expect_status() {
    [[ $status -eq $1 ]] || { echo "exit status $status, not $1"; cat "$work/err"; return 1; }
}
expect_in() { # FILE TEXT
    grep -qF -- "$2" "$1" || { echo "no '$2' in $(basename "$1"):"; head -c 2000 "$1"; return 1; }
}
# A cummingsified poem has no capital letter.
expect_cummingsified() {
    [[ -s $work/out ]] || { echo "nothing printed"; return 1; }
    ! grep -q '[A-Z]' "$work/out" || { echo "a capital letter in what was printed:"; head "$work/out"; return 1; }
}
expect_png() {
    [[ $(head -c 4 "$1" 2>/dev/null | tail -c 3) == PNG ]] || { echo "no picture in $1"; return 1; }
}
# The seconds of TASK's first and last bytes, and of its end, in TRACE.
first_bytes() { awk -F, -v t="$2" '$2 == t && $4 == "bytes" { print $1; exit }' "$1"; }
last_bytes() { awk -F, -v t="$2" '$2 == t && $4 == "bytes" { last = $1 } END { print last }' "$1"; }
done_at() { awk -F, -v t="$2" '$2 == t && $4 == "done" { print $1; exit }' "$1"; }
connected_at() { awk -F, -v t="$2" '$2 == t && $4 == "connect" { print $1; exit }' "$1"; }
before() { # A B WHAT: A < B, or say so
    awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && b != "" && a < b) }' || { echo "not $1 < $2: $3"; return 1; }
}
# Whether TRACE's chunks come one task at a time: no task's chunks resume after another's.
chunks_one_task_at_a_time() {
    awk -F, '$4 == "bytes" && $2 != last { if (seen[$2]++) bad = 1; last = $2 } END { exit bad }' "$1"
}
expect_lines() { # EXPECTED ("line|line|"): what the client printed, whole
    [[ $(tr '\n' '|' <"$work/out") == "$1" ]] || { echo "printed:"; cat "$work/out"; return 1; }
}

# --- Every command of the tour is walked here -------------------------------------------

# The tour's commands: its indented lines that run a program, without their comments.
tour_commands() {
    grep -E '^    +(slowpoetry|fastpoetry|transformedpoetry|poetry-proxy|poetry-timeline|get-poetry-|gen-[1-4]|inline-callbacks-|blocking-client|async-client|hello|simple|countdown|exception|stack|twisted-client-1|defer-|deferred-list-|timeout|kill|scripts/)' "$tour" |
        sed -E 's/^ +//; s/ +# .*$//'
}
every_command_is_walked() {
    local command missing=0
    while IFS= read -r command; do
        grep -qF -- "$command" "$walker" || { echo "not walked: $command"; missing=1; }
    done < <(tour_commands)
    return $missing
}
check "every command of the tour is walked here" every_command_is_walked

# --- 1. Blocking and asynchronous servers ----------------------------------------------

blocking_server() {
    serve blocking "slowpoetry --port 10003 --blocking --delay 0.1 --num-bytes 60 poetry/harbour-lights.txt" || return 1
    client "get-poetry-7 --no-xform --trace blocking.csv 10003 10003"
    expect_status 0 || return 1
    client "poetry-timeline --until 2.4 blocking.csv"
    expect_status 0 && expect_png blocking.png || return 1
    stop blocking || return 1
    # Lane two idles until lane one has all its poem, then drips.
    local one_last two_first
    one_last=$(last_bytes blocking.csv 1)
    two_first=$(first_bytes blocking.csv 2)
    awk -v a="$two_first" -v b="$one_last" 'BEGIN { exit !(a >= b) }' ||
        { echo "lane two got bytes at $two_first s, before lane one's last at $one_last s"; return 1; }
}
check "1. two clients of the blocking server: one after the other" blocking_server

async_server() {
    serve async "slowpoetry --port 10003 --delay 0.1 --num-bytes 60 --verbose poetry/harbour-lights.txt" || return 1
    client "get-poetry-7 --no-xform --trace async.csv 10003 10003"
    expect_status 0 || return 1
    client "poetry-timeline --until 2.4 async.csv"
    expect_status 0 && expect_png async.png || return 1
    stop async || return 1
    # Both drip together: lane two's first bytes come long before lane one is done.
    local one_done two_first
    one_done=$(done_at async.csv 1)
    two_first=$(first_bytes async.csv 2)
    awk -v a="$two_first" -v b="$one_done" 'BEGIN { exit !(a < b / 2) }' ||
        { echo "lane two got bytes at $two_first s, lane one was done at $one_done s"; return 1; }
    # The server's terminal: both clients, and their chunks.
    [[ $(grep -c "wants poetry!" "$work/async.log") -eq 2 ]] || { cat "$work/async.log"; return 1; }
    expect_in "$work/async.log" ": Sending 60 bytes"
}
check "1. two clients of the asynchronous server: together" async_server

# --- 2. Blocking and asynchronous clients ---------------------------------------------------

part2_servers() {
    serve drip2 "slowpoetry --port 10002 --quiet --delay 0.1 --num-bytes 50 poetry/travellers-alphabet.txt &" &&
        serve drip3 "slowpoetry --port 10003 --quiet --delay 0.1 --num-bytes 50 poetry/harbour-lights.txt &" &&
        serve drip4 "slowpoetry --port 10004 --quiet --delay 0.1 --num-bytes 50 poetry/small-hours.txt &"
}
part2_clients() {
    part2_servers || return 1
    client "blocking-client --trace blocking-client.csv 10002 10003 10004"
    expect_status 0 && expect_in "$work/out" "Task 1: get poetry from: 127.0.0.1:10002" &&
        expect_in "$work/out" "Task 1: got 759 bytes of poetry from 127.0.0.1:10002 in 0:00:0" &&
        expect_in "$work/out" "Got 3 poems in" || return 1
    client "async-client --trace async-client.csv 10002 10003 10004"
    expect_status 0 && expect_in "$work/out" "Task 3 finished" &&
        expect_in "$work/out" "Task 1: got 50 bytes of poetry from 127.0.0.1:10002" || return 1
    client "poetry-timeline --until 3.5 blocking-client.csv"
    expect_status 0 && expect_png blocking-client.png || return 1
    client "poetry-timeline --until 3.5 async-client.csv"
    expect_status 0 && expect_png async-client.png || return 1
    # The staircase: each server asked only after the one before is done; and the overlap.
    before "$(done_at blocking-client.csv 1)" "$(connected_at blocking-client.csv 2)" "blocking: task 2 asked after task 1" &&
        before "$(done_at blocking-client.csv 2)" "$(connected_at blocking-client.csv 3)" "blocking: task 3 asked after task 2" &&
        before "$(first_bytes async-client.csv 3)" "$(done_at async-client.csv 1)" "async: task 3 before task 1 is done"
}
check "2. the blocking client's staircase and the asynchronous client's overlap" part2_clients

# --- 3. The event loop ---------------------------------------------------------------------------

event_loop() {
    client "hello"
    expect_status 0 && expect_lines "Starting the reactor.|Hello from the reactor loop!|Lately I feel like I'm stuck in a rut.|run() returned: the loop had nothing left to do.|" || return 1
    client "simple"
    expect_status 0 && expect_in "$work/out" "when the guard was released." || return 1
    client "countdown"
    expect_status 0 && expect_lines "Start!|5 ...|4 ...|3 ...|2 ...|1 ...|Stop!|" || return 1
    client "exception"
    expect_status 0 && expect_lines "Starting the reactor.|Exception: I fall down.|But I get up again.|" || return 1
    client "stack"
    expect_status 0 && expect_in "$work/out" "The C++ stack:" && expect_in "$work/out" "io_context::run"
}
check "3. hello, simple, countdown, exception, stack" event_loop

# --- 4. The loop calls the reader ------------------------------------------------------------------

loop_reader() {
    client "twisted-client-1 --trace twisted-client-1.csv 10002 10003 10004"
    expect_status 0 && expect_in "$work/out" "Task 3 finished" || return 1
    ! chunks_one_task_at_a_time twisted-client-1.csv || { echo "twisted-client-1's poems did not interleave"; return 1; }
    client "get-poetry-broken --trace broken.csv 10002 10003 10004"
    expect_status 0 && expect_in "$work/out" "Task 1: got 759 bytes of poetry from 127.0.0.1:10002" || return 1
    chunks_one_task_at_a_time broken.csv || { echo "the broken client's lanes did not stop together"; return 1; }
    client "poetry-timeline --until 3.5 broken.csv"
    expect_status 0 && expect_png broken.png
}
check "4. twisted-client-1 interleaves; get-poetry-broken holds every lane" loop_reader

# --- 5. A callback that blocks ---------------------------------------------------------------------

callback_blocks() {
    client "defer-block --block-at 0.5 --second 0.1 --trace defer-block.csv 10002 10003 10004"
    expect_status 0 && expect_in "$work/out" "The end of the callback chain." &&
        expect_in "$work/out" "Callback returned." || return 1
    # No lane gets a byte between block and unblock.
    awk -F, '$4 == "block" { from = $1 } $4 == "unblock" { to = $1 }
             $4 == "bytes" { at[++n] = $1 }
             END { for (i = 1; i <= n; ++i) if (at[i] > from && at[i] < to) exit 1; exit !(to - from >= 0.6) }' \
        defer-block.csv || { echo "bytes came while the loop was blocked, or it was not"; cat defer-block.csv; return 1; }
    client "poetry-timeline defer-block.csv"
    expect_status 0 && expect_png defer-block.png
}
check "5. defer-block: every lane stops while the callback sleeps" callback_blocks

# --- 6. A deadline --------------------------------------------------------------------------------

deadline() {
    client "get-poetry-deadline --deadline 1 --trace deadline.csv 10002 10003 10004"
    expect_status 1 && expect_in "$work/err" "Task 1: no poem from 127.0.0.1:10002 before the deadline of 1 s" &&
        expect_in "$work/out" "Task 3: got 182 bytes of poetry from 127.0.0.1:10004" || return 1
    [[ -n $(awk -F, '$2 == 1 && $4 == "deadline"' deadline.csv) && -n $(done_at deadline.csv 3) ]] ||
        { echo "no deadline for task 1, or no end for task 3:"; cat deadline.csv; return 1; }
    client "poetry-timeline deadline.csv"
    expect_status 0 && expect_png deadline.png || return 1
    # The tour's "kill $(jobs -p)": the three servers of step 2.
    stop drip2 TERM && stop drip3 TERM && stop drip4 TERM
}
check "6. get-poetry-deadline cuts the slow lanes; the servers stopped" deadline

# --- 7. Callbacks: client 6.0 ------------------------------------------------------------

tutorial_servers() {
    serve xform "transformedpoetry --port 10001 --quiet &" || return 1
    serve fast "fastpoetry --port 10002 --quiet poetry/harbour-lights.txt &" || return 1
    serve slow "slowpoetry --port 10003 --quiet --delay 0.1 poetry/travellers-alphabet.txt &"
}
callbacks() {
    tutorial_servers || return 1
    client "get-poetry-6 10001 10002 10003"
    expect_status 0 && expect_cummingsified && expect_in "$work/out" "harbour lights"
}
check "7. client 6.0 against the tutorial's servers" callbacks

# --- 8. Generators -------------------------------------------------------------------------

generators() {
    local program expected
    for program in gen-1 gen-2 gen-3 gen-4; do
        case $program in
            gen-1 | gen-2) expected="starting up|1|workin'|2|still workin'|3|done|" ;;
            gen-3) expected="1|10|2|20|3|30|40|" ;;
            gen-4) expected="starting up|1|got: 10|2|got: 20|3|malfunction!|4|done|" ;;
        esac
        client "$program"
        expect_status 0 || return 1
        [[ $(tr '\n' '|' <"$work/out") == "$expected" ]] || { echo "$program printed:"; cat "$work/out"; return 1; }
    done
}
check "8. gen-1 to gen-4 print what Part 17's generators print" generators

# --- 9. inlineCallbacks, and client 7.0 ------------------------------------------------------

inline_callbacks() {
    client "inline-callbacks-1 --delay 1"
    expect_status 0 && expect_in "$work/out" "fourth callback got Exception(3)" || return 1
    client "inline-callbacks-2 --second 0.5"
    expect_status 0 && expect_in "$work/out" "got error: uh oh" || return 1
    [[ $(tail -n 1 "$work/out") == "all done" ]] || { cat "$work/out"; return 1; }
    client "inline-callbacks-tb"
    expect_status 0 && expect_in "$work/out" "my_callbacks" && expect_in "$work/out" "io_context::run" || return 1
    client "get-poetry-7 10001 10002 10003"
    expect_status 0 && expect_cummingsified
}
check "9. inline-callbacks-1, -2, -tb, and client 7.0" inline_callbacks

# --- 10. Waiting on a set: client 8.0 ----------------------------------------------------------

check "10. client 8.0" eval 'client "get-poetry-8 10001 10002 10003" && expect_status 0 && expect_cummingsified'

# --- 11. Failures ---------------------------------------------------------------------------------

# The tour's by-hand failure: the client in the background, then, while the slow poem
# drips, the transform server and the slow server stopped with SIGNAL (the tour's
# "kill -9 %1; kill -9 %3" and "kill %1; kill %3": %1 and %3 are those servers).
cut_off() {
    local signal=$1 background
    timeout 60 bash -c "get-poetry-7 10001 10002 10003 &
                        wait \$!" >"$work/out" 2>"$work/err" &
    background=$!
    # The fast poem is printed first; the slow one has begun by then.
    for _ in $(seq 100); do
        grep -q "harbour lights" "$work/out" 2>/dev/null && break
        sleep 0.1
    done
    stop xform "$signal" && wait_until_refused 10001 && stop slow "$signal" || return 1
    status=0
    wait "$background" || status=$?
}
restart_stopped_servers() {
    serve xform "transformedpoetry --port 10001 --quiet &" &&
        serve slow "slowpoetry --port 10003 --quiet --delay 0.1 poetry/travellers-alphabet.txt &"
}
killed() {
    cut_off KILL || return 1
    # The cut-off poem is printed as it came; its transform failed.
    expect_status 0 &&
        expect_in "$work/err" "Cummingsify failed for the poem from 127.0.0.1:10003: transform server 127.0.0.1:10001: Connection refused"
}
check "11. kill -9: the cut-off poem as it came, its transform refused" killed
stopped() {
    restart_stopped_servers || return 1
    cut_off TERM || return 1
    # A reset: the download failed, and how far it got is said.
    expect_status 1 &&
        expect_in "$work/err" "The poem download failed: 127.0.0.1:10003: Connection reset by peer (after " || return 1
    client 'get-poetry-7 10001 10002 10009; echo "exit status $?"'
    expect_in "$work/out" "exit status 1" &&
        expect_in "$work/err" "The poem download failed: 127.0.0.1:10009: Connection refused"
}
check "11. kill: a reset, a failed download; a port nobody listens on" stopped
check "11. the servers started again for steps 12 and 13" restart_stopped_servers

# --- 12. Cancellation: the proxy -----------------------------------------------------------------

cancellation() {
    serve proxy "poetry-proxy --port 10004 --verbose 10003" || return 1
    client "timeout 1 get-poetry-7 --no-xform 10004"
    expect_status 124 || return 1
    for _ in $(seq 100); do
        grep -q "Canceling poem download." "$work/proxy.log" && break
        sleep 0.1
    done
    stop proxy || return 1
    expect_in "$work/proxy.log" "Fetching poem from server." && expect_in "$work/proxy.log" "Canceling poem download."
}
check "12. the proxy cancels the download of a client that left" cancellation

# --- 13. The picture of a run ---------------------------------------------------------------------

picture() {
    client "get-poetry-7 --trace run.csv 10001 10002 10003"
    expect_status 0 && expect_cummingsified || return 1
    client "poetry-timeline run.csv"
    expect_status 0 && expect_png run.png
}
check "13. a traced run, drawn" picture

# --- 14. The Deferred in Asio's words ----------------------------------------------------------

deferreds() {
    client "defer-1"
    expect_status 0 && expect_lines "Your poem is served:|This poem is short.|Finished|" || return 1
    client "defer-2"
    expect_status 0 && expect_lines "No poetry for you.|Finished|" || return 1
    client "defer-3"
    expect_status 0 && expect_in "$work/out" "std::exception_ptr holding std::runtime_error" || return 1
    client "defer-4"
    expect_status 1 && expect_lines "First result|" && expect_in "$work/err" "already called" || return 1
    client "defer-8 --fail-with 'no poem'"
    expect_status 0 && expect_in "$work/err" "I am terribly sorry" || return 1
    client "defer-9"
    expect_status 0 && expect_lines "Another short poem.|poem_done: run either way|" || return 1
    client "defer-10"
    expect_status 0 && expect_in "$work/out" "callback_3 has not run: the coroutine is suspended at its co_await." ||
        return 1
    client "defer-11"
    expect_status 0 && expect_in "$work/out" "deliver returned: the handler ran inside it." || return 1
    client "defer-unhandled"
    expect_status 0 && expect_in "$work/out" "A coroutine threw, and co_spawn's handler got: oops" || return 1
    client "deferred-list-1"
    expect_status 0 && expect_in "$work/out" "the group's handler was never called" || return 1
    client "deferred-list-4"
    expect_status 0 && expect_in "$work/out" "completion order: [d2, d1]" || return 1
    client "deferred-list-5"
    expect_status 0 && expect_in "$work/out" '(failed, "d2 failure")' || return 1
    client "deferred-list-6"
    expect_status 0 && expect_in "$work/out" "completion order: [d2, d1, d3]" || return 1
    client "deferred-list-7 --trace deferred-list-7.csv"
    expect_status 0 && expect_in "$work/out" '(ok, "d2 result, delivered anyway")' || return 1
    client "poetry-timeline deferred-list-7.csv"
    expect_status 0 && expect_png deferred-list-7.png || return 1
    expect_in deferred-list-7.csv ",d2 (3 s timer),cancelled," || return 1
    client "defer-cancel-2"
    expect_status 0 && expect_lines "errback got: Operation canceled|done|" || return 1
    client "defer-cancel-4"
    expect_status 0 && expect_in "$work/out" "the result, after the cancellation: already called" || return 1
    client "defer-cancel-6"
    expect_status 0 && expect_in "$work/out" "callback got: result" || return 1
    client "defer-cancel-10 --second 0.5 --trace defer-cancel-10.csv"
    expect_status 0 && expect_in "$work/out" "I got a poem: " || return 1
    client "defer-cancel-11 --second 0.5 --trace defer-cancel-11.csv"
    expect_status 0 && expect_lines "Cancelling the poem at 2 s.|get_poem failed: Operation canceled|" || return 1
    client "poetry-timeline --until 2.6 defer-cancel-10.csv"
    expect_status 0 && expect_png defer-cancel-10.png && expect_in defer-cancel-10.csv ",done," || return 1
    client "poetry-timeline --until 2.6 defer-cancel-11.csv"
    expect_status 0 && expect_png defer-cancel-11.png && expect_in defer-cancel-11.csv ",cancelled," || return 1
    client "defer-cancel-12"
    expect_status 0 && expect_in "$work/out" "inner cancellation handler."
}
check "14. the Deferred, DeferredList and cancellation programs, each with its lesson" deferreds

# --- The one-command failure demonstration, in a source tree ----------------------------------------

if [[ $mode == source ]]; then
    for name in xform fast slow; do stop "$name" TERM >/dev/null; done
    demo_kill() {
        client "cd '$source_tree' && scripts/demo.sh --kill"
        expect_status 0 && expect_in "$work/out" "Connection refused" &&
            expect_in "$work/out" "Connection reset by peer (after "
    }
    check "11. scripts/demo.sh --kill shows both endings" demo_kill
fi

checks_summary "walk-tour ($mode)"
