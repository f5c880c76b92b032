// Accepting connections: the part every server shares.
#pragma once

#include "poetry/io/asio.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace poetry {

/// Resolve the interface a server listens on; IPv4 is preferred when a name has both.
tcp::endpoint resolve_listen_endpoint(const std::string& iface, std::uint16_t port, error_code& ec);

/// "HOST:PORT" for an endpoint, with IPv6 hosts in brackets.
std::string to_string(const tcp::endpoint& endpoint);

/// Connections open now, counted by every listener of a server (on any thread).
using connection_count = std::atomic<std::size_t>;

/** Held by a session for as long as its connection is open.

    Every listener of a server counts the live slots in one count, to enforce
    the server's connection cap across its threads.
*/
class connection_slot
{
public:
    /// A slot if fewer than `max` are taken, counted in `count`; nothing otherwise.
    static std::optional<connection_slot> take(const std::shared_ptr<connection_count>& count, std::size_t max)
    {
        // Take first, then check: two threads can never both take the last slot.
        if (count->fetch_add(1, std::memory_order_relaxed) < max)
            return connection_slot(count);
        count->fetch_sub(1, std::memory_order_relaxed);
        return std::nullopt;
    }

    connection_slot(connection_slot&&) noexcept = default;
    connection_slot& operator=(connection_slot&&) = delete;
    ~connection_slot()
    {
        if (count_)
            count_->fetch_sub(1, std::memory_order_relaxed);
    }

private:
    // Already counted.
    explicit connection_slot(std::shared_ptr<connection_count> count)
        : count_(std::move(count))
    {
    }

    std::shared_ptr<connection_count> count_;
};

/** A connection just accepted, not yet known to the event loop.

    Registering a descriptor with the event loop costs system calls. A
    session that finishes at once (a short poem, sent and closed) can use
    the descriptor as it is and never pay for that; any other session
    turns it into a socket with `into_socket`.
    Closes the descriptor if nobody took it.
*/
class accepted_socket
{
public:
    accepted_socket(asio::io_context::executor_type executor, tcp protocol, int fd) noexcept
        : executor_(executor)
        , protocol_(protocol)
        , fd_(fd)
    {
    }
    accepted_socket(accepted_socket&& other) noexcept
        : executor_(other.executor_)
        , protocol_(other.protocol_)
        , fd_(std::exchange(other.fd_, -1))
    {
    }
    accepted_socket& operator=(accepted_socket&&) = delete;
    ~accepted_socket() { close(); }

    /// The descriptor, non-blocking; still owned by this object.
    int native_handle() const noexcept { return fd_; }

    /// Close at once; a no-op once closed or converted.
    void close() noexcept;

    /// Close with a reset (SO_LINGER 0), so that the client sees a failure rather than
    /// an end-of-file it could take for an empty poem. A no-op once closed or converted.
    void reset() noexcept;

    /// Hand the descriptor to the event loop: `std::move(accepted).into_socket()`.
    /// A socket that cannot be registered comes back closed.
    tcp::socket into_socket() &&;

private:
    asio::io_context::executor_type executor_;
    tcp protocol_;
    int fd_;
};

struct listener_options
{
    /// Connections beyond this many are accepted and reset at once.
    std::size_t max_connections = 10'000;

    /// Where the open connections are counted against `max_connections`: share one count
    /// among the listeners of one server. Null: a count of the listener's own.
    std::shared_ptr<connection_count> open_connections;

    /// Let several listeners share the port (one per thread).
    bool reuse_port = false;

    /// Hold back partial segments until the connection is shut down (TCP_CORK, inherited by
    /// every accepted connection): a reply written whole, then closed, travels with its
    /// end-of-file in one segment. Only for servers that close right after writing.
    bool cork_replies = false;
};

/** Accepts connections and hands each to a session starter.

    Accept errors (running out of descriptors, say) never end the loop
    and never make it spin: it logs once per episode and tries again
    after a short pause.
*/
class listener
{
public:
    /// Sessions that want a socket call `std::move(socket).into_socket()`.
    using session_starter = std::function<void(accepted_socket, connection_slot)>;

    /// Open, bind and listen with the system's largest backlog. Throws std::system_error
    /// naming the failing step and the endpoint: "cannot bind 127.0.0.1:10000".
    listener(asio::io_context& ctx, const tcp::endpoint& endpoint, listener_options options);

    /// Start accepting; `start_session` is called for every connection.
    void run(session_starter start_session);

    tcp::endpoint local_endpoint() const;
    std::size_t connections() const noexcept { return count_->load(std::memory_order_relaxed); }

private:
    void wait_for_connections();
    void accept_waiting();
    void on_accept_error(error_code ec);
    void on_accepted(int fd);

    asio::io_context::executor_type executor_;
    tcp protocol_;
    tcp::acceptor acceptor_;
    asio::steady_timer backoff_;
    listener_options options_;
    session_starter start_session_;
    std::shared_ptr<connection_count> count_;
    bool in_error_episode_ = false;
    bool in_overload_episode_ = false;
};

} // namespace poetry
