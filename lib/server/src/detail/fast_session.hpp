// Handing a connection to a fast session with the log it already has (the proxy's
// clients, whose time counts from when they connected, not from when the poem came).
#pragma once

#include "detail/session_log.hpp"
#include "poetry/server/sessions.hpp"

namespace poetry::detail {

void start_fast_session(tcp::socket socket, connection_slot slot, const fast_server_config& config, session_log log);

} // namespace poetry::detail
