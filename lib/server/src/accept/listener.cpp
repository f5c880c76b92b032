#include "accept/listener.hpp"

#include "poetry/io/endpoint.hpp"
#include "poetry/server/log.hpp"
#include "socket/socket_options.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/socket_base.hpp>

#include <cerrno>
#include <new>
#include <system_error>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace poetry::detail {

listener::listener(asio::io_context& ctx, const tcp::endpoint& endpoint, listener_options options)
    : executor_(ctx.get_executor())
    , protocol_(endpoint.protocol())
    , acceptor_(ctx)
    , backoff_(ctx)
    , options_(options)
    , count_(options_.open_connections ? options_.open_connections : std::make_shared<connection_count>(0))
{
    // Each step names itself, so that a failure says which one failed.
    error_code ec;
    const auto check = [&](const char* step) {
        if (ec)
            throw std::system_error(ec, std::string("cannot ") + step + " " + to_string(endpoint));
    };
    acceptor_.open(endpoint.protocol(), ec);
    check("open");
    // Let a restarted server bind the port at once, whatever connections linger.
    acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    check("set SO_REUSEADDR on");
    if (options_.reuse_port)
    {
        acceptor_.set_option(reuse_port(true), ec);
        check("set SO_REUSEPORT on");
    }
    if (options_.cork_replies)
    {
        acceptor_.set_option(tcp_cork(true), ec);
        check("set TCP_CORK on");
    }
    acceptor_.bind(endpoint, ec);
    check("bind");
    // SOMAXCONN asks for the kernel's largest backlog (net.core.somaxconn).
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    check("listen on");
    // accept4 must say "nothing waiting" rather than block.
    acceptor_.non_blocking(true, ec);
    check("set non-blocking mode on");
}

void
listener::run(connection_handler& handler)
{
    handler_ = &handler;
    accept_waiting();
}

tcp::endpoint
listener::local_endpoint() const
{
    error_code ignored;
    return acceptor_.local_endpoint(ignored);
}

void
listener::wait_for_connections()
{
    acceptor_.async_wait(tcp::acceptor::wait_read, [this](error_code ec) {
        if (ec == asio::error::operation_aborted || !acceptor_.is_open())
            return;
        if (ec)
            return on_accept_error(ec);
        accept_waiting();
    });
}

void
listener::accept_waiting()
{
    // Take every connection waiting with bare accept4 calls, each with its slot, so that
    // the kernel's queue drains as fast as a burst fills it; then hand them to the
    // handler a batch a turn, so that a flood does not starve the sessions. The readiness
    // signal is edge-triggered: wait again only once the queue is empty.
    const queue left = take_waiting();
    set_up_taken();
    if (left == queue::drained)
        return wait_for_connections();
    if (left == queue::more)
        asio::post(acceptor_.get_executor(), [this] {
            if (acceptor_.is_open())
                accept_waiting();
        });
}

listener::queue
listener::take_waiting()
{
    // At most this many taken and not yet handed over: the listen backlog's worth.
    constexpr std::size_t most_taken = 4096;
    while (taken_.size() < most_taken)
    {
        const int fd = ::accept4(acceptor_.native_handle(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0)
        {
            if (auto slot = slot_for(fd))
                taken_.emplace_back(fd, std::move(*slot));
            continue;
        }
        switch (errno)
        {
        case EAGAIN:
            return queue::drained;
        case EINTR:
        case ECONNABORTED: // the client gave up while queued; so do the network errors below
        case EPROTO:
        case ENETDOWN:
        case ENOPROTOOPT:
        case EHOSTDOWN:
        case ENONET:
        case EHOSTUNREACH:
        case ENETUNREACH:
        case EPERM: // refused by a firewall rule
            continue;
        default: // out of descriptors or memory
            on_accept_error(error_code(errno, boost::system::system_category()));
            return queue::failed;
        }
    }
    return queue::more;
}

void
listener::set_up_taken()
{
    constexpr std::size_t batch = 64;
    for (std::size_t i = 0; i < batch && !taken_.empty(); ++i)
    {
        auto [fd, slot] = std::move(taken_.front());
        taken_.pop_front();
        try
        {
            handler_->accept(accepted_connection(executor_, protocol_, fd, std::move(slot)));
        }
        catch (const std::bad_alloc&)
        {
            // The session's objects are gone with the exception, its socket closed: only it is lost.
            log_line("out of memory starting a session; its connection is closed");
        }
    }
    if (taken_.empty() || set_up_posted_)
        return;
    set_up_posted_ = true;
    asio::post(acceptor_.get_executor(), [this] {
        set_up_posted_ = false;
        set_up_taken();
    });
}

listener::~listener()
{
    for (auto& [fd, slot] : taken_)
        ::close(fd);
}

void
listener::on_accept_error(error_code ec)
{
    // Out of descriptors and the like: pause instead of spinning, log once per episode.
    if (!in_error_episode_)
        log_line("accept failed: " + ec.message() + "; retrying every 100 ms");
    in_error_episode_ = true;
    backoff_.expires_after(std::chrono::milliseconds(100));
    backoff_.async_wait([this](error_code wait_ec) {
        // Try at once: the connections that were waiting signal nothing new.
        if (!wait_ec && acceptor_.is_open())
            accept_waiting();
    });
}

std::optional<connection_slot>
listener::slot_for(int fd)
{
    if (in_error_episode_)
        log_line("accepting again");
    in_error_episode_ = false;
    accepted_.store(accepted_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed); // this thread's own

    auto slot = connection_slot::take(count_, options_.max_connections);
    if (!slot)
    {
        if (!in_overload_episode_)
            log_line("connection limit of " + std::to_string(options_.max_connections) +
                     " reached; closing new connections until some end");
        in_overload_episode_ = true;
        // A plain close would read as an empty poem: refuse with a reset.
        abort_on_close(fd);
        ::close(fd);
        return std::nullopt;
    }
    in_overload_episode_ = false;
    return slot;
}

} // namespace poetry::detail
