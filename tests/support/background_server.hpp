// A server of the library's own, listening on 127.0.0.1 port 0 in a thread of its own.
#pragma once

#include "poetry/protocol/address.hpp"
#include "poetry/server/listener.hpp"
#include "poetry/server/sessions.hpp"

#include <boost/asio/io_context.hpp>

#include <future>
#include <memory>
#include <optional>
#include <thread>

namespace poetry::test {

class background_server
{
public:
    /// Listen on 127.0.0.1:`port` (0: any free port) and serve with `start_session`.
    explicit background_server(listener::session_starter start_session, listener_options options = {},
                               std::uint16_t port = 0);
    ~background_server();
    background_server(const background_server&) = delete;
    background_server& operator=(const background_server&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    address addr() const { return {"127.0.0.1", port_}; }

    /// Run `f` on the server's thread and wait (bounded) for its result.
    template <typename F>
    auto on_server(F f)
    {
        std::packaged_task<decltype(f())()> task(std::move(f));
        auto result = task.get_future();
        asio::post(ctx_, [&task] { task(); });
        if (result.wait_for(std::chrono::seconds(10)) != std::future_status::ready)
            throw std::runtime_error("server thread did not answer within 10 s");
        return result.get();
    }

    /// Live connections, as the listener counts them.
    std::size_t connections()
    {
        return on_server([this] { return listener_->connections(); });
    }

    /// Wait (at most `limit`) until the server holds exactly `count` connections.
    bool wait_for_connections(std::size_t count, std::chrono::milliseconds limit);

private:
    asio::io_context ctx_{1};
    std::optional<listener> listener_;
    std::uint16_t port_ = 0;
    std::thread thread_;
};

/// How a fast server sends its poem: with sendfile from a memory file (as fastpoetry does), or copies.
enum class poem_delivery
{
    memory_file,
    copies
};

/// A fast server set up as fastpoetry sets itself up (replies corked, the poem in a memory file).
std::unique_ptr<background_server> start_fast_server(std::string poem, listener_options options = {},
                                                     clock::duration write_timeout = std::chrono::seconds(60),
                                                     poem_delivery delivery = poem_delivery::memory_file);
std::unique_ptr<background_server> start_slow_server(std::string poem, std::size_t chunk, clock::duration delay);
std::unique_ptr<background_server> start_transform_server(transform_server_config config = {});

/// A server that accepts connections and never sends or closes (until it is destroyed).
std::unique_ptr<background_server> start_hung_server();

/// A port on 127.0.0.1 that nothing listens on (it was free a moment ago).
std::uint16_t closed_port();

} // namespace poetry::test
