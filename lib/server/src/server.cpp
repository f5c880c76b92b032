#include "poetry/server/server.hpp"

#include "poetry/server/log.hpp"

#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>

namespace poetry {

void
serve(const server_config& config, std::string_view what, const starter_factory& make_starter,
      const std::function<void()>& on_stopped)
{
    server_threads server(config.endpoint, config.threads, config.listening, make_starter);

    if (config.endpoint.address().is_unspecified())
        log_line("warning: listening on " + to_string(config.endpoint) +
                 ": the server is reachable from the network, not only from this machine");

    // The handlers first, then the line: a script that reads the line and stops the
    // server at once must find the signals caught, and see exit status 0.
    asio::signal_set signals(server.main_context(), SIGINT, SIGTERM);
    signals.async_wait([&](error_code, int) { server.stop(); });

    std::printf("Serving %.*s on %s.\n", static_cast<int>(what.size()), what.data(),
                to_string(server.local_endpoint()).c_str());
    std::fflush(stdout);

    // Connections still open when the loops stop are reset as the loops are destroyed.
    server.run();
    if (on_stopped)
        on_stopped();
}

void
serve(const server_config& config, std::string_view what, listener::session_starter start_session)
{
    serve(config, what, [&](unsigned) { return start_session; });
}

} // namespace poetry
