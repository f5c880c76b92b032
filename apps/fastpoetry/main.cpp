// fastpoetry: a poetry server that sends the whole poem at once, then closes.
#include "common/server_main.hpp"

namespace po = boost::program_options;
using namespace poetry;

int
main(int argc, char** argv)
{
    const cli::server_program program{
        .info = {"fastpoetry", "[options] POEM_FILE",
                 "Serve POEM_FILE to every client that connects: the whole poem at once, then close.\n"
                 "Example: fastpoetry --port 10002 poetry/harbour-lights.txt"},
        .verbose_steps = "each client's poem as it starts (\"Sending 653 bytes\")",
        .threads = true,
        .operand = cli::poem_file};
    std::string write_timeout = "60";
    po::options_description own;
    own.add_options()("write-timeout", po::value(&write_timeout)->value_name("SECONDS")->default_value(write_timeout),
                      "drop a client that reads nothing for this long; 0: never");

    return cli::run_server(argc, argv, program, own, [&](cli::server_command& command) {
        fast_server_config config;
        config.poem = std::move(command.poem);
        config.write_timeout = cli::seconds_value(write_timeout, "--write-timeout");
        return cli::serve(command, std::move(config), command.operand);
    });
}
