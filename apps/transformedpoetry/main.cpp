// transformedpoetry: a transform server; reads "LEN:NAME.POEM," and answers with the transformed poem.
#include "common/server_main.hpp"
#include "poetry/protocol/transforms.hpp"

#include <algorithm>
#include <iostream>
#include <limits>
#include <thread>

namespace po = boost::program_options;
using namespace poetry;

namespace {

// Requests longer than a gibibyte are no poems; the bound keeps every size well inside memory.
constexpr std::uint64_t largest_max_length = 1024 * 1024 * 1024;
constexpr std::uint64_t largest_max_buffered = std::uint64_t{1} << 40;
constexpr std::uint64_t most_workers = 64;

// One worker per core but the one the event loop needs; at least one.
unsigned
default_workers()
{
    return std::max(1u, std::thread::hardware_concurrency() - 1);
}

} // namespace

int
main(int argc, char** argv)
{
    const cli::server_program program{
        .info = {"transformedpoetry", "[options]",
                 "Serve transforms over netstrings: a client sends one request 'LEN:NAME.POEM,' and gets\n"
                 "one netstring back with the transformed poem. The one transform is 'cummingsify'.\n"
                 "Example: transformedpoetry --port 10001\n"
                 "         printf '27:cummingsify.HERE IS MY POEM,' | nc -q1 127.0.0.1 10001"},
        .verbose_steps = "what each request asks for (\"asks for cummingsify of 653 bytes\")",
        .threads = true,
        .operand = {}};
    std::string max_length = std::to_string(default_max_netstring_length);
    std::string max_buffered = std::to_string(default_max_buffered);
    std::string workers = std::to_string(default_workers());
    std::string idle_timeout = "30";
    std::string request_timeout = "60";
    std::string fail_rate = "0";
    std::string seed;
    po::options_description own;
    own.add_options()                                                                          //
        ("max-length", po::value(&max_length)->value_name("BYTES")->default_value(max_length), //
         "longest request accepted (at most 1073741824); longer ones are refused as soon as their "
         "length is read")                                                                           //
        ("max-buffered", po::value(&max_buffered)->value_name("BYTES")->default_value(max_buffered), //
         "requests and replies held in memory at once, by all connections together, an eighth "
         "kept for requests under 64 KiB that arrived whole, up to a quarter kept after long "
         "requests for the next ones (freed when none takes them for 10 s); a request that "
         "would pass it is refused")                                                                            //
        ("idle-timeout", po::value(&idle_timeout)->value_name("SECONDS")->default_value(idle_timeout),          //
         "close a connection that makes no progress for this long; 0: never")                                   //
        ("request-timeout", po::value(&request_timeout)->value_name("SECONDS")->default_value(request_timeout), //
         "close a connection whose request is not complete this long after it connected, however "
         "steadily it trickles in; 0: never")                                     //
        ("workers", po::value(&workers)->value_name("N")->default_value(workers), //
         "threads that run long transforms (64 KiB and more) off the event loop, so that they "
         "never stall other clients; 0: transform on the event loop")                   //
        ("fail-rate", po::value(&fail_rate)->value_name("P")->default_value(fail_rate), //
         "share of requests, 0 to 1, that fail on purpose (closed without an answer)")  //
        ("seed", po::value(&seed)->value_name("N"),
         "seed for --fail-rate, to repeat a run's failures (with one thread)") //
        ("list", "print the transforms this server offers, one per line, and exit");

    return cli::run_server(argc, argv, program, own, [&](cli::server_command& command) {
        if (command.values.count("list"))
        {
            for (const auto& transform : offered_transforms())
                std::cout << transform.name << "  " << transform.summary << "\n";
            return 0;
        }
        transform_server_config config;
        config.max_length = cli::count_value(max_length, "--max-length", 0, largest_max_length);
        config.buffers = make_request_budget(cli::count_value(max_buffered, "--max-buffered", 1, largest_max_buffered));
        config.idle_timeout = cli::seconds_value(idle_timeout, "--idle-timeout");
        config.request_timeout = cli::seconds_value(request_timeout, "--request-timeout");
        config.fail_rate = cli::share_value(fail_rate, "--fail-rate");
        if (command.values.count("seed"))
            config.seed = cli::count_value(seed, "--seed", 0, std::numeric_limits<std::uint64_t>::max());
        if (const auto count = cli::count_value(workers, "--workers", 0, most_workers))
            config.workers = std::make_shared<asio::thread_pool>(count);
        return cli::serve(command, std::move(config), "transforms");
    });
}
