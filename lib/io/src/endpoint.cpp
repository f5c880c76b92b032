#include "poetry/io/endpoint.hpp"

namespace poetry {

std::string
to_string(const tcp::endpoint& endpoint)
{
    const auto host = endpoint.address().to_string();
    const auto port = std::to_string(endpoint.port());
    return endpoint.address().is_v6() ? "[" + host + "]:" + port : host + ":" + port;
}

} // namespace poetry
