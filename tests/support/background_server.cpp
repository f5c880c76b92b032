#include "background_server.hpp"

#include "poetry/server/log.hpp"

#include <boost/asio/post.hpp>

#include <csignal>
#include <stdexcept>
#include <vector>

namespace poetry::test {

background_server::background_server(listener::session_starter start_session, listener_options options,
                                     std::uint16_t port)
{
    set_log_level(log_level::quiet);
    // As the programs do: sendfile to a closed peer raises SIGPIPE otherwise.
    std::signal(SIGPIPE, SIG_IGN);
    listener_.emplace(ctx_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), options);
    port_ = listener_->local_endpoint().port();
    listener_->run(std::move(start_session));
    thread_ = std::thread([this] { ctx_.run(); });
}

background_server::~background_server()
{
    ctx_.stop();
    thread_.join();
}

bool
background_server::wait_for_connections(std::size_t count, std::chrono::milliseconds limit)
{
    // The count changes on the server's thread with no event to wait on: look every few milliseconds.
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (connections() != count)
    {
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

std::unique_ptr<background_server>
start_fast_server(std::string poem, listener_options options, clock::duration write_timeout, poem_delivery delivery)
{
    fast_server_config config{std::make_shared<const std::string>(std::move(poem)), write_timeout, {}};
    if (delivery == poem_delivery::memory_file)
    {
        error_code ec;
        config.poem_file = memory_file::create(*config.poem, ec);
        if (ec)
            throw std::runtime_error("test server cannot make a memory file: " + ec.message());
    }
    options.cork_replies = true; // as fastpoetry does
    return std::make_unique<background_server>(
        [config](accepted_socket s, connection_slot slot) {
            start_fast_session(std::move(s), std::move(slot), config);
        },
        options);
}

std::unique_ptr<background_server>
start_slow_server(std::string poem, std::size_t chunk, clock::duration delay)
{
    slow_server_config config;
    config.poem = std::make_shared<const std::string>(std::move(poem));
    config.drip.chunk_size = chunk;
    config.drip.delay = delay;
    return std::make_unique<background_server>([config](accepted_socket s, connection_slot slot) {
        start_slow_session(std::move(s).into_socket(), std::move(slot), config);
    });
}

std::unique_ptr<background_server>
start_transform_server(transform_server_config config)
{
    listener_options options;
    options.cork_replies = true; // as transformedpoetry does
    return std::make_unique<background_server>(
        [config](accepted_socket s, connection_slot slot) {
            start_transform_session(std::move(s), std::move(slot), config);
        },
        options);
}

std::unique_ptr<background_server>
start_hung_server()
{
    // Only the server thread touches the held sockets.
    auto held = std::make_shared<std::vector<std::pair<tcp::socket, connection_slot>>>();
    return std::make_unique<background_server>([held](accepted_socket s, connection_slot slot) {
        held->emplace_back(std::move(s).into_socket(), std::move(slot));
    });
}

} // namespace poetry::test

namespace poetry::test {

std::uint16_t
closed_port()
{
    asio::io_context ctx;
    tcp::acceptor acceptor(ctx, {asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

} // namespace poetry::test
