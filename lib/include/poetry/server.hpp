// Running a server: listen, announce, serve until a signal.
#pragma once

#include "poetry/cli.hpp"
#include "poetry/listener.hpp"

#include <string_view>

namespace poetry {

/** Listen where `options` say, print "Serving WHAT on HOST:PORT." on stdout
    and serve until SIGINT or SIGTERM; then close every connection and return.

    Throws cli::usage_error for a bad --port or --iface, and
    cli::runtime_failure when the socket cannot be opened, bound or listened on.
*/
void serve(const cli::server_options& options, std::string_view what, listener::session_starter start_session);

} // namespace poetry
