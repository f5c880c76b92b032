// Endpoints in words, as every message of the suite names them.
#pragma once

#include "poetry/io/asio.hpp"

#include <string>

namespace poetry {

/// "HOST:PORT" for an endpoint, with IPv6 hosts in brackets: "[::1]:10000".
std::string to_string(const tcp::endpoint& endpoint);

} // namespace poetry
