// fastpoetry: a poetry server that sends the whole poem at once, then closes.
#include "common/cli.hpp"
#include "poetry/server/log.hpp"
#include "poetry/server/memory_file.hpp"
#include "poetry/server/server.hpp"
#include "poetry/server/sessions.hpp"

namespace po = boost::program_options;
using namespace poetry;

int
main(int argc, char** argv)
{
    return cli::run("fastpoetry", [&] {
        const cli::program_info info{
            "fastpoetry", "[options] POEM_FILE",
            "Serve POEM_FILE to every client that connects: the whole poem at once, then close.\n"
            "Example: fastpoetry --port 10002 poetry/harbour-lights.txt"};
        cli::server_options server;
        std::string write_timeout = "60";
        po::options_description options("Options");
        cli::add_server_options(options, server, "nothing more for this server: a connection has one step");
        cli::add_threads_option(options, server);
        options.add_options()("write-timeout",
                              po::value(&write_timeout)->value_name("SECONDS")->default_value(write_timeout),
                              "drop a client that reads nothing for this long; 0: never");
        po::options_description hidden;
        po::positional_options_description positional;
        cli::add_poem_argument(hidden, positional);

        const auto values = cli::parse(argc, argv, info, options, hidden, positional);
        if (!values)
            return 0;
        fast_server_config config{
            cli::poem_argument(*values), cli::seconds_value(write_timeout, "--write-timeout"), {}};
        error_code ec;
        config.poem_file = memory_file::create(*config.poem, ec);
        if (ec) // sending from memory still works, with a copy per connection
            log_line("cannot keep the poem in a memory file (" + ec.message() + "); sending copies");
        else
            config.poem.reset(); // the memory file holds the one copy

        listener_options tuning;
        tuning.cork_replies = true; // every connection is written once, then closed
        serve(cli::prepare_server(server, tuning), (*values)["poem-file"].as<std::string>(),
              [&config](accepted_socket socket, connection_slot slot) {
                  start_fast_session(std::move(socket), std::move(slot), config);
              });
        return 0;
    });
}
