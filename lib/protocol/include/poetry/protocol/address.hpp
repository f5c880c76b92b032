// Network addresses as people type them: "[host:]port", "[::1]:10002".
#pragma once

#include "poetry/protocol/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace poetry {

/// A host name or literal address and a port, not yet resolved.
struct address
{
    std::string host;
    std::uint16_t port = 0;

    friend bool operator==(const address&, const address&) = default;
};

/// The host the clients use when an address names only a port.
inline constexpr std::string_view default_client_host = "127.0.0.1";

/** Parse a port number: decimal digits only, 0 to 65535.

    Sets `ec` to `errc::bad_port` on anything else ("80x", "-1", "", "65536").
*/
std::uint16_t parse_port(std::string_view text, error_code& ec);

/** Parse "[host:]port" as the clients take it.

    The host defaults to `default_host`. An IPv6 host must be bracketed
    ("[::1]:10002"); its brackets are removed. Sets `ec` to one of
    `errc::empty_address`, `errc::bad_port` or `errc::bad_address`.
*/
address parse_address(std::string_view text, error_code& ec, std::string_view default_host = default_client_host);

/// "host:port", with IPv6 hosts in brackets so that the text parses back.
std::string to_string(const address& a);

} // namespace poetry
