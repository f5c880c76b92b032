// transformedpoetry: a transform server; reads "LEN:NAME.POEM," and answers with the transformed poem.
#include "poetry/cli.hpp"
#include "poetry/server.hpp"
#include "poetry/sessions.hpp"

#include <random>

namespace po = boost::program_options;
using namespace poetry;

int
main(int argc, char** argv)
{
    return cli::run("transformedpoetry", [&] {
        const cli::program_info info{
            "transformedpoetry", "[options]",
            "Serve transforms over netstrings: a client sends one request 'LEN:NAME.POEM,' and gets\n"
            "one netstring back with the transformed poem. The one transform is 'cummingsify'.\n"
            "Example: transformedpoetry --port 10001\n"
            "         printf '27:cummingsify.HERE IS MY POEM,' | nc -q1 127.0.0.1 10001"};
        cli::server_options server;
        std::size_t max_length = default_max_netstring_length;
        double idle_timeout = 30;
        double fail_rate = 0;
        std::uint64_t seed = 0;
        po::options_description options("Options");
        cli::add_server_options(options, server);
        cli::add_threads_option(options, server);
        options.add_options()                                                                           //
            ("max-length", po::value(&max_length)->value_name("BYTES")->default_value(max_length),      //
             "longest request accepted; longer ones are refused as soon as their length is read")      //
            ("idle-timeout", po::value(&idle_timeout)->value_name("SECONDS")->default_value(30),        //
             "close a connection that makes no progress for this long; 0: never")                       //
            ("fail-rate", po::value(&fail_rate)->value_name("P")->default_value(0),                     //
             "share of requests, 0 to 1, that fail on purpose (closed without an answer)")             //
            ("seed", po::value(&seed)->value_name("N"),
             "seed for --fail-rate, to repeat a run's failures (with one thread)");

        const auto values = cli::parse(argc, argv, info, options);
        if (!values)
            return 0;
        transform_server_config config;
        config.max_length = max_length;
        config.idle_timeout = cli::seconds_value(idle_timeout, "--idle-timeout");
        config.fail_rate = cli::share_value(fail_rate, "--fail-rate");
        const bool seeded = values->count("seed") != 0;

        // Each thread draws its failures from a generator of its own.
        listener_options tuning;
        tuning.cork_replies = true; // every connection is answered once, then closed
        serve(
            server, "transforms",
            [&](unsigned thread) -> listener::session_starter {
            auto own = config;
            own.random = std::make_shared<std::mt19937_64>(seeded ? seed + thread : std::random_device{}());
            return [own](accepted_socket socket, connection_slot slot) {
                start_transform_session(std::move(socket), std::move(slot), own);
            };
        },
            tuning);
        return 0;
    });
}
