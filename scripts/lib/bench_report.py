#!/usr/bin/python3
"""The benchmark table: medians, ratios and verdicts from scripts/bench.sh's raw samples.

Usage: bench_report.py SAMPLES

SAMPLES holds one sample per line, "KEY VALUE" (a key may repeat: one line per run),
and "meta KEY TEXT" lines describing the run. Prints the Markdown table of
docs/benchmarks.md. The targets are the TARGETS table below: change a goal there.
"""

import operator
import statistics
import sys
from collections import defaultdict

COMPARE = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, "==": operator.eq}


def cond(value, op, goal):
    """One condition of a verdict: `value` compared with `goal` by `op`, or its result in words."""
    return (value, op, goal)


# Each target: its figure number, what is measured, how ours and the baseline read,
# the ratio (ours / baseline) when there is one, the goal in words, and the
# conditions that must all hold for "met" (none: no verdict).
def targets(m, meta):
    small = meta["small_bytes"]
    heavy = meta["heavy_mib"]
    hold_p99 = m["hold.p99_us"] / 1e6
    hold_ideal = (int(m["hold.chunks"]) - 1) * 0.1
    hold_rss = m["hold.rss_kib"] / 1024
    hold_c_p99 = m["hold_c.p99_us"] / 1e6
    p99_workers, p99_inline = m["mixed.p99_us_workers"] / 1000, m["mixed.p99_us_inline"] / 1000
    max_workers, max_inline = m["mixed.max_us_workers"] / 1000, m["mixed.max_us_inline"] / 1000
    client_rss = m["client.rss_kib"] / 1024
    ascii_mbs, mixed_mbs = m["micro.ascii_bytes_per_s"] / 1e6, m["micro.mixed_bytes_per_s"] / 1e6
    alphabet_ours, alphabet_icu = m["long.alphabet.server_bytes_per_s"] / 1e6, m["long.alphabet.icu_bytes_per_s"] / 1e6
    capitals_ours, capitals_icu = m["long.capitals.server_bytes_per_s"] / 1e6, m["long.capitals.icu_bytes_per_s"] / 1e6
    return [
        ("1", f"fastpoetry, {small} B, 32 in flight: server CPU per connection",
         f"{m['cpu.ours_small']:.2f} µs", f"{m['cpu.nginx_small']:.2f} µs", m["cpu.ours_small"] / m["cpu.nginx_small"],
         "≤ 1", [cond(m["cpu.ours_small"] / m["cpu.nginx_small"], "<=", 1)]),
        ("1", f"fastpoetry, {small} B: connections per second",
         f"{m['rate.ours_small']:.0f}", f"{m['rate.nginx_small']:.0f}", m["rate.ours_small"] / m["rate.nginx_small"],
         "≥ 1", [cond(m["rate.ours_small"] / m["rate.nginx_small"], ">=", 1)]),
        ("2", "fastpoetry, 1 MiB, 32 in flight: server CPU per fetch",
         f"{m['cpu.ours_big']:.2f} µs", f"{m['cpu.nginx_big']:.2f} µs", m["cpu.ours_big"] / m["cpu.nginx_big"],
         "≤ 0.7", [cond(m["cpu.ours_big"] / m["cpu.nginx_big"], "<=", 0.7)]),
        ("2", "fastpoetry, 1 MiB: throughput",
         f"{m['mbps.ours_big']:.2f} MB/s", f"{m['mbps.nginx_big']:.2f} MB/s", m["mbps.ours_big"] / m["mbps.nginx_big"],
         "", []),
        ("3", "slowpoetry, 10,000 clients connecting at once, 10 B every 0.1 s: p99 completion against a C epoll "
              "drip server",
         f"{hold_p99:.3f} s", f"C: {hold_c_p99:.3f} s", hold_p99 / hold_c_p99,
         "≤ 1.05", [cond(hold_p99 / hold_c_p99, "<=", 1.05), cond(m["hold.errors"], "==", 0),
                    cond(m["hold.mismatches"], "==", 0), cond(m["hold_c.errors"], "==", 0)]),
        ("3", "the same burst: listen-queue overflows (C server's beside), server CPU against the C server's",
         f"{m['hold.overflows']:.0f} overflows, {m['hold.cpu_ticks'] / 100:.2f} s",
         f"C: {m['hold_c.overflows']:.0f}, {m['hold_c.cpu_ticks'] / 100:.2f} s",
         m["hold.cpu_ticks"] / max(m["hold_c.cpu_ticks"], 1),
         "0, ≤ 1.1", [cond(m["hold.overflows"], "==", 0),
                      cond(m["hold.cpu_ticks"] / max(m["hold_c.cpu_ticks"], 1), "<=", 1.1)]),
        ("3", "the same against the schedule itself (a busy machine makes both late)",
         f"{hold_p99:.3f} s", f"ideal {hold_ideal:.1f} s", hold_p99 / hold_ideal, "", []),
        ("3", "slowpoetry, 10,000 clients: exact poems, peak RSS",
         f"{m['hold.completed']:.0f} exact, {m['hold.mismatches']:.0f} wrong, {hold_rss:.1f} MiB", "", None,
         "< 64 MiB", [cond(hold_rss, "<", 64), cond(m["hold.completed"], "==", 10000)]),
        ("4", f"transformedpoetry, {small} B, 32 in flight: server CPU per request",
         f"{m['cpu.xform']:.2f} µs", f"fetch {m['cpu.nginx_small']:.2f} µs", m["cpu.xform"] / m["cpu.nginx_small"],
         "≤ 1.3", [cond(m["cpu.xform"] / m["cpu.nginx_small"], "<=", 1.3)]),
        ("4", "transformedpoetry --workers 0, 14 MiB of the travellers-alphabet poem: server CPU per byte "
              "against ICU alone lower-casing the same text in memory",
         f"{alphabet_ours:.0f} MB/s", f"ICU alone {alphabet_icu:.0f} MB/s", alphabet_ours / alphabet_icu,
         "≥ 1.5", [cond(alphabet_ours / alphabet_icu, ">=", 1.5)]),
        ("4", "the same, 14 MiB of upper-case Greek and Cyrillic prose",
         f"{capitals_ours:.0f} MB/s", f"ICU alone {capitals_icu:.0f} MB/s", capitals_ours / capitals_icu,
         "≥ 1.5", [cond(capitals_ours / capitals_icu, ">=", 1.5)]),
        ("4", "cummingsify, ASCII", f"{ascii_mbs:.0f} MB/s", "", None, "≥ 2000 MB/s", [cond(ascii_mbs, ">=", 2000)]),
        ("4", "cummingsify, mixed scripts", f"{mixed_mbs:.0f} MB/s", "", None,
         "≥ 200 MB/s", [cond(mixed_mbs, ">=", 200)]),
        ("5", "get-poetry-7, 1,000 addresses: poems, wall time, peak RSS",
         f"{m['client.poems']:.0f} poems, {m['client.wall_s']:.2f} s, {client_rss:.1f} MiB", "", None,
         "1000, < 1 s, < 16 MiB", [cond(m["client.poems"], "==", 1000), cond(m["client.wall_s"], "<", 1),
                                   cond(client_rss, "<", 16)]),
        ("7", f"transformedpoetry, {small} B requests (4 in flight) while 4 connections send {heavy} MiB "
              "mixed-script ones: p99 latency",
         f"{p99_workers:.2f} ms", f"on the event loop (--workers 0): {p99_inline:.2f} ms", p99_workers / p99_inline,
         "< 5 ms", [cond(p99_workers, "<", 5)]),
        ("7", "the same: slowest short request",
         f"{max_workers:.2f} ms", f"on the event loop: {max_inline:.2f} ms", max_workers / max_inline, "", []),
        ("8", f"poetry-proxy, its cached {small} B poem, 32 in flight: server CPU per connection",
         f"{m['cpu.proxy']:.2f} µs", f"fastpoetry {m['cpu.ours_small']:.2f} µs", m["cpu.proxy"] / m["cpu.ours_small"],
         "≤ 1.1", [cond(m["cpu.proxy"] / m["cpu.ours_small"], "<=", 1.1)]),
        ("", "poetry-bench against a C epoll client, one core each: fetches per second",
         f"{m['bench.rate']:.0f}", f"C: {m['c.rate']:.0f}", m["bench.rate"] / m["c.rate"],
         "≥ 1", [cond(m["bench.rate"] / m["c.rate"], ">=", 1)]),
    ]


def read_samples(path):
    """The median of each key's samples, and the meta lines."""
    samples, meta = defaultdict(list), {}
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            key, _, value = line.strip().partition(" ")
            if not key:
                continue
            if key == "meta":
                name, _, text = value.partition(" ")
                meta[name] = text
                continue
            try:
                samples[key].append(float(value))
            except ValueError:
                sys.exit(f"bench_report: {path}:{number}: '{value}' is not a number (key {key})")
    return {key: statistics.median(values) for key, values in samples.items()}, meta


def verdict(conditions):
    if not conditions:
        return ""
    return "met" if all(COMPARE[op](value, goal) for value, op, goal in conditions) else "MISSED"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench_report.py SAMPLES")
    medians, meta = read_samples(sys.argv[1])
    try:
        rows = targets(medians, meta)
    except KeyError as missing:
        sys.exit(f"bench_report: no sample of {missing} in {sys.argv[1]}")
    print("| # | target | ours | nginx (same run) | ratio | goal | |")
    print("|---|---|---|---|---|---|---|")
    for number, what, ours, base, ratio, goal, conditions in rows:
        shown = "" if ratio is None else f"{ratio:.2f}"
        print(f"| {number} | {what} | {ours} | {base} | {shown} | {goal} | {verdict(conditions)} |")
    print()
    print(f"Median of {meta['runs']} runs of {meta['seconds']} s; fetch and transform runs keep 32 connections"
          " in flight")
    print(f"from 2 poetry-bench threads. {meta['cores']} cores ({meta['cpu']}),")
    print(f"Linux {meta['kernel']}, nginx {meta['nginx']}, {meta['date']}.")


if __name__ == "__main__":
    main()
