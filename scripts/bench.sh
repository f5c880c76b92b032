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

# Every measurement goes to one file, a sample a line ("KEY VALUE", a line per run);
# scripts/lib/bench_report.py turns it into medians, ratios and verdicts.
samples="$work/samples"
sample() {
    [[ -n "$2" ]] || fail "no value for $1"
    echo "$1 $2" >>"$samples"
}

# A line describing the run ("meta KEY TEXT").
describe() {
    echo "meta $1 $2" >>"$samples"
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
# The proxy in front of the small poem's fastpoetry, its cache filled before it is measured.
start_server proxy "$bin/poetry-proxy" --quiet "$port_fast_small"
pids+=("$pid_proxy")
bench fetch --cycles 20 --expect "$small" "$port_proxy" >/dev/null
start_server slow "$bin/slowpoetry" --quiet --num-bytes 10 --delay 0.1 "$small"
pids+=("$pid_slow")
# The baseline for figure 7: every transform on the event loop, as before the worker pool.
start_server xform_inline "$bin/transformedpoetry" --quiet --workers 0
pids+=("$pid_xform_inline")

echo "bench: $runs run(s) of ${seconds}s per figure; nginx $(nginx -v 2>&1 | sed 's/.*\///')" >&2

# --- 3. slowpoetry, 10,000 clients at once (first, on a quiet connection table) ---

# All 10,000 connect at once (--connect-burst 10000), as a crowd does: a server that
# takes them too slowly overflows its listen queue (the kernel counts it), and the
# dropped connects come back 1 and 3 s later, in the p99.
listen_overflows() { nstat -az TcpExtListenOverflows | awk '/ListenOverflows/ {print $2}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
echo "bench: slowpoetry with 10,000 clients" >&2
overflows=$(listen_overflows)
ticks=$(cpu_ticks "$pid_slow")
hold=$(bench hold --connections 10000 --connect-burst 10000 --expect "$small" --time-limit 120 \
    --server-pid "$pid_slow" "$port_slow")
sample hold.overflows $(($(listen_overflows) - overflows))
sample hold.cpu_ticks $(($(cpu_ticks "$pid_slow") - ticks))
for key in p99_us p50_us errors mismatches completed; do sample "hold.$key" "$(field $key "$hold")"; done
sample hold.chunks $(((small_bytes + 9) / 10))
sample hold.rss_kib "$(sed -n 's/^VmHWM:\s*\([0-9]*\) kB/\1/p' "/proc/$pid_slow/status")"

# The same crowd against the plainest C drip server: the yardstick of lateness under load.
echo "bench: the C epoll drip server with 10,000 clients" >&2
start_server c_drip "$bin/epoll_drip" "$small" 10 0.1
pids+=("$pid_c_drip")
overflows=$(listen_overflows)
ticks=$(cpu_ticks "$pid_c_drip")
hold=$(bench hold --connections 10000 --connect-burst 10000 --expect "$small" --time-limit 120 "$port_c_drip")
sample hold_c.overflows $(($(listen_overflows) - overflows))
sample hold_c.cpu_ticks $(($(cpu_ticks "$pid_c_drip") - ticks))
for key in p99_us p50_us errors; do sample "hold_c.$key" "$(field $key "$hold")"; done
kill "$pid_c_drip"

# --- 1, 2, 4: fetch and transform, alternating ours and nginx's ------------------

load=(--duration "$seconds" --connections 32 --threads 2)
for run in $(seq "$runs"); do
    echo "bench: run $run of $runs" >&2
    r=$(bench fetch "${load[@]}" --expect-bytes "$small_bytes" --server-pid "$pid_fast_small" "$port_fast_small")
    sample cpu.ours_small "$(field server_cpu_us "$r")"
    sample rate.ours_small "$(field rate "$r")"
    r=$(bench fetch "${load[@]}" --expect-bytes "$small_bytes" "${nginx_pids[@]}" "$nginx_small_port")
    sample cpu.nginx_small "$(field server_cpu_us "$r")"
    sample rate.nginx_small "$(field rate "$r")"
    r=$(bench fetch "${load[@]}" --expect-bytes 1048576 --server-pid "$pid_fast_big" "$port_fast_big")
    sample cpu.ours_big "$(field server_cpu_us "$r")"
    sample mbps.ours_big "$(field mbps "$r")"
    r=$(bench fetch "${load[@]}" --expect-bytes 1048576 "${nginx_pids[@]}" "$nginx_big_port")
    sample cpu.nginx_big "$(field server_cpu_us "$r")"
    sample mbps.nginx_big "$(field mbps "$r")"
    r=$(bench xform "${load[@]}" --poem "$small" --server-pid "$pid_xform" "$port_xform")
    sample cpu.xform "$(field server_cpu_us "$r")"
    r=$(bench fetch "${load[@]}" --expect-bytes "$small_bytes" --server-pid "$pid_proxy" "$port_proxy")
    sample cpu.proxy "$(field server_cpu_us "$r")"
done

# --- 7. short requests while long ones are transformed ------------------------------

echo "bench: transformedpoetry, short requests beside long ones" >&2
mixed=(--duration "$seconds" --connections 4 --poem "$small" --heavy-poem "$heavy" --heavy-connections 4)
for run in $(seq "$runs"); do
    r=$(bench xform "${mixed[@]}" "$port_xform")
    sample mixed.p99_us_workers "$(field p99_us "$r")"
    sample mixed.max_us_workers "$(field max_us "$r")"
    r=$(bench xform "${mixed[@]}" "$port_xform_inline")
    sample mixed.p99_us_inline "$(field p99_us "$r")"
    sample mixed.max_us_inline "$(field max_us "$r")"
done

# --- the load generator against a plain C epoll client (both on one core) --------

echo "bench: poetry-bench against the C epoll client" >&2
taskset -a -p -c 0 "$pid_fast_small" >/dev/null # the server on one core, the client on the other
for run in $(seq "$runs"); do
    c=$(taskset -c 1 "$bin/epoll_fetch" "$port_fast_small" 32 "$seconds") || fail "epoll_fetch failed: $c"
    sample c.rate "$(field rate "$c")"
    r=$(taskset -c 1 "$bin/poetry-bench" fetch --duration "$seconds" --expect-bytes "$small_bytes" "$port_fast_small" | tail -n 1)
    sample bench.rate "$(field rate "$r")"
done
taskset -a -p -c "0-$(($(nproc) - 1))" "$pid_fast_small" >/dev/null

# --- 4b. cummingsify itself ---------------------------------------------------------

echo "bench: cummingsify" >&2
micro=$("$bin/cummingsify_bench" --benchmark_format=csv --benchmark_min_time=1 2>/dev/null)
speed() { # bytes per second of benchmark $1
    local bytes
    bytes=$(grep "^\"$1\"," <<<"$micro" | cut -d, -f6)
    [[ -n "$bytes" ]] || fail "cummingsify_bench printed no $1"
    echo "$bytes"
}
sample micro.ascii_bytes_per_s "$(speed cummingsify_ascii)"
sample micro.mixed_bytes_per_s "$(speed cummingsify_mixed_scripts)"

# --- 4c. the transform server against ICU alone, 14 MiB requests -----------------------

# Two texts of 14 MiB: our travellers-alphabet poem again and again (Latin with accents,
# some Greek and Russian), and upper-case Greek and Cyrillic prose of our own.
alphabet="$work/alphabet-poem.txt"
while [[ ! -s "$alphabet" || $(stat -c %s "$alphabet") -lt $((14 * 1024 * 1024)) ]]; do
    cat poetry/travellers-alphabet.txt >>"$alphabet"
done
capitals="$work/capitals-poem.txt"
capitals_lines=$'ΤΑ ΦΩΤΑ ΤΟΥ ΛΙΜΑΝΙΟΥ ΑΝΑΒΟΥΝ ΣΤΙΣ ΕΞΙ, ΚΑΙ ΚΑΘΕ ΒΑΡΚΑ ΜΕΤΡΙΕΤΑΙ ΣΠΙΤΙ;\nОГНИ ГАВАНИ ЗАЖИГАЮТСЯ В ШЕСТЬ, И КАЖДУЮ ЛОДКУ СЧИТАЮТ ДОМА.'
{ yes "$capitals_lines" || true; } | head -n $((14 * 1024 * 1024 / 130)) >"$capitals"

echo "bench: transformedpoetry against ICU alone, 14 MiB requests" >&2
for text in alphabet capitals; do
    file=${!text}
    bytes=$(stat -c %s "$file")
    # One request first, not counted: ICU's figure is its best of 5, warm, and so is ours.
    bench xform --poem "$file" --cycles 1 --connections 1 "$port_xform_inline" >/dev/null
    for run in $(seq "$runs"); do
        r=$(bench xform --poem "$file" --cycles 10 --connections 1 --server-pid "$pid_xform_inline" "$port_xform_inline")
        sample "long.$text.server_bytes_per_s" "$(awk -v b="$bytes" -v us="$(field server_cpu_us "$r")" 'BEGIN { printf "%.0f", b * 1e6 / us }')"
        i=$("$bin/icu_lower_speed" "$file") || fail "icu_lower_speed failed: $i"
        sample "long.$text.icu_bytes_per_s" "$(field bytes_per_s "$i")"
    done
done

# --- 5. get-poetry-7 with 1,000 addresses --------------------------------------------

echo "bench: get-poetry-7 with 1,000 addresses" >&2
addresses=()
for _ in $(seq 1000); do addresses+=("$port_fast_small"); done
/usr/bin/time -f "%e %M" -o "$work/client.time" "$bin/get-poetry-7" "$port_xform" "${addresses[@]}" \
    >"$work/client.out" 2>"$work/client.err" || fail "get-poetry-7 failed: $(tail -n 3 "$work/client.err")"
first_line=$(head -n 1 "$small" | tr '[:upper:]' '[:lower:]')
sample client.poems "$(grep -cxF "$first_line" "$work/client.out" || true)"
read -r client_wall client_rss_kib <"$work/client.time"
sample client.wall_s "$client_wall"
sample client.rss_kib "$client_rss_kib"

# --- the table -------------------------------------------------------------------------

describe small_bytes "$small_bytes"
describe heavy_mib $((($(stat -c %s "$heavy") + 524288) / 1048576)) # rounded
describe runs "$runs"
describe seconds "$seconds"
describe cores "$(nproc)"
describe cpu "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)"
describe kernel "$(uname -r)"
describe nginx "$(nginx -v 2>&1 | sed 's/.*\///')"
describe date "$(date -u +%Y-%m-%d)"
scripts/lib/bench_report.py "$samples" | tee "${output:-/dev/null}"
