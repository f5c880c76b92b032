// The tutorial clients' command line: the poetry servers' addresses and --trace FILE,
// besides any options of a client's own.
#pragma once

#include "command_line.hpp"
#include "server_address.hpp"

#include <optional>
#include <vector>

namespace tutorial {

struct client_command
{
    command_line options; // --trace's value and the client's own
    std::vector<server_address> addresses;
};

/** Read a client's command line: `more` options, --trace FILE, and the addresses (at
    least one, unless `addresses_optional`). Nothing when --help or --version was answered;
    usage_error for anything wrong.
*/
inline std::optional<client_command>
read_client_command(int argc, char** argv, const program_info& info, std::vector<option> more = {},
                    bool addresses_optional = false)
{
    more.push_back(
        {"trace", "FILE", "", "write when each poem's bytes came (and what stopped them), for poetry-timeline"});
    auto options = read_command_line(argc, argv, info, more, any_number);
    if (!options)
        return std::nullopt;
    if (options->arguments.empty() && addresses_optional)
        return client_command{std::move(*options), {}};
    auto addresses = parse_addresses(options->arguments);
    return client_command{std::move(*options), std::move(addresses)};
}

} // namespace tutorial
