#!/usr/bin/env bash
# Draw a client's --trace CSV as a timeline: one lane per task, from its first
# event to its last, a tick for every chunk received, a green bar from the
# transform request to its reply, a dot where the poem was done, and failures
# as crosses; where a program traces them, a cancellation asked and an
# operation cancelled. The title is the command line recorded in the trace.
#
# Usage: poetry-timeline [--until SECONDS] TRACE.csv [OUT.png]   (default OUT: TRACE.png)
#
#   --until SECONDS  draw the time axis from 0 to SECONDS, so that pictures of
#                    different runs can be compared (default: the run's length)
#
# Installed as poetry-timeline; in a source tree it is scripts/timeline.sh (and,
# once built, build/bin/poetry-timeline).
#
# The picture is 1100 pixels wide and 140 + 40 per task high (at most 4000).
# Exit status 2 for a wrong command line, 1 when the trace cannot be read or
# the picture cannot be written.
set -euo pipefail

me=$(basename -- "$0")
# The build writes the version here when it installs the script as poetry-timeline.
version="@PROJECT_VERSION@"
[[ $version != @* ]] || version=$(sed -n 's/^project(poetry VERSION \([0-9.]*\).*/\1/p' \
    "$(dirname -- "$0")/../CMakeLists.txt" 2>/dev/null)
usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; }
until_seconds=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --version) echo "poetry-timeline ${version:-(source tree)}"; exit 0 ;;
        --until)
            [[ $# -ge 2 ]] || { echo "$me: --until needs SECONDS (try --help)" >&2; exit 2; }
            until_seconds=$2
            shift 2
            ;;
        --until=*) until_seconds=${1#--until=}; shift ;;
        --) shift; break ;;
        -*) echo "$me: unknown option '$1' (try --help)" >&2; exit 2 ;;
        *) break ;;
    esac
done
(($# >= 1)) || { usage >&2; exit 2; }
(($# <= 2)) || { echo "$me: too many arguments (try --help)" >&2; exit 2; }
if [[ -n $until_seconds ]] && ! { [[ $until_seconds =~ ^[0-9]{1,5}(\.[0-9]+)?$ ]] &&
    awk -v s="$until_seconds" 'BEGIN { exit !(s > 0) }'; }; then
    echo "$me: invalid --until '$until_seconds': give seconds above 0, such as 2.5" >&2
    exit 2
fi
trace=$1
out=${2:-${trace%.csv}.png}
fail() {
    echo "$me: $*" >&2
    exit 1
}

[[ -f $trace && -r $trace ]] || fail "cannot read trace '$trace'"
# The output must be a file in a folder we can write: gnuplot would otherwise draw to the terminal.
out_dir=$(dirname -- "$out")
[[ -d $out_dir ]] || fail "cannot write '$out': no folder '$out_dir'"
[[ -w $out_dir ]] || fail "cannot write '$out': folder '$out_dir' is not writable"
[[ ! -d $out ]] || fail "cannot write '$out': it is a folder"

# An optional "# COMMAND LINE" first, then the CSV header.
command_line=""
header=$(head -n 1 -- "$trace")
if [[ $header == "#"* ]]; then
    command_line=${header#"#"}
    command_line=${command_line# }
    header=$(sed -n 2p -- "$trace")
fi
[[ $header == "seconds,task,address,event,bytes" ]] ||
    fail "'$trace' is not a client trace (it should start with the CSV header seconds,task,address,event,bytes)"

if ! command -v gnuplot >/dev/null; then
    [[ $(id -u) -eq 0 ]] || fail "gnuplot is missing; install gnuplot-nox (as root) and try again"
    echo "$me: installing gnuplot-nox"
    if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox; } \
        >/tmp/poetry-timeline-install.log 2>&1; then
        fail "could not install gnuplot-nox; see /tmp/poetry-timeline-install.log"
    fi
fi

# Everything gnuplot reads or writes lives here, under names we chose: a trace or
# picture whose name holds quotes or spaces cannot break its script.
work=$(mktemp -d /tmp/poetry-timeline.XXXXXX)
trap 'rm -rf "$work"' EXIT
grep -v '^#' -- "$trace" | tail -n +2 >"$work/events.csv"

# Per task: "task,start,end,address": its lane, each at least `shortest` wide so
# that a task that failed at once still shows. Then the transforms, request to
# reply ("task,start,end,failed"), and the times the loop was blocked ("start,end").
# Then the span of the whole run.
awk -F, -v lanes="$work/lanes.csv" -v transforms="$work/transforms.csv" -v blocks="$work/blocks.csv" '
$2 == 0 {
    if ($4 == "block") blocked = $1
    if ($4 == "unblock") printf "%s,%s\n", blocked, $1 > blocks
    if ($1 > span) span = $1
    next
}
{
    t = $2
    if (!(t in first)) { first[t] = $1; addr[t] = $3; order[++n] = t }
    last[t] = $1
    if ($1 > span) span = $1
    if ($4 == "transform") asked[t] = $1
    if (($4 == "done" || $4 == "transform-failed") && (t in asked) && !(t in answered)) {
        answered[t] = $1
        xfailed[t] = ($4 == "transform-failed")
    }
}
END {
    shortest = (span > 0 ? span : 1) * 0.015
    for (i = 1; i <= n; ++i) {
        t = order[i]
        end = last[t] - first[t] < shortest ? first[t] + shortest : last[t]
        printf "%s,%.6f,%.6f,%s\n", t, first[t], end, addr[t] > lanes
        if (t in answered) {
            # A short transform is drawn wider before its request, never past its reply:
            # what follows the reply (the dot of "done") stays after it.
            start = answered[t] - asked[t] < shortest ? answered[t] - shortest : asked[t]
            printf "%s,%.6f,%.6f,%d\n", t, start, answered[t], xfailed[t] > transforms
        }
    }
    printf "%.6f\n", span
}' "$work/events.csv" >"$work/span"
touch "$work/transforms.csv" "$work/blocks.csv"
[[ -s $work/lanes.csv ]] || fail "'$trace' has no events"
tasks=$(wc -l <"$work/lanes.csv")
span=$(cat "$work/span")
height=$((140 + 40 * tasks))
((height > 4000)) && height=4000

# Text for gnuplot's single-quoted strings, where a quote is written twice.
quoted() { printf "'%s'" "${1//\'/\'\'}"; }
title=${command_line:-a poetry client}
ytics=$(awk -F, -v q="'" '{ label = $4; gsub(q, q q, label); printf "%s%s%d  %s%s %d", (NR > 1 ? ", " : ""), q, $1, label, q, $1 }' "$work/lanes.csv")

cd "$work"
if ! gnuplot >gnuplot.log 2>&1 <<GNUPLOT; then
set terminal pngcairo size 1100,$height font "sans,9" noenhanced
set output "picture.png"
set datafile separator ","
set title $(quoted "$title")
set xlabel "seconds since the client started"
set xrange [$(if [[ -n $until_seconds ]]; then echo "-$until_seconds * 0.01:$until_seconds"; else echo "-$span * 0.01 - 0.001:$span * 1.04 + 0.001"; fi)]
set yrange [$tasks + 0.7:0.3]
set ytics ($ytics) noenhanced
set grid xtics
set lmargin 24
set key below horizontal samplen 2
on(ev) = (strcol(4) eq ev) ? column(2) : 1/0
$(awk -F, '{ printf "set object %d rect from %s, graph 0 to %s, graph 1 behind fc rgb \"#f4b6b6\" fs solid 0.6 noborder\n", NR, $1, $2 }' "$work/blocks.csv")
plot "lanes.csv" using 2:1:(\$3 - \$2):(0) with vectors nohead lw 10 lc rgb "#dddddd" title "task", \
     "events.csv" using 1:(on("bytes") - 0.25):(0):(0.5) with vectors nohead lw 1.5 lc rgb "#1f77b4" title "bytes received", \
     "transforms.csv" using 2:(\$4 == 0 ? \$1 + 0.3 : 1/0):(\$3 - \$2):(0) with vectors nohead lw 5 lc rgb "#2ca02c" title "transform, request to reply", \
     "transforms.csv" using 2:(\$4 == 1 ? \$1 + 0.3 : 1/0):(\$3 - \$2):(0) with vectors nohead lw 5 lc rgb "#ff7f0e" title "transform failed", \
     "events.csv" using 1:(on("done")) with points pt 7 ps 0.9 lc rgb "#000000" title "done", \
     "events.csv" using 1:(on("failed")) with points pt 2 ps 1.6 lw 2 lc rgb "#d62728" title "download failed"$(
    if grep -q ',deadline,' "$work/events.csv"; then
        printf ', \\\n     "events.csv" using 1:(on("deadline")) with points pt 11 ps 1.6 lc rgb "#9467bd" title "cut at its deadline"'
    fi
    if grep -q ',cancel,' "$work/events.csv"; then
        printf ', \\\n     "events.csv" using 1:(on("cancel")) with points pt 9 ps 1.4 lc rgb "#8c564b" title "cancellation asked"'
    fi
    if grep -q ',cancelled,' "$work/events.csv"; then
        printf ', \\\n     "events.csv" using 1:(on("cancelled")) with points pt 13 ps 1.6 lc rgb "#e377c2" title "cancelled"'
    fi
    if [[ -s $work/blocks.csv ]]; then
        printf ', \\\n     keyentry with boxes fs solid 0.6 fc rgb "#f4b6b6" title "event loop blocked"'
    fi)
GNUPLOT
    fail "gnuplot could not draw '$trace': $(tail -n 3 gnuplot.log)"
fi
[[ -s picture.png ]] || fail "gnuplot drew nothing for '$trace'"
cd - >/dev/null
# Moved into place whole, so that a failed run leaves no half-written picture.
mv -- "$work/picture.png" "$out" || fail "cannot write '$out'"
echo "$me: wrote $out ($tasks tasks)"
