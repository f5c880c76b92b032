// The server: its protocol's handlers on N event loops, and serving until a signal.
#include "poetry/server/server.hpp"

#include "poetry/io/endpoint.hpp"
#include "poetry/server/log.hpp"
#include "protocols/protocols.hpp"
#include "startup/server_threads.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <thread>
#include <utility>

#include <pthread.h>
#include <signal.h>

namespace poetry {

server::server(const server_config& listening, fast_server_config config)
    : server(listening, detail::fast_protocol(std::move(config)))
{
}

server::server(const server_config& listening, slow_server_config config)
    : server(listening, detail::slow_protocol(std::move(config)))
{
}

server::server(const server_config& listening, transform_server_config config)
    : server(listening, detail::transform_protocol(std::move(config)))
{
}

server::server(const server_config& listening, proxy_server_config config)
    : server(listening, detail::proxy_protocol(std::move(config)))
{
}

server::server(const server_config& listening, detail::server_protocol protocol)
    : protocol_(std::make_unique<detail::server_protocol>(std::move(protocol)))
{
    // sendfile(2) cannot be told not to raise SIGPIPE, and a closed peer must never end the server.
    std::signal(SIGPIPE, SIG_IGN);
    detail::listener_options options;
    options.max_connections = listening.max_connections;
    options.cork_replies = protocol_->replies_once;
    threads_ =
        std::make_unique<detail::server_threads>(listening.endpoint, listening.threads, std::move(options), *protocol_);
}

server::~server()
{
    // The loops stop first; what hands work back to them finishes while they still exist.
    threads_->stop();
    threads_->join();
    after_stop();
}

void
server::after_stop()
{
    if (auto finish = std::exchange(protocol_->after_stop, {}))
        finish();
}

tcp::endpoint
server::local_endpoint() const
{
    return threads_->local_endpoint();
}

std::size_t
server::connections() const noexcept
{
    return threads_->connections();
}

std::vector<std::uint64_t>
server::accepted_per_thread() const
{
    return threads_->accepted_per_thread();
}

void
server::run()
{
    threads_->run();
    after_stop();
}

void
server::stop()
{
    threads_->stop();
}

namespace {

sigset_t
stop_signal_set() noexcept
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

} // namespace

void
block_stop_signals() noexcept
{
    const sigset_t set = stop_signal_set();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void
serve_until_signal(server& s, std::string_view what)
{
    const auto endpoint = s.local_endpoint();
    warn_if_listening_everywhere(endpoint);

    // The signals are blocked first, then the line is printed: a script that reads the line
    // and stops the server at once finds its signal waiting for sigwait, and sees exit
    // status 0. Taken synchronously by a thread of their own, never by a handler, they
    // cannot be lost or put off (ThreadSanitizer defers asynchronous handlers).
    block_stop_signals();
    std::atomic<bool> served{false};
    std::thread waiter([&] {
        const sigset_t set = stop_signal_set();
        int signal = 0;
        sigwait(&set, &signal);
        if (!served.load())
            s.stop();
    });
    // However run ends, the waiter is woken (by a signal of its own) and joined.
    const auto release_waiter = [&] {
        served.store(true);
        pthread_kill(waiter.native_handle(), SIGTERM);
        waiter.join();
    };

    std::printf("Serving %.*s on %s.\n", static_cast<int>(what.size()), what.data(), to_string(endpoint).c_str());
    std::fflush(stdout);
    try
    {
        s.run();
    }
    catch (...)
    {
        release_waiter();
        throw;
    }
    release_waiter();
}

void
warn_if_listening_everywhere(const tcp::endpoint& listening)
{
    // An IPv6 socket bound to the IPv4-mapped unspecified address takes every IPv4 address.
    const auto address = listening.address();
    const bool everywhere =
        address.is_unspecified() || (address.is_v6() && address.to_v6().is_v4_mapped() &&
                                     asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).is_unspecified());
    if (everywhere)
        log_line("warning: listening on " + to_string(listening) +
                 ": the server is reachable from the network, not only from this machine");
}

tcp::endpoint
resolve_listen_endpoint(const std::string& iface, std::uint16_t port, error_code& ec)
{
    ec = {};
    if (const auto literal = asio::ip::make_address(iface, ec); !ec)
        return {literal, port};

    // Blocking is fine here: this runs once, before the event loop starts.
    asio::io_context ctx;
    tcp::resolver resolver(ctx);
    const auto results = resolver.resolve(iface, std::to_string(port), tcp::resolver::passive, ec);
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

} // namespace poetry
