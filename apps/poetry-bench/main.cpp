// poetry-bench: load a poetry or transform server and report what it took.
#include "cpu_usage.hpp"
#include "load.hpp"
#include "report.hpp"

#include "poetry/address.hpp"
#include "poetry/cli.hpp"
#include "poetry/netstring.hpp"
#include "poetry/poem_file.hpp"
#include "poetry/resources.hpp"
#include "poetry/transforms.hpp"

#include <boost/asio/io_context.hpp>

#include <csignal>
#include <optional>
#include <thread>
#include <iostream>

namespace po = boost::program_options;
using namespace poetry;

namespace {

struct bench_options
{
    std::string mode;
    std::string address;
    std::size_t connections = 32;
    std::uint64_t cycles = 0;
    double duration = 5;
    double time_limit = 60;
    std::size_t connect_burst = 512;
    unsigned threads = 1;
    std::string expect_file;
    std::size_t expect_bytes = 0;
    std::string poem_file;
    std::string heavy_poem_file;
    std::size_t heavy_connections = 4;
    std::string transform = "cummingsify";
    std::vector<pid_t> server_pids;
};

std::string
read_file_option(const std::string& path, std::string_view option)
{
    error_code ec;
    std::string text = read_poem_file(path, ec);
    if (ec)
        throw cli::usage_error("cannot read " + std::string(option) + " '" + path + "': " + ec.message());
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
        throw cli::usage_error("cannot resolve '" + server.host + "': " + ec.message());
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
    const std::string transformed = transform(poem, ec);
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
    if (options.heavy_connections == 0)
        throw cli::usage_error("invalid --heavy-connections '0': at least one is needed");
    load::load_plan heavy = measured;
    heavy.in_flight = options.heavy_connections;
    heavy.cycles = 0; // for as long as the measured load runs
    if (measured.cycles != 0)
        throw cli::usage_error("--heavy-poem runs for --duration: leave out --cycles");
    plan_transform(heavy, options, options.heavy_poem_file, "--heavy-poem");
    return heavy;
}

load::load_plan
make_plan(const bench_options& options)
{
    if (options.mode != "fetch" && options.mode != "hold" && options.mode != "xform")
        throw cli::usage_error("invalid mode '" + options.mode + "': use fetch, hold or xform");
    if (options.connections == 0)
        throw cli::usage_error("invalid --connections '0': at least one is needed");
    if (options.threads == 0 || options.threads > options.connections)
        throw cli::usage_error("invalid --threads '" + std::to_string(options.threads) +
                               "': from 1 to the number of connections");
    if (options.connect_burst == 0)
        throw cli::usage_error("invalid --connect-burst '0': at least one is needed");

    load::load_plan plan;
    plan.server = resolve(options.address);
    plan.in_flight = options.connections;
    plan.cycles = options.cycles;
    plan.duration = cli::seconds_value(options.duration, "--duration");
    plan.time_limit = cli::seconds_value(options.time_limit, "--time-limit");
    plan.connect_burst = options.connect_burst;
    if (options.cycles != 0 && options.cycles < options.threads)
        throw cli::usage_error("invalid --cycles '" + std::to_string(options.cycles) + "': fewer than --threads");
    plan.repeat = options.mode != "hold";
    if (plan.repeat && plan.cycles == 0 && plan.duration == clock::duration::zero())
        throw cli::usage_error("invalid --duration '0': give a duration or --cycles");

    if (options.mode == "xform")
    {
        if (options.poem_file.empty())
            throw cli::usage_error("xform needs --poem FILE: the poem to send");
        plan_transform(plan, options, options.poem_file, "--poem");
    }
    else if (!options.expect_file.empty())
        plan.expected_reply = read_file_option(options.expect_file, "--expect");
    if (options.expect_bytes != 0)
        plan.expected_size = options.expect_bytes;
    return plan;
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
        options.add_options()                                                                            //
            ("connections,c", po::value(&values.connections)->value_name("K")->default_value(32),        //
             "connections in flight (hold: connections in all)")                                         //
            ("cycles,n", po::value(&values.cycles)->value_name("N"),                                     //
             "stop after N connections (fetch, xform)")                                                 //
            ("duration,d", po::value(&values.duration)->value_name("SECONDS")->default_value(5),         //
             "stop starting connections after this long, unless --cycles is given")                      //
            ("expect", po::value(&values.expect_file)->value_name("FILE"),                               //
             "every reply must be exactly this file (fetch, hold)")                                     //
            ("expect-bytes", po::value(&values.expect_bytes)->value_name("N"),                           //
             "every reply must be N bytes long")                                                         //
            ("poem", po::value(&values.poem_file)->value_name("FILE"), "the poem xform sends")           //
            ("transform", po::value(&values.transform)->value_name("NAME")->default_value("cummingsify"), //
             "the transform xform asks for")                                                             //
            ("heavy-poem", po::value(&values.heavy_poem_file)->value_name("FILE"),                       //
             "xform: meanwhile, send requests for this (long) poem back to back on connections of their "
             "own; only --poem's requests are measured")                                                 //
            ("heavy-connections", po::value(&values.heavy_connections)->value_name("K")->default_value(4), //
             "connections sending --heavy-poem")                                                         //
            ("server-pid", po::value(&values.server_pids)->value_name("PID"),            //
             "report the CPU time these processes used during the run")                                 //
            ("time-limit", po::value(&values.time_limit)->value_name("SECONDS")->default_value(60),      //
             "close connections still open this long after the run's start (after --duration)")          //
            ("connect-burst", po::value(&values.connect_burst)->value_name("N")->default_value(512),    //
             "hold: connections not yet served (no byte received) at once")                                             //
            ("threads", po::value(&values.threads)->value_name("N")->default_value(1),                    //
             "share the connections among N threads, each with its own event loop");
        po::options_description hidden;
        hidden.add_options()("mode", po::value(&values.mode)->required(), "")(
            "address", po::value(&values.address)->required(), "");
        po::positional_options_description positional;
        positional.add("mode", 1).add("address", 1);

        if (!cli::parse(argc, argv, info, options, hidden, positional))
            return 0;
        const load::load_plan plan = make_plan(values);
        const auto heavy_plan = make_heavy_plan(plan, values);

        std::signal(SIGPIPE, SIG_IGN);
        raise_open_file_limit();
        const auto server_before = load::processes_cpu_seconds(values.server_pids);
        const double client_before = load::own_cpu_seconds();
        load::load_result heavy;
        std::optional<std::jthread> heavy_load;
        if (heavy_plan)
            heavy_load.emplace([&] { heavy = load::run_load(*heavy_plan); });
        const load::load_result result = load::run_load(plan, values.threads);
        heavy_load.reset(); // joins
        const auto server_after = load::processes_cpu_seconds(values.server_pids);

        load::cpu_figures cpu;
        cpu.client = load::own_cpu_seconds() - client_before;
        if (!values.server_pids.empty())
        {
            if (!server_before || !server_after)
                throw cli::runtime_failure("cannot read the CPU time of every --server-pid process");
            cpu.server = *server_after - *server_before;
        }
        if (heavy_plan)
            load::print_heavy_line(std::cout, *heavy_plan, heavy);
        load::print_report(std::cout, values.mode, plan, result, cpu);
        const bool heavy_ok = !heavy_plan || (heavy.errors == 0 && heavy.mismatches == 0);
        return result.errors == 0 && result.mismatches == 0 && result.completed > 0 && heavy_ok ? 0
                                                                                                : cli::exit_failure;
    });
}
