#include "poetry/server_threads.hpp"

namespace poetry {

server_threads::server_threads(const tcp::endpoint& endpoint, unsigned threads, listener_options options,
                               const starter_factory& make_starter, error_code& ec, std::string& what)
{
    threads = std::max(threads, 1u);
    options.reuse_port = options.reuse_port || threads > 1;
    options.max_connections = (options.max_connections + threads - 1) / threads;

    tcp::endpoint bind_to = endpoint;
    for (unsigned i = 0; i < threads; ++i)
    {
        auto& added = *loops_.emplace_back(std::make_unique<loop>());
        added.accept = std::make_unique<listener>(*added.ctx, bind_to, options, ec, what);
        if (ec)
            return;
        // With port 0 the first listener picks the port; the others join it there.
        bind_to.port(added.accept->local_endpoint().port());
        added.start_session = make_starter(i);
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

void
server_threads::run()
{
    for (auto& each : loops_)
        each->accept->run(std::move(each->start_session));
    for (std::size_t i = 1; i < loops_.size(); ++i)
        threads_.emplace_back([ctx = loops_[i]->ctx.get()] { ctx->run(); });
    loops_.front()->ctx->run();
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

} // namespace poetry
