// The load generator behind poetry-bench: many connections against one server.
#pragma once

#include "poetry/io/asio.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace poetry::load {

/// What every connection of a run does, and how many run at once.
struct load_plan
{
    tcp::endpoint server;

    /// Connections open at the same time.
    std::size_t in_flight = 32;

    /// Stop starting connections after this many; zero: run for `duration`.
    std::uint64_t cycles = 0;
    clock::duration duration = std::chrono::seconds(5);

    /// Repeat each connection until the run ends (fetch, xform), or open each once (hold).
    bool repeat = true;

    /// Connections not yet served (no byte received) at once when not repeating: more than
    /// the server can accept would overflow its listen queue and measure SYN retransmits.
    std::size_t connect_burst = 512;

    /// Sent as soon as a connection opens (a transform request); empty: send nothing.
    std::string request;

    /// The reply each connection must receive: its exact bytes, or only its size.
    std::optional<std::string> expected_reply;
    std::optional<std::size_t> expected_size;

    /// Connections still open this long after the run started are closed and counted as errors.
    clock::duration time_limit = std::chrono::seconds(60);
};

/// What a run measured.
struct load_result
{
    std::uint64_t completed = 0;             // connections that ended with end-of-file
    std::uint64_t errors = 0;                // connect or read failures, and connections cut at the grace limit
    std::uint64_t mismatches = 0;            // replies that differ from the expected bytes or size
    std::uint64_t bytes = 0;                 // every byte received
    double seconds = 0;                      // from the first connection to the last one's end
    std::vector<std::uint32_t> latencies_us; // connect start to end-of-file, one per completed cycle
    std::map<std::string, std::uint64_t> error_kinds; // "connect: Connection refused" -> count
};

/// Run `plan` until every connection has ended, on `threads` threads that share its
/// connections (and cycles) between them, each with an event loop of its own.
load_result run_load(const load_plan& plan, unsigned threads = 1);

} // namespace poetry::load
