// The accept layer: accept4, the connection cap, and each connection handed to its server.
#pragma once

#include "accept/connection_handler.hpp"
#include "accept/connection_slot.hpp"
#include "poetry/io/asio.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace poetry::detail {

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

/** Accepts connections and hands each to the server's handler.

    Accept errors (running out of descriptors, say) never end the loop
    and never make it spin: it logs once per episode and tries again
    after a short pause.
*/
class listener
{
public:
    /// Open, bind and listen with the system's largest backlog. Throws std::system_error
    /// naming the failing step and the endpoint: "cannot bind 127.0.0.1:10000".
    listener(asio::io_context& ctx, const tcp::endpoint& endpoint, listener_options options);

    /// Start accepting; `handler`, which must outlive the loop, gets every connection.
    void run(connection_handler& handler);

    tcp::endpoint local_endpoint() const;

    /// Closes the connections taken and not yet handed over.
    ~listener();

    /// Connections this listener has accepted, refused ones included; readable from any thread.
    std::uint64_t accepted() const noexcept { return accepted_.load(std::memory_order_relaxed); }

private:
    enum class queue
    {
        drained, // nothing left waiting
        more,    // the list is full: more may be waiting
        failed,  // accept4 failed; on_accept_error pauses
    };

    void wait_for_connections();
    void accept_waiting();
    queue take_waiting();
    void set_up_taken();
    void on_accept_error(error_code ec);
    std::optional<connection_slot> slot_for(int fd);

    asio::io_context::executor_type executor_;
    tcp protocol_;
    tcp::acceptor acceptor_;
    asio::steady_timer backoff_;
    listener_options options_;
    connection_handler* handler_ = nullptr;
    // Taken from the kernel's queue, each with its slot, not yet handed to the handler.
    std::deque<std::pair<int, connection_slot>> taken_;
    bool set_up_posted_ = false;
    std::shared_ptr<connection_count> count_;
    std::atomic<std::uint64_t> accepted_{0};
    bool in_error_episode_ = false;
    bool in_overload_episode_ = false;
};

} // namespace poetry::detail
