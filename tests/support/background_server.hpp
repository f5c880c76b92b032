// Servers for the in-process tests: ours, started exactly as the programs start them
// (a poetry::server from its config), and scripted ones that are not ours.
#pragma once

#include "poetry/protocol/address.hpp"
#include "poetry/server/server.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <numeric>
#include <optional>
#include <thread>
#include <vector>

namespace poetry::test {

/// Listening on 127.0.0.1:`port` (0: any free port), one thread.
server_config loopback(std::uint16_t port = 0, std::size_t max_connections = 10'000);

/// How a background_server starts: serving at once, or listening only until start().
enum class serving
{
    at_once,
    on_start, // connections wait in the listen queue: what a client sent first is there at accept
};

/// One of our servers, run on a thread of its own; stopped when destroyed, and its
/// connections still open reset, as the program's are.
class background_server
{
public:
    template <typename Config>
    explicit background_server(Config config, const server_config& listening = loopback(),
                               serving when = serving::at_once)
        : server_(quiet(listening), std::move(config))
    {
        if (when == serving::at_once)
            start();
    }
    ~background_server();
    background_server(const background_server&) = delete;
    background_server& operator=(const background_server&) = delete;

    /// Begin serving (once), for a server made with serving::on_start.
    void start()
    {
        if (!thread_.joinable())
            thread_ = std::thread([this] { server_.run(); });
    }

    std::uint16_t port() const { return server_.local_endpoint().port(); }
    address addr() const { return {"127.0.0.1", port()}; }

    /// Live connections, as the listeners count them.
    std::size_t connections() const { return server_.connections(); }

    /// Connections accepted so far, over every thread.
    std::uint64_t accepted() const
    {
        const auto counts = server_.accepted_per_thread();
        return std::accumulate(counts.begin(), counts.end(), std::uint64_t{0});
    }

    /// Wait (at most `limit`) until the server holds exactly `count` connections.
    bool wait_for_connections(std::size_t count, std::chrono::milliseconds limit) const;

    /// Wait (at most `limit`) until the server has accepted at least `count` connections.
    bool wait_for_accepted(std::uint64_t count, std::chrono::milliseconds limit) const;

    /// Wait (at most `limit`) until `holds` is true, asking it every few milliseconds.
    static bool wait_until(const std::function<bool()>& holds, std::chrono::milliseconds limit);

private:
    // The tests' servers log nothing: set before the server exists.
    static const server_config& quiet(const server_config& listening);

    server server_;
    std::thread thread_;
};

/// A fast server as fastpoetry is, sending from a memory file; `sendfile = false`: copies.
std::unique_ptr<background_server> start_fast_server(std::string poem, std::size_t max_connections = 10'000,
                                                     clock::duration write_timeout = std::chrono::seconds(60),
                                                     bool sendfile = true, serving when = serving::at_once);
std::unique_ptr<background_server> start_slow_server(std::string poem, std::size_t chunk, clock::duration delay,
                                                     std::uint16_t port = 0);
std::unique_ptr<background_server> start_transform_server(transform_server_config config = {});
std::unique_ptr<background_server> start_proxy_server(std::uint16_t upstream_port);

/** A server that is not ours, for what ours must cope with: it accepts on 127.0.0.1 on a
    thread of its own and hands each connection, numbered from 1, to `script`. A socket
    the script leaves open is held, silent, until the server is destroyed.
*/
class scripted_server
{
public:
    using script = std::function<void(tcp::socket& connection, int number)>;

    explicit scripted_server(script on_connection);
    ~scripted_server();
    scripted_server(const scripted_server&) = delete;
    scripted_server& operator=(const scripted_server&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    address addr() const { return {"127.0.0.1", port_}; }

private:
    void accept_next();

    asio::io_context ctx_{1};
    tcp::acceptor acceptor_{ctx_};
    script script_;
    std::vector<tcp::socket> held_;
    int accepted_ = 0;
    std::uint16_t port_ = 0;
    std::thread thread_;
};

/// A server that accepts connections and never sends or closes (until it is destroyed).
std::unique_ptr<scripted_server> start_hung_server();

/// A port on 127.0.0.1 that nothing listens on (it was free a moment ago).
std::uint16_t closed_port();

} // namespace poetry::test
