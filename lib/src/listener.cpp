#include "poetry/listener.hpp"

#include "poetry/log.hpp"

#include <boost/asio/socket_base.hpp>

#include <sys/socket.h>

namespace poetry {

tcp::endpoint
resolve_listen_endpoint(const std::string& iface, std::uint16_t port, error_code& ec)
{
    ec = {};
    if (const auto literal = asio::ip::make_address(iface, ec); !ec)
        return {literal, port};

    // Blocking is fine here: this runs once, before the event loop starts.
    asio::io_context ctx;
    tcp::resolver resolver(ctx);
    const auto results =
        resolver.resolve(iface, std::to_string(port), tcp::resolver::passive, ec);
    if (ec)
        return {};
    for (const auto& entry : results)
        if (entry.endpoint().address().is_v4())
            return entry.endpoint();
    if (results.empty())
    {
        ec = asio::error::host_not_found;
        return {};
    }
    return results.begin()->endpoint();
}

std::string
to_string(const tcp::endpoint& endpoint)
{
    const auto host = endpoint.address().to_string();
    const auto port = std::to_string(endpoint.port());
    return endpoint.address().is_v6() ? "[" + host + "]:" + port : host + ":" + port;
}

listener::listener(asio::io_context& ctx, const tcp::endpoint& endpoint, listener_options options,
                   error_code& ec, std::string& what)
    : acceptor_(ctx)
    , backoff_(ctx)
    , options_(options)
{
    // Each step names itself in `what` so that a failure says which one failed.
    what = "open";
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec)
    {
        // Let a restarted server bind the port at once, whatever connections linger.
        what = "set SO_REUSEADDR on";
        acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    }
    if (!ec && options_.reuse_port)
    {
        what = "set SO_REUSEPORT on";
        const int on = 1;
        if (::setsockopt(acceptor_.native_handle(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0)
            ec.assign(errno, boost::system::system_category());
    }
    if (!ec)
    {
        what = "bind";
        acceptor_.bind(endpoint, ec);
    }
    if (!ec)
    {
        // SOMAXCONN asks for the kernel's largest backlog (net.core.somaxconn).
        what = "listen on";
        acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    }
}

void
listener::run(session_starter start_session)
{
    start_session_ = std::move(start_session);
    do_accept();
}

void
listener::close()
{
    error_code ignored;
    acceptor_.close(ignored);
    backoff_.cancel();
}

tcp::endpoint
listener::local_endpoint() const
{
    error_code ignored;
    return acceptor_.local_endpoint(ignored);
}

void
listener::do_accept()
{
    acceptor_.async_accept([this](error_code ec, tcp::socket socket) { on_accept(ec, std::move(socket)); });
}

void
listener::on_accept(error_code ec, tcp::socket socket)
{
    if (ec == asio::error::operation_aborted || !acceptor_.is_open())
        return;

    if (ec)
    {
        // Out of descriptors and the like: pause instead of spinning, log once per episode.
        if (!in_error_episode_)
            log_line("accept failed: " + ec.message() + "; retrying every 100 ms");
        in_error_episode_ = true;
        backoff_.expires_after(std::chrono::milliseconds(100));
        backoff_.async_wait([this](error_code wait_ec) {
            if (!wait_ec)
                do_accept();
        });
        return;
    }
    if (in_error_episode_)
        log_line("accepting again");
    in_error_episode_ = false;

    if (*count_ >= options_.max_connections)
    {
        if (!in_overload_episode_)
            log_line("connection limit of " + std::to_string(options_.max_connections) +
                     " reached; closing new connections until some end");
        in_overload_episode_ = true;
        error_code ignored;
        socket.close(ignored);
    }
    else
    {
        in_overload_episode_ = false;
        start_session_(std::move(socket), connection_slot(count_));
    }
    do_accept();
}

} // namespace poetry
