// Running a server: listen, serve until stopped. A server starts from its config alone.
#pragma once

#include "poetry/io/asio.hpp"
#include "poetry/server/configs.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace poetry {

namespace detail {
struct server_protocol;
class server_threads;
} // namespace detail

/// Where and how a server listens.
struct server_config
{
    tcp::endpoint endpoint;
    /// Event loops, one per thread, each with its own listener on the port.
    unsigned threads = 1;
    /// Connections beyond this many, over all threads, are accepted and reset at once.
    std::size_t max_connections = 10'000;
};

/** A server, listening from construction, serving while `run` runs.

    One constructor per kind of server: the config says everything. With more
    than one thread every thread has its own event loop and listener on the
    port (SO_REUSEPORT), and they share nothing on a connection's path but
    the count of open connections. Constructing makes the process ignore
    SIGPIPE: a write to a closed peer must be an error, never a fatal signal.
*/
class server
{
public:
    /// Open the listeners. Throws std::system_error naming the failing step and the
    /// endpoint ("cannot bind 127.0.0.1:10000"); fast_server_config's memory file that
    /// cannot be made is logged, and the poem sent as copies.
    server(const server_config& listening, fast_server_config config);
    server(const server_config& listening, slow_server_config config);
    server(const server_config& listening, transform_server_config config);
    server(const server_config& listening, proxy_server_config config);
    ~server();

    server(const server&) = delete;
    server& operator=(const server&) = delete;

    /// The address it listens on (the port chosen, when asked for port 0).
    tcp::endpoint local_endpoint() const;

    /// Connections open now; readable from any thread.
    std::size_t connections() const noexcept;

    /// Connections each thread has accepted so far, refused ones included; readable from any thread.
    std::vector<std::uint64_t> accepted_per_thread() const;

    /// Serve on the calling thread (and the other threads) until `stop`. Connections still
    /// open then are reset (a poem cut short must not read as whole) as the server is destroyed.
    void run();

    /// Stop serving; safe from any thread and from a signal's handler on the server's loop.
    void stop();

private:
    server(const server_config& listening, detail::server_protocol protocol);
    // The protocol's last step, once: join its workers.
    void after_stop();

    std::unique_ptr<detail::server_protocol> protocol_;
    std::unique_ptr<detail::server_threads> threads_;
};

/** Print "Serving WHAT on HOST:PORT." on stdout and run `s` until SIGINT or SIGTERM.

    The signals are blocked before the line is printed and taken by a thread that waits
    for them (sigwait): a script that reads the line and stops the server at once sees it
    exit cleanly. Threads made before this call (a transform server's workers) must have
    them blocked already: call block_stop_signals() before making them.
*/
void serve_until_signal(server& s, std::string_view what);

/// Block SIGINT and SIGTERM in the calling thread and in every thread it makes after.
void block_stop_signals() noexcept;

/// Warn on the log when `listening` takes connections from every address (0.0.0.0, ::,
/// ::ffff:0.0.0.0): the server is then reachable from the network.
void warn_if_listening_everywhere(const tcp::endpoint& listening);

/// Resolve the interface a server listens on; IPv4 is preferred when a name has both.
tcp::endpoint resolve_listen_endpoint(const std::string& iface, std::uint16_t port, error_code& ec);

/// The most threads a server takes.
inline constexpr unsigned most_threads = 256;

/// The most connections a server takes at once: each needs a descriptor.
inline constexpr std::size_t most_connections = 1'000'000;

} // namespace poetry
