// Running a server: listen, announce, serve until a signal.
#pragma once

#include "poetry/server/listener.hpp"
#include "poetry/server/server_threads.hpp"

#include <functional>
#include <string_view>

namespace poetry {

/// Where and how a server listens.
struct server_config
{
    tcp::endpoint endpoint;
    /// Event loops, one per thread, each with its own listener on the port.
    unsigned threads = 1;
    /// The listeners' socket options and the connection cap, one total across the threads.
    listener_options listening;
};

/** Listen as `config` says, print "Serving WHAT on HOST:PORT." on stdout and
    serve until SIGINT or SIGTERM; then close every connection and return.

    Each thread serves with the starter `make_starter` made for it. `on_stopped`
    runs once the loops have stopped and before they are destroyed: the place to
    join threads that hand work back to them. Throws std::system_error when the
    socket cannot be opened, bound or listened on ("cannot bind 127.0.0.1:10000").
*/
void serve(const server_config& config, std::string_view what, const starter_factory& make_starter,
           const std::function<void()>& on_stopped = {});

/// The same with one starter for every thread.
void serve(const server_config& config, std::string_view what, listener::session_starter start_session);

/// The most threads a server takes.
inline constexpr unsigned max_threads = 256;

/// The most connections a server takes at once: each needs a descriptor.
inline constexpr std::size_t max_connections = 1'000'000;

} // namespace poetry
