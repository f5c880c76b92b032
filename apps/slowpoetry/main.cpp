// slowpoetry: a poetry server that drips the poem a few bytes at a time, to every client at once.
#include "common/server_main.hpp"
#include "slowpoetry/blocking_server.hpp"

namespace po = boost::program_options;
using namespace poetry;

int
main(int argc, char** argv)
{
    const cli::server_program program{
        .info = {"slowpoetry", "[options] POEM_FILE",
                 "Serve POEM_FILE slowly: --num-bytes bytes, then a pause of --delay seconds, until the\n"
                 "poem is sent; then close. Every client is served at the same time; with --blocking,\n"
                 "one at a time, as the tutorial's first server does.\n"
                 "Example: slowpoetry --port 10002 --delay 0.1 poetry/harbour-lights.txt"},
        .verbose_steps = "each chunk as it is sent (the original's \"Sending 10 bytes\")",
        .threads = false,
        .operand = cli::poem_file};
    std::string delay = "0.7";
    std::string num_bytes = "10";
    std::string write_timeout = "60";
    bool blocking = false;
    po::options_description own;
    own.add_options()                                                             //
        ("delay", po::value(&delay)->value_name("SECONDS")->default_value(delay), //
         "pause between chunks, on a schedule that does not drift; a chunk sent late is made up only "
         "down to nine tenths of this, so a stall never becomes a burst; fractions such as 0.01 and 0 work") //
        ("num-bytes", po::value(&num_bytes)->value_name("N")->default_value(num_bytes),                      //
         "bytes per chunk, 1 to 1048576")                                                                    //
        ("write-timeout", po::value(&write_timeout)->value_name("SECONDS")->default_value(write_timeout),    //
         "drop a client that reads nothing for this long; 0: never")                                         //
        ("blocking", po::bool_switch(&blocking),
         "serve one client at a time, sleeping between chunks, as the tutorial's blocking server does: "
         "the next client waits in the listen queue");

    return cli::run_server(argc, argv, program, own, [&](cli::server_command& command) {
        slow_server_config config;
        config.poem = std::move(command.poem);
        config.drip.chunk_size = cli::count_value(num_bytes, "--num-bytes", 1, 1024 * 1024);
        config.drip.delay = cli::seconds_value(delay, "--delay");
        config.write_timeout = cli::seconds_value(write_timeout, "--write-timeout");
        if (blocking)
        {
            serve_blocking(command.listening.endpoint, command.operand, *config.poem,
                           {config.drip.chunk_size, config.drip.delay, config.write_timeout});
            return 0;
        }
        return cli::serve(command, std::move(config), command.operand);
    });
}
