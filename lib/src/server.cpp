#include "poetry/server.hpp"

#include "poetry/log.hpp"
#include "poetry/resources.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>

namespace poetry {

void
serve(const cli::server_options& options, std::string_view what, listener::session_starter start_session)
{
    const std::uint16_t port = cli::port_value(options.port, "--port");
    error_code ec;
    const tcp::endpoint endpoint = resolve_listen_endpoint(options.iface, port, ec);
    if (ec)
        throw cli::usage_error("cannot use --iface '" + options.iface + "': " + ec.message());

    // A write to a closed peer must be an error code, never a fatal signal.
    std::signal(SIGPIPE, SIG_IGN);
    raise_open_file_limit();
    set_log_quiet(options.quiet);

    asio::io_context ctx(1);
    std::string step;
    listener_options limits;
    limits.max_connections = options.max_connections;
    listener server(ctx, endpoint, limits, ec, step);
    if (ec)
        throw cli::runtime_failure("cannot " + step + " " + to_string(endpoint) + ": " + ec.message());

    if (endpoint.address().is_unspecified())
        log_line("warning: listening on " + to_string(endpoint) +
                 ": the server is reachable from the network, not only from this machine");

    std::printf("Serving %.*s on %s.\n", static_cast<int>(what.size()), what.data(),
                to_string(server.local_endpoint()).c_str());
    std::fflush(stdout);

    asio::signal_set signals(ctx, SIGINT, SIGTERM);
    signals.async_wait([&](error_code, int) {
        server.close();
        ctx.stop(); // pending sessions are destroyed with the context, closing their sockets
    });

    server.run(std::move(start_session));
    ctx.run();
}

} // namespace poetry
