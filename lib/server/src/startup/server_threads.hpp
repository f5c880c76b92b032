// Serving on several threads: one event loop and one listener per thread.
#pragma once

#include "accept/connection_handler.hpp"
#include "accept/listener.hpp"

#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

namespace poetry::detail {

/** N event loops, one per thread, each accepting on a listener of its own.

    With more than one thread every listener binds the same port with
    SO_REUSEPORT and the kernel spreads new connections among them: the
    threads share no state on a connection's path but one atomic count of
    open connections, so that the connection cap holds for the server.
*/
class server_threads
{
public:
    /// Open the listeners. Throws std::system_error naming the failing step, as listener does.
    server_threads(const tcp::endpoint& endpoint, unsigned threads, listener_options options,
                   const server_protocol& protocol);

    /// Stops and joins the threads, if still running.
    ~server_threads();

    server_threads(const server_threads&) = delete;
    server_threads& operator=(const server_threads&) = delete;

    /// The port every listener shares.
    tcp::endpoint local_endpoint() const;

    /// Connections open now, over every thread; readable from any thread.
    std::size_t connections() const noexcept { return open_->load(std::memory_order_relaxed); }

    /// Connections each thread's listener has accepted; readable from any thread.
    std::vector<std::uint64_t> accepted_per_thread() const;

    /// Start threads 2..N, then run the first loop on the calling thread until `stop`.
    void run();

    /// Stop every loop; safe from any thread. Connections still open are closed when this is destroyed.
    void stop();

    /// Wait for threads 2..N to return from their loops.
    void join();

private:
    struct loop
    {
        std::unique_ptr<asio::io_context> ctx = std::make_unique<asio::io_context>(1);
        std::unique_ptr<listener> accept;
        std::unique_ptr<connection_handler> handler;
    };

    std::shared_ptr<connection_count> open_;
    std::vector<std::unique_ptr<loop>> loops_;
    std::vector<std::thread> threads_;
};

} // namespace poetry::detail
