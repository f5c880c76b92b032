// A server program's start-up, the same for every server: parse, check, set the
// process up, serve until a signal, exit status. Each main says only what is its own.
#pragma once

#include "common/cli.hpp"
#include "poetry/server/server.hpp"

#include <functional>
#include <string>
#include <utility>

namespace poetry::cli {

/// A server program's one positional argument: its option name, and what a command line
/// without it is told.
struct server_operand
{
    std::string name;
    std::string missing;
};

/// The poetry servers' POEM_FILE, read at start-up into server_command::poem.
inline const server_operand poem_file{"poem-file", "missing POEM_FILE: name the file of the poem to serve"};

/// What a server program says about itself; the rest of its start-up is shared.
struct server_program
{
    program_info info;
    /// What --verbose adds for this server: "each chunk as it is sent".
    std::string verbose_steps;
    /// Whether it takes --threads.
    bool threads = false;
    /// Its one positional argument; no name: none.
    server_operand operand;
};

/// A server program's command line, checked; the process is ready to serve.
struct server_command
{
    const po::variables_map& values;
    server_config listening;
    /// The positional argument as given: the poem file's path, the server to proxy.
    std::string operand;
    /// POEM_FILE's bytes, read once, for the programs that take one: move them into the
    /// config, so that a server that keeps its own copy (fastpoetry's memory file) holds one.
    shared_poem poem;
};

/** A server program's `main`: parse the options every server takes and `own`, check
    them, set the process up (log name and level, the open-file limit raised), then call
    `body`, which makes its config and serves (`return serve(command, config, what)`).
    --help and --version answer and exit 0; a usage error exits 2, a failure 1.
*/
int run_server(int argc, char** argv, const server_program& program, const po::options_description& own,
               const std::function<int(server_command&)>& body);

/// Start a server from `config` and serve until SIGINT or SIGTERM, announcing
/// "Serving WHAT on HOST:PORT."; exit status 0.
template <typename Config>
int
serve(const server_command& command, Config config, std::string_view what)
{
    server running(command.listening, std::move(config));
    serve_until_signal(running, what);
    return 0;
}

} // namespace poetry::cli
