#include "background_server.hpp"

#include "poetry/server/log.hpp"

namespace poetry::test {

server_config
loopback(std::uint16_t port, std::size_t max_connections)
{
    server_config listening;
    listening.endpoint = {asio::ip::make_address("127.0.0.1"), port};
    listening.max_connections = max_connections;
    return listening;
}

const server_config&
background_server::quiet(const server_config& listening)
{
    set_log_level(log_level::quiet);
    return listening;
}

background_server::~background_server()
{
    server_.stop();
    if (thread_.joinable())
        thread_.join();
}

bool
background_server::wait_for_connections(std::size_t count, std::chrono::milliseconds limit) const
{
    return wait_until([&] { return connections() == count; }, limit);
}

bool
background_server::wait_for_accepted(std::uint64_t count, std::chrono::milliseconds limit) const
{
    return wait_until([&] { return accepted() >= count; }, limit);
}

bool
background_server::wait_until(const std::function<bool()>& holds, std::chrono::milliseconds limit)
{
    // The counts change on the server's threads with no event to wait on: look every few milliseconds.
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!holds())
    {
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

std::unique_ptr<background_server>
start_fast_server(std::string poem, std::size_t max_connections, clock::duration write_timeout, bool sendfile,
                  serving when)
{
    fast_server_config config;
    config.poem = std::make_shared<const std::string>(std::move(poem));
    config.write_timeout = write_timeout;
    config.sendfile = sendfile;
    return std::make_unique<background_server>(std::move(config), loopback(0, max_connections), when);
}

std::unique_ptr<background_server>
start_slow_server(std::string poem, std::size_t chunk, clock::duration delay, std::uint16_t port)
{
    slow_server_config config;
    config.poem = std::make_shared<const std::string>(std::move(poem));
    config.drip.chunk_size = chunk;
    config.drip.delay = delay;
    return std::make_unique<background_server>(std::move(config), loopback(port));
}

std::unique_ptr<background_server>
start_transform_server(transform_server_config config)
{
    return std::make_unique<background_server>(std::move(config));
}

std::unique_ptr<background_server>
start_proxy_server(std::uint16_t upstream_port)
{
    proxy_server_config config;
    config.upstream = {"127.0.0.1", upstream_port};
    return std::make_unique<background_server>(std::move(config));
}

scripted_server::scripted_server(script on_connection)
    : script_(std::move(on_connection))
{
    acceptor_.open(tcp::v4());
    acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    accept_next();
    thread_ = std::thread([this] { ctx_.run(); });
}

scripted_server::~scripted_server()
{
    ctx_.stop();
    thread_.join();
}

void
scripted_server::accept_next()
{
    acceptor_.async_accept([this](error_code ec, tcp::socket connection) {
        if (ec)
            return;
        script_(connection, ++accepted_);
        if (connection.is_open())
            held_.push_back(std::move(connection));
        accept_next();
    });
}

std::unique_ptr<scripted_server>
start_hung_server()
{
    return std::make_unique<scripted_server>([](tcp::socket&, int) {});
}

std::uint16_t
closed_port()
{
    asio::io_context ctx;
    tcp::acceptor acceptor(ctx, {asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

} // namespace poetry::test
