// slowpoetry: a poetry server that drips the poem a few bytes at a time, to every client at once.
#include "common/cli.hpp"
#include "poetry/server/server.hpp"
#include "poetry/server/sessions.hpp"
#include "slowpoetry/blocking_server.hpp"

namespace po = boost::program_options;
using namespace poetry;

int
main(int argc, char** argv)
{
    return cli::run("slowpoetry", [&] {
        const cli::program_info info{
            "slowpoetry", "[options] POEM_FILE",
            "Serve POEM_FILE slowly: --num-bytes bytes, then a pause of --delay seconds, until the\n"
            "poem is sent; then close. Every client is served at the same time; with --blocking,\n"
            "one at a time, as the tutorial's first server does.\n"
            "Example: slowpoetry --port 10002 --delay 0.1 poetry/harbour-lights.txt"};
        cli::server_options server;
        std::string delay = "0.7";
        std::string num_bytes = "10";
        std::string write_timeout = "60";
        bool blocking = false;
        po::options_description options("Options");
        cli::add_server_options(options, server, "each chunk as it is sent (the original's \"Sending 10 bytes\")");
        options.add_options()                                                                                 //
            ("delay", po::value(&delay)->value_name("SECONDS")->default_value(delay),                         //
             "pause between chunks; fractions such as 0.01 and 0 work")                                       //
            ("num-bytes", po::value(&num_bytes)->value_name("N")->default_value(num_bytes),                   //
             "bytes per chunk, 1 to 1048576")                                                                 //
            ("write-timeout", po::value(&write_timeout)->value_name("SECONDS")->default_value(write_timeout), //
             "drop a client that reads nothing for this long; 0: never")                                      //
            ("blocking", po::bool_switch(&blocking),
             "serve one client at a time, sleeping between chunks, as the tutorial's blocking server does: "
             "the next client waits in the listen queue");
        po::options_description hidden;
        po::positional_options_description positional;
        cli::add_poem_argument(hidden, positional);

        const auto values = cli::parse(argc, argv, info, options, hidden, positional);
        if (!values)
            return 0;
        slow_server_config config;
        config.poem = cli::poem_argument(*values);
        config.drip.chunk_size = cli::count_value(num_bytes, "--num-bytes", 1, 1024 * 1024);
        config.drip.delay = cli::seconds_value(delay, "--delay");
        config.write_timeout = cli::seconds_value(write_timeout, "--write-timeout");

        const auto& what = (*values)["poem-file"].as<std::string>();
        if (blocking)
        {
            const server_config listening = cli::prepare_server(server);
            serve_blocking(listening.endpoint, what, *config.poem, config.drip.chunk_size, config.drip.delay);
            return 0;
        }
        serve(cli::prepare_server(server), what, [&config](accepted_socket socket, connection_slot slot) {
            start_slow_session(std::move(socket).into_socket(), std::move(slot), config);
        });
        return 0;
    });
}
