// What poetry-bench prints: a summary for people, then one line for scripts.
#pragma once

#include "load.hpp"

#include <iosfwd>
#include <optional>
#include <string>

namespace poetry::load {

/// CPU seconds spent during the run.
struct cpu_figures
{
    std::optional<double> server; // the processes named by --server-pid, if any
    double client = 0;            // poetry-bench itself
};

/// p50, p99 and max of the latencies, in microseconds (zero when there are none).
struct latency_summary
{
    std::uint32_t p50 = 0;
    std::uint32_t p99 = 0;
    std::uint32_t max = 0;
};

latency_summary summarize_latencies(std::vector<std::uint32_t> latencies_us);

/// The background load of an xform run with --heavy-poem, in one line:
/// "  heavy       4 connections of 14.0 MB requests: 31 completed, p50 410.00 ms, errors 0, mismatches 0"
void print_heavy_line(std::ostream& out, const load_plan& heavy, const load_result& result);

/** Print the run's figures, ending with one line of key=value pairs:

    RESULT mode=fetch completed=... errors=... mismatches=... seconds=... rate=... mbps=...
    p50_us=... p99_us=... max_us=... client_cpu_us=... [server_cpu_us=...]

    The *_cpu_us figures are per completed cycle.
*/
void print_report(std::ostream& out, const std::string& mode, const load_plan& plan, const load_result& result,
                  const cpu_figures& cpu);

} // namespace poetry::load
