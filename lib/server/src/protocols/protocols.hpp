// Each kind of server as the accept layer sees it; server.cpp picks one by its config.
#pragma once

#include "accept/connection_handler.hpp"
#include "poetry/server/configs.hpp"

namespace poetry::detail {

server_protocol fast_protocol(fast_server_config config);           // fast_server.cpp
server_protocol slow_protocol(slow_server_config config);           // slow_server.cpp
server_protocol transform_protocol(transform_server_config config); // transform_server.cpp
server_protocol proxy_protocol(proxy_server_config config);         // proxy_server.cpp

} // namespace poetry::detail
