// poetry-bench: load a poetry or transform server and report what it took.
#include "cpu_usage.hpp"
#include "load.hpp"
#include "report.hpp"

#include "common/cli.hpp"
#include "common/resources.hpp"
#include "poetry/io/poem_file.hpp"
#include "poetry/protocol/address.hpp"
#include "poetry/protocol/netstring.hpp"
#include "poetry/protocol/transforms.hpp"

#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <limits>
#include <optional>
#include <thread>

namespace po = boost::program_options;
using namespace poetry;

namespace {

// The command line as typed; numbers are parsed once, with their ranges, in make_run.
struct bench_options
{
    std::string mode;
    std::string address;
    std::string connections = "32";
    std::optional<std::string> cycles; // none: run for --duration
    std::string duration = "5";
    std::string time_limit = "60";
    std::string connect_burst = "512";
    std::string threads = "1";
    std::string expect_file;
    std::optional<std::string> expect_bytes; // none: any size
    std::string poem_file;
    std::string heavy_poem_file;
    std::string heavy_connections = "4";
    std::string transform = "cummingsify";
    std::vector<std::string> server_pids;
};

// What a run does, parsed from the options.
struct bench_run
{
    load::load_plan plan;
    unsigned threads = 1;
    std::vector<pid_t> server_pids;
    std::optional<load::load_plan> heavy;
};

// Limits that keep a run within what one machine can open and count.
constexpr std::uint64_t most_connections = 1'000'000;
constexpr std::uint64_t most_threads = 256;
constexpr std::uint64_t most_cycles = std::uint64_t{1} << 40;
constexpr std::uint64_t largest_pid = 4'194'304; // the kernel's pid_max ceiling

std::string
read_file_option(const std::string& path, std::string_view option)
{
    error_code ec;
    std::string text = read_poem_file(path, ec);
    if (ec)
        throw cli::runtime_failure("cannot read " + std::string(option) + " '" + path + "': " + ec.message());
    return text;
}

tcp::endpoint
resolve(const std::string& text)
{
    error_code ec;
    const address server = parse_address(text, ec);
    if (ec)
        throw cli::usage_error("invalid address '" + text + "': " + ec.message());
    asio::io_context ctx;
    tcp::resolver resolver(ctx);
    const auto results = resolver.resolve(server.host, std::to_string(server.port), ec);
    if (ec || results.empty())
        throw cli::runtime_failure("cannot resolve '" + server.host + "': " + ec.message());
    return results.begin()->endpoint();
}

// The xform request for the poem in `poem_file`, and the reply a correct server sends back.
void
plan_transform(load::load_plan& plan, const bench_options& options, const std::string& poem_file,
               std::string_view option)
{
    const std::string poem = read_file_option(poem_file, option);
    const auto transform = find_transform(options.transform);
    if (!transform)
        throw cli::usage_error("unknown --transform '" + options.transform + "'");
    error_code ec;
    const std::string transformed = transform->function(poem, ec);
    if (ec)
        throw cli::usage_error("cannot " + options.transform + " '" + poem_file + "': " + ec.message());
    plan.request = netstring_encode(options.transform + "." + poem);
    plan.expected_reply = netstring_encode(transformed);
}

// With --heavy-poem: the background load, long requests back to back on their own connections.
std::optional<load::load_plan>
make_heavy_plan(const load::load_plan& measured, const bench_options& options)
{
    if (options.heavy_poem_file.empty())
        return std::nullopt;
    if (options.mode != "xform")
        throw cli::usage_error("--heavy-poem goes with xform");
    if (measured.cycles != 0)
        throw cli::usage_error("--heavy-poem runs for --duration: leave out --cycles");
    load::load_plan heavy = measured;
    heavy.in_flight = cli::count_value(options.heavy_connections, "--heavy-connections", 1, most_connections);
    heavy.cycles = 0; // for as long as the measured load runs
    plan_transform(heavy, options, options.heavy_poem_file, "--heavy-poem");
    return heavy;
}

// Descriptors the run needs besides its connections: standard streams, epoll, a few files.
constexpr std::size_t reserved_descriptors = 32;

bench_run
make_run(const bench_options& options)
{
    if (options.mode != "fetch" && options.mode != "hold" && options.mode != "xform")
        throw cli::usage_error("invalid mode '" + options.mode + "': use fetch, hold or xform");

    bench_run run;
    load::load_plan& plan = run.plan;
    plan.in_flight = cli::count_value(options.connections, "--connections", 1, most_connections);
    run.threads = static_cast<unsigned>(cli::count_value(options.threads, "--threads", 1,
                                                         std::min<std::uint64_t>(most_threads, plan.in_flight),
                                                         "a number of threads (at most --connections)"));
    if (options.cycles)
        plan.cycles = cli::count_value(*options.cycles, "--cycles", run.threads, most_cycles,
                                       "a number of cycles (at least --threads)");
    plan.duration = cli::seconds_value(options.duration, "--duration");
    plan.time_limit = cli::seconds_value(options.time_limit, "--time-limit");
    plan.connect_burst = cli::count_value(options.connect_burst, "--connect-burst", 1, most_connections);
    for (const auto& pid : options.server_pids)
        run.server_pids.push_back(static_cast<pid_t>(cli::count_value(pid, "--server-pid", 1, largest_pid)));
    plan.repeat = options.mode != "hold";
    if (plan.repeat && plan.cycles == 0 && plan.duration == clock::duration::zero())
        throw cli::usage_error("invalid --duration '" + options.duration + "': give a duration or --cycles");

    if (options.mode == "xform")
    {
        if (options.poem_file.empty())
            throw cli::usage_error("xform needs --poem FILE: the poem to send");
        plan_transform(plan, options, options.poem_file, "--poem");
    }
    else if (!options.expect_file.empty())
        plan.expected_reply = read_file_option(options.expect_file, "--expect");
    if (options.expect_bytes)
        plan.expected_size =
            cli::count_value(*options.expect_bytes, "--expect-bytes", 0, std::numeric_limits<std::size_t>::max());
    run.heavy = make_heavy_plan(plan, options);
    // Last: a name is resolved only for a command line that is otherwise right.
    plan.server = resolve(options.address);
    if (run.heavy)
        run.heavy->server = plan.server;
    return run;
}

} // namespace

int
main(int argc, char** argv)
{
    return cli::run("poetry-bench", [&] {
        const cli::program_info info{
            "poetry-bench", "MODE [options] ADDRESS",
            "Load the server at ADDRESS ([host:]port) and report rate, throughput, latency and errors.\n"
            "Modes:\n"
            "  fetch  keep CONNECTIONS in flight, each connecting and reading to end-of-file\n"
            "  hold   open CONNECTIONS at once (a slow server) and read each to end-of-file\n"
            "  xform  keep CONNECTIONS in flight, each sending a transform request for --poem\n"
            "The last line, RESULT ..., holds the figures as key=value pairs. With --server-pid the\n"
            "server's CPU time per cycle is reported too. Exit status 1 when any connection failed\n"
            "or received the wrong reply.\n"
            "Example: poetry-bench fetch --duration 5 --expect poetry/harbour-lights.txt 10002"};
        bench_options values;
        po::options_description options("Options");
        options.add_options()                                                                                     //
            ("connections,c", po::value(&values.connections)->value_name("K")->default_value(values.connections), //
             "connections in flight (hold: connections in all)")                                                  //
            ("cycles,n", po::value<std::string>()->value_name("N"),                                               //
             "stop after N connections (fetch, xform)")                                                           //
            ("duration,d", po::value(&values.duration)->value_name("SECONDS")->default_value(values.duration),    //
             "stop starting connections after this long, unless --cycles is given")                               //
            ("expect", po::value(&values.expect_file)->value_name("FILE"),                                        //
             "every reply must be exactly this file (fetch, hold)")                                               //
            ("expect-bytes", po::value<std::string>()->value_name("N"),                                           //
             "every reply must be N bytes long")                                                                  //
            ("poem", po::value(&values.poem_file)->value_name("FILE"), "the poem xform sends")                    //
            ("transform", po::value(&values.transform)->value_name("NAME")->default_value("cummingsify"),         //
             "the transform xform asks for")                                                                      //
            ("heavy-poem", po::value(&values.heavy_poem_file)->value_name("FILE"),                                //
             "xform: meanwhile, send requests for this (long) poem back to back on connections of their "
             "own; only --poem's requests are measured") //
            ("heavy-connections",
             po::value(&values.heavy_connections)->value_name("K")->default_value(values.heavy_connections),          //
             "connections sending --heavy-poem")                                                                      //
            ("server-pid", po::value(&values.server_pids)->value_name("PID"),                                         //
             "report the CPU time these processes used during the run")                                               //
            ("time-limit", po::value(&values.time_limit)->value_name("SECONDS")->default_value(values.time_limit),    //
             "close connections still open this long after the run's start (after --duration)")                       //
            ("connect-burst", po::value(&values.connect_burst)->value_name("N")->default_value(values.connect_burst), //
             "hold: connections not yet served (no byte received) at once")                                           //
            ("threads", po::value(&values.threads)->value_name("N")->default_value(values.threads),                   //
             "share the connections among N threads, each with its own event loop");
        po::options_description hidden;
        hidden.add_options()("mode", po::value(&values.mode), "")("address", po::value(&values.address), "");
        po::positional_options_description positional;
        positional.add("mode", 1).add("address", 1);

        const auto given = cli::parse(argc, argv, info, options, hidden, positional);
        if (!given)
            return 0;
        for (auto [name, value] :
             {std::pair{"cycles", &values.cycles}, std::pair{"expect-bytes", &values.expect_bytes}})
            if (given->count(name))
                *value = (*given)[name].as<std::string>();
        if (values.mode.empty() || values.address.empty())
            throw cli::usage_error("give a MODE (fetch, hold or xform) and the server's ADDRESS\nUsage: poetry-bench " +
                                   info.synopsis);
        const bench_run run = make_run(values);
        const load::load_plan& plan = run.plan;
        const auto& heavy_plan = run.heavy;

        std::signal(SIGPIPE, SIG_IGN);
        raise_open_file_limit();
        // Every connection in flight holds a descriptor: more than the limit would only spin on EMFILE.
        const std::size_t needed = plan.in_flight + (heavy_plan ? heavy_plan->in_flight : 0) + reserved_descriptors;
        if (needed > open_file_limit())
            throw cli::runtime_failure("--connections " + std::to_string(plan.in_flight) + " needs " +
                                       std::to_string(needed) + " open files, and this process may open " +
                                       std::to_string(open_file_limit()) + " ('ulimit -n'): give fewer connections");
        const auto server_before = load::processes_cpu_seconds(run.server_pids);
        const double client_before = load::own_cpu_seconds();
        load::load_result heavy;
        std::optional<std::jthread> heavy_load;
        if (heavy_plan)
            heavy_load.emplace([&] { heavy = load::run_load(*heavy_plan); });
        const load::load_result result = load::run_load(plan, run.threads);
        heavy_load.reset(); // joins
        const auto server_after = load::processes_cpu_seconds(run.server_pids);

        load::cpu_figures cpu;
        cpu.client = load::own_cpu_seconds() - client_before;
        if (!run.server_pids.empty())
        {
            if (!server_before || !server_after)
                throw cli::runtime_failure("cannot read the CPU time of every --server-pid process");
            cpu.server = *server_after - *server_before;
        }
        if (heavy_plan)
            load::print_heavy_line(std::cout, *heavy_plan, heavy);
        load::print_report(std::cout, values.mode, plan, result, cpu);
        const bool heavy_ok = !heavy_plan || (heavy.errors == 0 && heavy.mismatches == 0);
        return result.errors == 0 && result.mismatches == 0 && result.completed > 0 && heavy_ok ? 0 : cli::exit_failure;
    });
}
