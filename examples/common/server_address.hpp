// A poetry server's address as the tutorial's clients take it: "[host:]port", the host
// 127.0.0.1 when it is left out.
#pragma once

#include "command_line.hpp"

#include <string>
#include <vector>

namespace tutorial {

struct server_address
{
    std::string host;
    std::string port;

    std::string text() const { return host + ":" + port; } // the original's format_address
};

/// "10001" or "localhost:10001"; throws usage_error naming the address otherwise.
inline server_address
parse_address(const std::string& text)
{
    const auto colon = text.rfind(':');
    server_address address{colon == std::string::npos ? "127.0.0.1" : text.substr(0, colon),
                           colon == std::string::npos ? text : text.substr(colon + 1)};
    const bool digits = !address.port.empty() && address.port.size() <= 5 &&
                        address.port.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoi(address.port) < 1 || std::stoi(address.port) > 65535)
        throw usage_error("invalid address '" + text + "': Ports must be integers from 1 to 65535.");
    if (address.host.empty())
        throw usage_error("invalid address '" + text + "': no host before ':' (write the port alone, " + address.port +
                          ", or a host and port, localhost:" + address.port + ")");
    return address;
}

/// Every argument as an address; at least one.
inline std::vector<server_address>
parse_addresses(const std::vector<std::string>& arguments)
{
    if (arguments.empty())
        throw usage_error("give at least one poetry server's address ([host:]port)");
    std::vector<server_address> addresses;
    for (const auto& text : arguments)
        addresses.push_back(parse_address(text));
    return addresses;
}

} // namespace tutorial
