#include "poetry/server.hpp"

#include "poetry/log.hpp"
#include "poetry/resources.hpp"
#include "poetry/server_threads.hpp"

#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>

namespace poetry {

void
serve(const cli::server_options& options, std::string_view what, const starter_factory& make_starter,
      listener_options tuning, const std::function<void()>& on_stopped)
{
    const std::uint16_t port = cli::port_value(options.port, "--port");
    const auto threads = static_cast<unsigned>(cli::count_value(options.threads, "--threads", 1, max_threads));
    tuning.max_connections = cli::count_value(options.max_connections, "--max-connections", 1, max_connections);
    error_code ec;
    const tcp::endpoint endpoint = resolve_listen_endpoint(options.iface, port, ec);
    if (ec)
        throw cli::runtime_failure("cannot use --iface '" + options.iface + "': " + ec.message());

    // A write to a closed peer must be an error code, never a fatal signal.
    std::signal(SIGPIPE, SIG_IGN);
    raise_open_file_limit();
    if (options.quiet && options.verbose)
        throw cli::usage_error("--quiet and --verbose contradict each other: give one of them");
    set_log_level(options.quiet ? log_level::quiet : options.verbose ? log_level::verbose : log_level::normal);

    std::string step;
    server_threads server(endpoint, threads, tuning, make_starter, ec, step);
    if (ec)
        throw cli::runtime_failure("cannot " + step + " " + to_string(endpoint) + ": " + ec.message());

    if (endpoint.address().is_unspecified())
        log_line("warning: listening on " + to_string(endpoint) +
                 ": the server is reachable from the network, not only from this machine");

    std::printf("Serving %.*s on %s.\n", static_cast<int>(what.size()), what.data(),
                to_string(server.local_endpoint()).c_str());
    std::fflush(stdout);

    // Pending sessions are destroyed with the loops, closing their sockets.
    asio::signal_set signals(server.main_context(), SIGINT, SIGTERM);
    signals.async_wait([&](error_code, int) { server.stop(); });
    server.run();
    if (on_stopped)
        on_stopped();
}

void
serve(const cli::server_options& options, std::string_view what, listener::session_starter start_session,
      listener_options tuning)
{
    serve(options, what, [&](unsigned) { return start_session; }, tuning);
}

} // namespace poetry
