// What the Part 17 programs await: Twisted's callLater, spelled with an Asio timer.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>

namespace inline_callbacks {

namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

/// Python's Exception(n), whose repr() is "Exception(n)".
struct tutorial_exception : std::runtime_error
{
    explicit tutorial_exception(int value)
        : std::runtime_error("Exception(" + std::to_string(value) + ")")
    {
    }
};

/// Suspend this coroutine; the event loop resumes it after `delay`.
inline asio::awaitable<void>
pause(clock::duration delay)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    co_await timer.async_wait(asio::use_awaitable);
}

/// "d = Deferred(); reactor.callLater(delay, d.callback, value); yield d".
inline asio::awaitable<int>
value_later(clock::duration delay, int value)
{
    co_await pause(delay);
    co_return value;
}

/// "d = Deferred(); reactor.callLater(delay, d.errback, Exception(value)); yield d".
inline asio::awaitable<int>
failure_later(clock::duration delay, int value)
{
    co_await pause(delay);
    throw tutorial_exception(value);
}

/// Run one coroutine on a fresh event loop until it is done (Python: reactor.run() until
/// reactor.stop()). An exception it lets out is rethrown here, never lost.
inline void
run_until_done(asio::awaitable<void> coroutine)
{
    asio::io_context reactor;
    asio::co_spawn(reactor, std::move(coroutine), [](std::exception_ptr e) {
        if (e)
            std::rethrow_exception(e);
    });
    reactor.run();
}

} // namespace inline_callbacks
