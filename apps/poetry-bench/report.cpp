#include "report.hpp"

#include "poetry/io/endpoint.hpp"

#include <algorithm>
#include <cstdio>
#include <ostream>

namespace poetry::load {
namespace {

// `value` with `decimals` digits after the point.
std::string
fixed(double value, int decimals)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string
milliseconds(std::uint32_t us)
{
    return fixed(us / 1000.0, 2) + " ms";
}

} // namespace

latency_summary
summarize_latencies(std::vector<std::uint32_t> latencies_us)
{
    if (latencies_us.empty())
        return {};
    // Nearest rank: the smallest latency that at least P% of cycles did not exceed.
    const auto rank = [&](double share) {
        const auto index = static_cast<std::size_t>(share * static_cast<double>(latencies_us.size()) + 0.999999);
        auto at = latencies_us.begin() +
                  static_cast<std::ptrdiff_t>(std::clamp<std::size_t>(index, 1, latencies_us.size()) - 1);
        std::nth_element(latencies_us.begin(), at, latencies_us.end());
        return *at;
    };
    latency_summary summary;
    summary.p50 = rank(0.50);
    summary.p99 = rank(0.99);
    summary.max = *std::max_element(latencies_us.begin(), latencies_us.end());
    return summary;
}

void
print_heavy_line(std::ostream& out, const load_plan& heavy, const load_result& result)
{
    const auto latency = summarize_latencies(result.latencies_us);
    out << "  heavy       " << heavy.in_flight << " connections of "
        << fixed(static_cast<double>(heavy.request.size()) / 1e6, 1) << " MB requests: " << result.completed
        << " completed, p50 " << milliseconds(latency.p50) << ", errors " << result.errors << ", mismatches "
        << result.mismatches << "\n";
    for (const auto& [kind, count] : result.error_kinds)
        out << "    " << count << " x " << kind << "\n";
}

void
print_report(std::ostream& out, const std::string& mode, const load_plan& plan, const load_result& result,
             const cpu_figures& cpu)
{
    const auto latency = summarize_latencies(result.latencies_us);
    const double seconds = std::max(result.seconds, 1e-9);
    const double rate = static_cast<double>(result.completed) / seconds;
    const double mbps = static_cast<double>(result.bytes) / seconds / 1e6;
    const double cycles = static_cast<double>(std::max<std::uint64_t>(result.completed, 1));
    const double client_us = cpu.client / cycles * 1e6;

    out << mode << " " << to_string(plan.server) << ": " << plan.in_flight
        << (plan.repeat ? " connections in flight" : " connections at once") << ", " << fixed(result.seconds, 2) << " s"
        << "\n"
        << "  completed   " << result.completed << " (" << fixed(rate, 0) << "/s)"
        << "\n"
        << "  received    " << fixed(static_cast<double>(result.bytes) / 1e6, 1) << " MB"
        << " (" << fixed(mbps, 1) << " MB/s)"
        << "\n"
        << "  latency     p50 " << milliseconds(latency.p50) << ", p99 " << milliseconds(latency.p99) << ", max "
        << milliseconds(latency.max) << "\n"
        << "  errors      " << result.errors << ", mismatches " << result.mismatches << "\n";
    for (const auto& [kind, count] : result.error_kinds)
        out << "    " << count << " x " << kind << "\n";
    // Per cycle means nothing when no cycle completed: say so rather than divide by one.
    const auto per_cycle = [&](double seconds_used) {
        return result.completed == 0 ? std::string("n/a (no cycle completed)")
                                     : fixed(seconds_used / cycles * 1e6, 2) + " us per cycle";
    };
    out << "  client cpu  " << per_cycle(cpu.client) << "\n";
    if (cpu.server)
        out << "  server cpu  " << per_cycle(*cpu.server) << " (" << fixed(*cpu.server, 2) << " s in all)"
            << "\n";

    out << "RESULT mode=" << mode << " completed=" << result.completed << " errors=" << result.errors
        << " mismatches=" << result.mismatches << " seconds=" << fixed(result.seconds, 3) << " rate=" << fixed(rate, 0)
        << " mbps=" << fixed(mbps, 2) << " p50_us=" << latency.p50 << " p99_us=" << latency.p99
        << " max_us=" << latency.max << " client_cpu_us=" << fixed(client_us, 2);
    if (cpu.server)
        out << " server_cpu_us=" << fixed(*cpu.server / cycles * 1e6, 2);
    out << std::endl;
}

} // namespace poetry::load
