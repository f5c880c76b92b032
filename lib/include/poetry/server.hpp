// Running a server: listen, announce, serve until a signal.
#pragma once

#include "poetry/cli.hpp"
#include "poetry/listener.hpp"
#include "poetry/server_threads.hpp"

#include <functional>
#include <string_view>

namespace poetry {

/** Listen where `options` say, print "Serving WHAT on HOST:PORT." on stdout
    and serve until SIGINT or SIGTERM; then close every connection and return.

    Throws cli::usage_error for a bad --port or --iface, and
    cli::runtime_failure when the socket cannot be opened, bound or listened on.
    `tuning` sets the listener's socket options; its connection cap comes from `options`.
*/
void serve(const cli::server_options& options, std::string_view what, listener::session_starter start_session,
           listener_options tuning = {});

/// The same with `options.threads` event loops, each serving with the starter `make_starter` made for it.
/// `on_stopped` runs once the loops have stopped and before they are destroyed: the place to
/// join threads that hand work back to them.
void serve(const cli::server_options& options, std::string_view what, const starter_factory& make_starter,
           listener_options tuning = {}, const std::function<void()>& on_stopped = {});

/// The most --threads a server takes.
inline constexpr unsigned max_threads = 256;

/// The most --max-connections a server takes: each needs a descriptor.
inline constexpr std::size_t max_connections = 1'000'000;

} // namespace poetry
