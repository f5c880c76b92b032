// Serving on several threads: one event loop and one listener per thread.
#pragma once

#include "poetry/server/listener.hpp"

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace poetry {

/// Makes the session starter for one thread; called once per thread, before any runs.
using starter_factory = std::function<listener::session_starter(unsigned thread)>;

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
                   const starter_factory& make_starter);

    /// Stops and joins the threads, if still running.
    ~server_threads();

    server_threads(const server_threads&) = delete;
    server_threads& operator=(const server_threads&) = delete;

    /// The port every listener shares.
    tcp::endpoint local_endpoint() const;

    /// The first loop's context: run on the calling thread by `run`, and where signals can wait.
    asio::io_context& main_context() { return *loops_.front()->ctx; }

    /// Start threads 2..N, then run the first loop on the calling thread until `stop`.
    void run();

    /// Stop every loop; safe from any thread. Connections still open are closed when this is destroyed.
    void stop();

private:
    struct loop
    {
        std::unique_ptr<asio::io_context> ctx = std::make_unique<asio::io_context>(1);
        std::unique_ptr<listener> accept;
        listener::session_starter start_session;
    };

    void join();

    std::vector<std::unique_ptr<loop>> loops_;
    std::vector<std::thread> threads_;
};

} // namespace poetry
