// What every get-poetry client shares: its command line and its messages.
//
// The clients differ only in how they spell the chain download -> transform
// -> print (callbacks, coroutines); everything they say is said once, in
// task_report.hpp.
#pragma once

#include "common/trace.hpp"
#include "poetry/client/get_poem.hpp"
#include "poetry/client/transform_client.hpp"
#include "poetry/protocol/address.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace poetry {

/// What a client's downloads may bring together by default (--max-total), and at most.
inline constexpr std::size_t default_max_total = 1024 * 1024 * 1024;
inline constexpr std::size_t largest_max_total = std::size_t{1} << 40;

struct client_settings
{
    address transform_server;
    std::vector<address> poetry_servers;
    /// The transform to ask for; none with --no-xform.
    std::optional<std::string> transform = "cummingsify";
    fetch_options fetch;
    transform_options xform;
    bool verbose = false;
    /// With --trace FILE, every task's events; null otherwise.
    std::shared_ptr<trace_log> trace;
};

/** Parse "[options] XFORM_ADDR ADDR [ADDR ...]".

    With --no-xform there is no transform server: every address is a
    poetry server. Returns nothing when --help or --version was answered.
    Throws cli::usage_error for a bad command line. Raises the open-file
    limit so that every address can have its connection at once.
*/
std::optional<client_settings> parse_client_command_line(int argc, char** argv, const std::string& program,
                                                         const std::string& style);

/** A client program's `main`: parse its command line, make a closed standard output
    an error rather than a fatal SIGPIPE, then `body` fetches and returns the exit
    status. --help and --version answer and exit 0; a usage error exits 2, a failure 1.
*/
int run_client(int argc, char** argv, const std::string& program, const std::string& style,
               const std::function<int(const client_settings&)>& body);

/// One address's download-and-transform; numbered from 1 as the addresses were given.
struct poem_task
{
    int number;
    address server;
};

std::vector<poem_task> make_tasks(const client_settings& settings);

/// A finished poem on stdout, followed by a newline, flushed at once.
void print_poem(std::string_view poem);

/// 0 when every poem was downloaded, 1 when any download failed. Closes the trace first:
/// throws std::runtime_error when it could not be written.
int client_exit_status(const client_settings& settings, int failed_downloads);

} // namespace poetry
