#!/usr/bin/env bash
# Draw a client's --trace CSV as a timeline: one lane per task, a tick for
# every chunk received, a triangle where the transform request went out, a
# dot where the poem was done, and failures in red.
#
#   scripts/timeline.sh TRACE.csv [OUT.png]     (default OUT: TRACE.png)
#
# The picture is 1000 pixels wide and 120 + 30 per task high (at most 4000).
set -euo pipefail

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; }
case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    "") usage >&2; exit 2 ;;
esac
trace=$1
out=${2:-${trace%.csv}.png}
if [[ ! -r $trace ]]; then
    echo "timeline.sh: cannot read trace '$trace'" >&2
    exit 2
fi
if [[ "$(head -n 1 "$trace")" != "seconds,task,address,event,bytes" ]]; then
    echo "timeline.sh: '$trace' is not a client trace (its first line should be the CSV header)" >&2
    exit 2
fi

if ! command -v gnuplot >/dev/null; then
    if [[ $(id -u) -ne 0 ]]; then
        echo "timeline.sh: gnuplot is missing; install gnuplot-nox (as root) and try again" >&2
        exit 1
    fi
    echo "timeline.sh: installing gnuplot-nox"
    if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox; } \
        >/tmp/poetry-timeline-install.log 2>&1; then
        echo "timeline.sh: could not install gnuplot-nox; see /tmp/poetry-timeline-install.log" >&2
        exit 1
    fi
fi

work=$(mktemp -d /tmp/poetry-timeline.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Per task: first and last time, its address, and whether it failed.
awk -F, 'NR > 1 {
    t = $2
    if (!(t in first)) { first[t] = $1; addr[t] = $3 }
    last[t] = $1
    if ($4 == "failed") failed[t] = 1
} END {
    for (t in first) printf "%d,%s,%s,%d,%s\n", t, first[t], last[t], (t in failed), addr[t]
}' "$trace" | sort -t, -n >"$work/lanes"
tasks=$(wc -l <"$work/lanes")
if ((tasks == 0)); then
    echo "timeline.sh: '$trace' has no events" >&2
    exit 2
fi
height=$((120 + 30 * tasks))
((height > 4000)) && height=4000

# Label each lane with its task and address.
ytics=$(awk -F, '{ printf "%s\"%d %s\" %d", (NR > 1 ? ", " : ""), $1, $5, $1 }' "$work/lanes")

gnuplot <<GNUPLOT
set terminal pngcairo size 1000,$height font "sans,9"
set output "$out.partial"
set datafile separator ","
set title "Poetry client timeline"
set xlabel "seconds since start"
set yrange [0.3:$tasks + 0.7]
set ytics ($ytics)
set grid xtics
set key outside bottom center horizontal
lane(ev, want) = (strcol(4) eq want) ? column(2) : 1/0
plot "$work/lanes" using 2:1:(\$3 - \$2):(0) with vectors nohead lw 8 lc rgb "#d8d8d8" title "task", \
     "$trace" using 1:(lane(4, "bytes") - 0.25):(0):(0.5) every ::1 with vectors nohead lw 1.5 lc rgb "#1f77b4" title "bytes received", \
     "$trace" using 1:(lane(4, "transform")) every ::1 with points pt 9 ps 1.4 lc rgb "#2ca02c" title "transform sent", \
     "$trace" using 1:(lane(4, "done")) every ::1 with points pt 7 ps 1.2 lc rgb "#000000" title "done", \
     "$trace" using 1:(lane(4, "failed")) every ::1 with points pt 2 ps 1.6 lw 2 lc rgb "#d62728" title "download failed", \
     "$trace" using 1:(lane(4, "transform-failed")) every ::1 with points pt 2 ps 1.6 lw 2 lc rgb "#ff7f0e" title "transform failed"
GNUPLOT
# Written under another name first, so that a failed run leaves no half-written picture.
mv "$out.partial" "$out"
echo "timeline.sh: wrote $out ($tasks tasks)"
