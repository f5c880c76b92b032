#!/usr/bin/env bash
# Measure the servers against their targets and against nginx, in one run.
#
#   scripts/bench.sh [--runs N] [--seconds S] [--output FILE]
#
# Installs what is missing (nginx-light, libnginx-mod-stream, Google Benchmark,
# GNU time), builds the release preset, generates a 1 MiB poem and a 14 MiB
# mixed-script one (for the transform server under long requests), starts every
# server and nginx (one worker, stream module, `return` of the same bytes) on
# free loopback ports, runs the matrix and prints a Markdown table; --output
# also writes it to FILE. Fetch runs alternate ours and nginx's and report the
# median of N runs (default 3) of S seconds (default 5) each.
#
# The main figure is the server's CPU time per connection (utime + stime from
# /proc before and after): on a 2-core machine the load generator competes
# with the server for CPU and caps the raw rate.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
    echo "usage: scripts/bench.sh [--runs N] [--seconds S] [--output FILE]" >&2
    exit 2
}
runs=3
seconds=5
output=""
while [[ $# -gt 0 ]]; do
    case "$1" in
    --runs) runs="${2:-}"; shift 2 || usage ;;
    --seconds) seconds="${2:-}"; shift 2 || usage ;;
    --output) output="${2:-}"; shift 2 || usage ;;
    -h | --help) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument '$1'" >&2; usage ;;
    esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "bench: invalid --runs '$runs': a whole number from 1" >&2; usage; }
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "bench: invalid --seconds '$seconds': a whole number from 1" >&2; usage; }

# 10,000 clients need 10,000 descriptors on each side.
ulimit -n 32768 2>/dev/null || ulimit -n "$(ulimit -Hn)"
(($(ulimit -n) > 10100)) || { echo "bench: 10,000 clients need more open files than 'ulimit -n' allows ($(ulimit -n))" >&2; exit 1; }

POETRY_WITH_BENCH=1 scripts/bootstrap.sh
scripts/build.sh release >/dev/null
bin=build-release/bin
command -v nginx >/dev/null || { echo "bench: nginx is not installed" >&2; exit 1; }

work="$(mktemp -d /tmp/poetry-bench.XXXXXX)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# --- helpers ---------------------------------------------------------------

fail() {
    echo "bench: $*" >&2
    exit 1
}

# shellcheck source=lib/start_server.sh
source scripts/lib/start_server.sh

# A loopback port nothing listens on (and so, a moment later, free to listen on).
free_port() {
    local candidate
    for candidate in $(shuf -i 20000-59999 -n 50); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
    fail "no free port found"
}

# Wait (up to 10 s) until something accepts connections on $1.
wait_for_port() {
    local tries
    for tries in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return; fi
        sleep 0.1
    done
    fail "nothing listens on port $1"
}

# Run poetry-bench; prints its RESULT line, fails when the run had errors.
bench() {
    local result
    result="$("$bin/poetry-bench" "$@")" || fail "poetry-bench $* failed: $(tail -n 8 <<<"$result")"
    tail -n 1 <<<"$result"
}

# The value of key $1 in RESULT line $2.
field() {
    sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"
}

# The median of the numbers on stdin.
median() {
    sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# $1 / $2 to 2 decimals.
ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

# "met" when the awk condition $1 holds, "MISSED" otherwise.
verdict() {
    if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "MISSED"; fi
}

# --- poems -------------------------------------------------------------------

small=poetry/harbour-lights.txt
big="$work/big-poem.txt"
# 1 MiB: the longest poem of the collection, again and again.
while [[ ! -s "$big" || $(stat -c %s "$big") -lt 1048576 ]]; do cat poetry/long-road-home.txt >>"$big"; done
truncate -s 1048576 "$big"
small_bytes=$(stat -c %s "$small")
# 14 MiB of mixed scripts (Greek, Turkish dotted and dotless i, Latin), whole lines: cummingsify's slowest case.
heavy="$work/heavy-poem.txt"
heavy_line="ΤΑ ΦΩΤΑ ΤΟΥ ΛΙΜΑΝΙΟΥ ΑΝΑΒΟΥΝ ΣΤΗ ΣΕΙΡΑ, İSTANBUL'DA IŞIKLAR YANIYOR, THE HARBOUR LIGHTS COME ON"
{ yes "$heavy_line" || true; } | head -n $((14 * 1024 * 1024 / $(printf '%s\n' "$heavy_line" | wc -c))) >"$heavy"

# --- nginx: one worker, the same bytes from `return` ---------------------------

# A stream server block returning file $2 on port $1. Config strings are limited
# to about 4 KiB, so the text goes into variables of 3,000 bytes each.
nginx_server() {
    local port="$1" poem="$2" chunks="$work/chunks-$1"
    grep -q '[$]' "$poem" && fail "$poem holds a '\$', which nginx would read as a variable"
    mkdir -p "$chunks"
    split -b 3000 -d -a 4 "$poem" "$chunks/part-"
    echo "    server {"
    echo "        listen 127.0.0.1:$port backlog=4096;"
    local i=0 all=""
    for part in "$chunks"/part-*; do
        printf '        set $p%d "' "$i"
        sed 's/[\\"]/\\&/g' "$part"
        printf '";\n'
        all+="\$p$i"
        i=$((i + 1))
    done
    echo "        return \"$all\";"
    echo "    }"
}

nginx_small_port=$(free_port)
nginx_big_port=$(free_port)
mkdir -p "$work/nginx/logs"
{
    echo "load_module /usr/lib/nginx/modules/ngx_stream_module.so;"
    echo "daemon off;"
    echo "worker_processes 1;"
    echo "worker_rlimit_nofile 20000;"
    echo "pid $work/nginx/nginx.pid;"
    echo "error_log $work/nginx/logs/error.log warn;"
    echo "events { worker_connections 20000; }"
    echo "stream {"
    nginx_server "$nginx_small_port" "$small"
    nginx_server "$nginx_big_port" "$big"
    echo "}"
} >"$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>"$work/nginx.err" &
nginx_master=$!
pids+=("$nginx_master")
wait_for_port "$nginx_small_port"
wait_for_port "$nginx_big_port"
nginx_worker=$(pgrep -P "$nginx_master" | head -n 1)
[[ -n "$nginx_worker" ]] || fail "nginx started no worker: $(cat "$work/nginx.err")"
nginx_pids=(--server-pid "$nginx_master" --server-pid "$nginx_worker")
# nginx must serve exactly the poems before it can be a yardstick.
bench fetch --cycles 20 --expect "$small" "$nginx_small_port" >/dev/null
bench fetch --cycles 20 --expect "$big" "$nginx_big_port" >/dev/null

# --- our servers ---------------------------------------------------------------

start_server fast_small "$bin/fastpoetry" --quiet "$small"
pids+=("$pid_fast_small")
start_server fast_big "$bin/fastpoetry" --quiet "$big"
pids+=("$pid_fast_big")
start_server xform "$bin/transformedpoetry" --quiet
pids+=("$pid_xform")
start_server slow "$bin/slowpoetry" --quiet --num-bytes 10 --delay 0.1 "$small"
pids+=("$pid_slow")
# The baseline for figure 7: every transform on the event loop, as before the worker pool.
start_server xform_inline "$bin/transformedpoetry" --quiet --workers 0
pids+=("$pid_xform_inline")

echo "bench: $runs run(s) of ${seconds}s per figure; nginx $(nginx -v 2>&1 | sed 's/.*\///')" >&2

# --- 3. slowpoetry, 10,000 clients at once (first, on a quiet connection table) ---

echo "bench: slowpoetry with 10,000 clients" >&2
hold=$(bench hold --connections 10000 --expect "$small" --time-limit 120 --server-pid "$pid_slow" "$port_slow")
hold_p99=$(awk -v us="$(field p99_us "$hold")" 'BEGIN { printf "%.3f", us / 1e6 }')
chunks=$(((small_bytes + 9) / 10))
hold_ideal=$(awk -v n="$chunks" 'BEGIN { printf "%.1f", (n - 1) * 0.1 }')
hold_rss=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$pid_slow/status")

# --- 1, 2, 4: fetch and transform, alternating ours and nginx's ------------------

declare -A cpu rate
load=(--duration "$seconds" --connections 32 --threads 2)
for run in $(seq "$runs"); do
    echo "bench: run $run of $runs" >&2
    r=$(bench fetch "${load[@]}" --expect-bytes "$small_bytes" --server-pid "$pid_fast_small" "$port_fast_small")
    cpu[ours_small]+="$(field server_cpu_us "$r") " rate[ours_small]+="$(field rate "$r") "
    r=$(bench fetch "${load[@]}" --expect-bytes "$small_bytes" "${nginx_pids[@]}" "$nginx_small_port")
    cpu[nginx_small]+="$(field server_cpu_us "$r") " rate[nginx_small]+="$(field rate "$r") "
    r=$(bench fetch "${load[@]}" --expect-bytes 1048576 --server-pid "$pid_fast_big" "$port_fast_big")
    cpu[ours_big]+="$(field server_cpu_us "$r") " rate[ours_big]+="$(field mbps "$r") "
    r=$(bench fetch "${load[@]}" --expect-bytes 1048576 "${nginx_pids[@]}" "$nginx_big_port")
    cpu[nginx_big]+="$(field server_cpu_us "$r") " rate[nginx_big]+="$(field mbps "$r") "
    r=$(bench xform "${load[@]}" --poem "$small" --server-pid "$pid_xform" "$port_xform")
    cpu[xform]+="$(field server_cpu_us "$r") " rate[xform]+="$(field rate "$r") "
done
med() { tr ' ' '\n' <<<"$1" | grep . | median; }
for key in "${!cpu[@]}"; do
    cpu[$key]=$(med "${cpu[$key]}")
    rate[$key]=$(med "${rate[$key]}")
done

# --- 7. short requests while long ones are transformed ------------------------------

echo "bench: transformedpoetry, short requests beside long ones" >&2
mixed=(--duration "$seconds" --connections 4 --poem "$small" --heavy-poem "$heavy" --heavy-connections 4)
p99_workers="" p99_inline="" max_workers="" max_inline=""
for run in $(seq "$runs"); do
    r=$(bench xform "${mixed[@]}" "$port_xform")
    p99_workers+="$(field p99_us "$r") " max_workers+="$(field max_us "$r") "
    r=$(bench xform "${mixed[@]}" "$port_xform_inline")
    p99_inline+="$(field p99_us "$r") " max_inline+="$(field max_us "$r") "
done
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

# --- the load generator against a plain C epoll client (both on one core) --------

echo "bench: poetry-bench against the C epoll client" >&2
taskset -a -p -c 0 "$pid_fast_small" >/dev/null # the server on one core, the client on the other
c_rates="" bench_rates=""
for run in $(seq "$runs"); do
    c=$(taskset -c 1 "$bin/epoll_fetch" "$port_fast_small" 32 "$seconds") || fail "epoll_fetch failed: $c"
    c_rates+="$(field rate "$c") "
    r=$(taskset -c 1 "$bin/poetry-bench" fetch --duration "$seconds" --expect-bytes "$small_bytes" "$port_fast_small" | tail -n 1)
    bench_rates+="$(field rate "$r") "
done
taskset -a -p -c "0-$(($(nproc) - 1))" "$pid_fast_small" >/dev/null
c_rate=$(med "$c_rates")
bench_rate=$(med "$bench_rates")

# --- 4b. cummingsify itself ---------------------------------------------------------

echo "bench: cummingsify" >&2
micro=$("$bin/cummingsify_bench" --benchmark_format=csv --benchmark_min_time=1 2>/dev/null)
speed() { # MB/s of benchmark $1
    awk -F, -v name="\"$1\"" '$1 == name { printf "%.0f", $6 / 1e6 }' <<<"$micro"
}
ascii_mbs=$(speed cummingsify_ascii)
mixed_mbs=$(speed cummingsify_mixed_scripts)

# --- 5. get-poetry-7 with 1,000 addresses --------------------------------------------

echo "bench: get-poetry-7 with 1,000 addresses" >&2
addresses=()
for _ in $(seq 1000); do addresses+=("$port_fast_small"); done
/usr/bin/time -f "%e %M" -o "$work/client.time" "$bin/get-poetry-7" "$port_xform" "${addresses[@]}" \
    >"$work/client.out" 2>"$work/client.err" || fail "get-poetry-7 failed: $(tail -n 3 "$work/client.err")"
first_line=$(head -n 1 "$small" | tr '[:upper:]' '[:lower:]')
client_poems=$(grep -cxF "$first_line" "$work/client.out" || true)
read -r client_wall client_rss_kib <"$work/client.time"
client_rss=$(awk -v k="$client_rss_kib" 'BEGIN { printf "%.1f", k / 1024 }')

# --- the table -------------------------------------------------------------------------

small_cpu_ratio=$(ratio "${cpu[ours_small]}" "${cpu[nginx_small]}")
small_rate_ratio=$(ratio "${rate[ours_small]}" "${rate[nginx_small]}")
big_cpu_ratio=$(ratio "${cpu[ours_big]}" "${cpu[nginx_big]}")
xform_ratio=$(ratio "${cpu[xform]}" "${cpu[nginx_small]}")
bench_ratio=$(ratio "$bench_rate" "$c_rate")
p99_workers=$(ms "$(med "$p99_workers")") p99_inline=$(ms "$(med "$p99_inline")")
max_workers=$(ms "$(med "$max_workers")") max_inline=$(ms "$(med "$max_inline")")
heavy_mib=$(awk -v b="$(stat -c %s "$heavy")" 'BEGIN { printf "%.0f", b / 1048576 }')
hold_ratio=$(ratio "$hold_p99" "$hold_ideal")

table() {
    echo "| # | target | ours | nginx (same run) | ratio | goal | |"
    echo "|---|---|---|---|---|---|---|"
    echo "| 1 | fastpoetry, $small_bytes B, 32 in flight: server CPU per connection | ${cpu[ours_small]} µs | ${cpu[nginx_small]} µs | $small_cpu_ratio | ≤ 1 | $(verdict "$small_cpu_ratio <= 1") |"
    echo "| 1 | fastpoetry, $small_bytes B: connections per second | ${rate[ours_small]} | ${rate[nginx_small]} | $small_rate_ratio | ≥ 1 | $(verdict "$small_rate_ratio >= 1") |"
    echo "| 2 | fastpoetry, 1 MiB, 32 in flight: server CPU per fetch | ${cpu[ours_big]} µs | ${cpu[nginx_big]} µs | $big_cpu_ratio | ≤ 0.7 | $(verdict "$big_cpu_ratio <= 0.7") |"
    echo "| 2 | fastpoetry, 1 MiB: throughput | ${rate[ours_big]} MB/s | ${rate[nginx_big]} MB/s | $(ratio "${rate[ours_big]}" "${rate[nginx_big]}") | | |"
    echo "| 3 | slowpoetry, 10,000 clients, 10 B every 0.1 s: p99 completion | $hold_p99 s | ideal $hold_ideal s | $hold_ratio | ≤ 1.05 | $(verdict "$hold_ratio <= 1.05 && $(field errors "$hold") == 0 && $(field mismatches "$hold") == 0") |"
    echo "| 3 | slowpoetry, 10,000 clients: exact poems, peak RSS | $(field completed "$hold") exact, $(field mismatches "$hold") wrong, $hold_rss MiB | | | < 64 MiB | $(verdict "$hold_rss < 64 && $(field completed "$hold") == 10000") |"
    echo "| 4 | transformedpoetry, $small_bytes B, 32 in flight: server CPU per request | ${cpu[xform]} µs | fetch ${cpu[nginx_small]} µs | $xform_ratio | ≤ 1.3 | $(verdict "$xform_ratio <= 1.3") |"
    echo "| 4 | cummingsify, ASCII | $ascii_mbs MB/s | | | ≥ 2000 MB/s | $(verdict "$ascii_mbs >= 2000") |"
    echo "| 4 | cummingsify, mixed scripts | $mixed_mbs MB/s | | | ≥ 200 MB/s | $(verdict "$mixed_mbs >= 200") |"
    echo "| 5 | get-poetry-7, 1,000 addresses: poems, wall time, peak RSS | $client_poems poems, $client_wall s, $client_rss MiB | | | 1000, < 1 s, < 16 MiB | $(verdict "$client_poems == 1000 && $client_wall < 1 && $client_rss < 16") |"
    echo "| 7 | transformedpoetry, $small_bytes B requests (4 in flight) while 4 connections send $heavy_mib MiB mixed-script ones: p99 latency | $p99_workers ms | on the event loop (--workers 0): $p99_inline ms | $(ratio "$p99_workers" "$p99_inline") | < 5 ms | $(verdict "$p99_workers < 5") |"
    echo "| 7 | the same: slowest short request | $max_workers ms | on the event loop: $max_inline ms | $(ratio "$max_workers" "$max_inline") | | |"
    echo "| | poetry-bench against a C epoll client, one core each: fetches per second | $bench_rate | C: $c_rate | $bench_ratio | ≥ 1 | $(verdict "$bench_ratio >= 1") |"
    echo
    echo "Median of $runs runs of ${seconds} s; fetch and transform runs keep 32 connections in flight"
    echo "from 2 poetry-bench threads. $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)),"
    echo "Linux $(uname -r), nginx $(nginx -v 2>&1 | sed 's/.*\///'), $(date -u +%Y-%m-%d)."
}

table | tee "${output:-/dev/null}"
