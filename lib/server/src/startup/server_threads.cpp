#include "startup/server_threads.hpp"

#include "socket/socket_options.hpp"

#include "poetry/io/endpoint.hpp"
#include "poetry/server/log.hpp"

#include <boost/asio/io_context.hpp>

#include <new>
#include <optional>
#include <system_error>

namespace poetry::detail {

namespace {

// SO_REUSEPORT lets any socket that sets it join the port, another program's too, and the
// kernel would split our connections with it. So first bind a plain socket: it fails as
// one listener would if anything holds the port, and it turns port 0 into a free port.
// It then lets our listeners join it (SO_REUSEPORT set after the bind) and holds the port
// until they have bound, so that nothing can take the port in between.
class port_claim
{
public:
    explicit port_claim(const tcp::endpoint& endpoint)
    {
        error_code ec;
        socket_.open(endpoint.protocol(), ec);
        if (!ec)
            socket_.set_option(tcp::acceptor::reuse_address(true), ec); // as the listeners: TIME_WAIT is no owner
        if (!ec)
            socket_.bind(endpoint, ec);
        if (!ec)
            socket_.set_option(reuse_port(true), ec);
        if (ec)
            throw std::system_error(ec, "cannot bind " + to_string(endpoint));
    }

    tcp::endpoint endpoint() const { return socket_.local_endpoint(); }

private:
    asio::io_context ctx_;
    tcp::acceptor socket_{ctx_};
};

} // namespace

server_threads::server_threads(const tcp::endpoint& endpoint, unsigned threads, listener_options options,
                               const server_protocol& protocol)
{
    threads = std::max(threads, 1u);
    options.reuse_port = options.reuse_port || threads > 1;
    // One count for every thread's listener: the cap is the server's, not each thread's.
    if (!options.open_connections)
        options.open_connections = std::make_shared<connection_count>(0);
    open_ = options.open_connections;

    std::optional<port_claim> claim; // held until every listener has bound
    if (options.reuse_port)
        claim.emplace(endpoint);
    tcp::endpoint bind_to = claim ? claim->endpoint() : endpoint;
    for (unsigned i = 0; i < threads; ++i)
    {
        auto& added = *loops_.emplace_back(std::make_unique<loop>());
        added.accept = std::make_unique<listener>(*added.ctx, bind_to, options);
        // Without SO_REUSEPORT and with port 0, the listener picked the port; the others join it there.
        bind_to.port(added.accept->local_endpoint().port());
        added.handler = protocol.make_handler(i);
    }
}

server_threads::~server_threads()
{
    stop();
    join();
}

tcp::endpoint
server_threads::local_endpoint() const
{
    return loops_.front()->accept->local_endpoint();
}

namespace {

// Run a loop until it is stopped. An allocation that fails in a handler ends that
// handler's connection (its state is released as the exception unwinds), never the loop.
void
run_loop(asio::io_context& ctx)
{
    for (;;)
    {
        try
        {
            ctx.run();
            return;
        }
        catch (const std::bad_alloc&)
        {
            log_line("out of memory in a connection's handler; that connection is closed, serving goes on");
        }
    }
}

} // namespace

std::vector<std::uint64_t>
server_threads::accepted_per_thread() const
{
    std::vector<std::uint64_t> counts;
    for (const auto& each : loops_)
        counts.push_back(each->accept->accepted());
    return counts;
}

void
server_threads::run()
{
    for (auto& each : loops_)
        each->accept->run(*each->handler);
    for (std::size_t i = 1; i < loops_.size(); ++i)
        threads_.emplace_back([ctx = loops_[i]->ctx.get()] { run_loop(*ctx); });
    run_loop(*loops_.front()->ctx);
    join();
}

void
server_threads::stop()
{
    for (auto& each : loops_)
        each->ctx->stop();
}

void
server_threads::join()
{
    for (auto& thread : threads_)
        thread.join();
    threads_.clear();
}

} // namespace poetry::detail
