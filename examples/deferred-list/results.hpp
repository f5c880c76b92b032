// What the deferred-list programs share: a poem that comes after a delay (a timer in a
// coroutine, so that it can be cancelled), its lane in a --trace file, and the line that
// prints a group's results.
//
// A parallel group's handler gets, for each operation in the order they were given, what
// that operation's handler would have got: here an exception_ptr and a poem. Twisted's
// DeferredList gives a list of (success, result) pairs; the line below prints the same
// pairs, in the same list order, with the order of completion beside them.
#pragma once

#include "../common/trace_file.hpp"
#include "../twisted-deferred/pending.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <iostream>
#include <string>
#include <vector>

namespace tutorial {

/// `poem` after `delay`, or `failure` thrown when it is not empty; cancelled, the timer's
/// wait throws operation_aborted ("Operation canceled").
inline asio::awaitable<std::string>
poem_in(std::chrono::steady_clock::duration delay, std::string poem, std::string failure = "")
{
    asio::steady_timer timer(co_await asio::this_coro::executor, delay);
    co_await timer.async_wait(asio::use_awaitable);
    if (!failure.empty())
        throw std::runtime_error(failure);
    co_return poem;
}

/// `operation`, with its lane in `trace` (task `lane`, labelled `name`): "start" now, then
/// "done", "failed", or "cancelled" for operation_aborted, when it ends.
inline asio::awaitable<std::string>
traced(trace_file& trace, int lane, std::string name, asio::awaitable<std::string> operation)
{
    trace.event(lane, name, "start");
    try
    {
        auto poem = co_await std::move(operation);
        trace.event(lane, name, "done");
        co_return poem;
    }
    catch (const boost::system::system_error& e)
    {
        trace.event(lane, name, e.code() == asio::error::operation_aborted ? "cancelled" : "failed");
        throw;
    }
    catch (const std::exception&)
    {
        trace.event(lane, name, "failed");
        throw;
    }
}

/// One result as the DeferredList's pair: (ok, "poem") or (failed, "what went wrong").
inline std::string
pair_of(const std::exception_ptr& error, const std::string& poem)
{
    return error ? "(failed, \"" + message_of(error) + "\")" : "(ok, \"" + poem + "\")";
}

/// "We got: [...]" for every operation in list order, then the order they completed in.
inline void
print_results(const std::vector<std::size_t>& completion_order, const std::vector<std::exception_ptr>& errors,
              const std::vector<std::string>& poems)
{
    std::cout << "We got: [";
    for (std::size_t i = 0; i < poems.size(); ++i)
        std::cout << (i ? ", " : "") << pair_of(errors[i], poems[i]);
    std::cout << "]" << std::endl;
    std::cout << "completion order: [";
    for (std::size_t i = 0; i < completion_order.size(); ++i)
        std::cout << (i ? ", " : "") << "d" << completion_order[i] + 1;
    std::cout << "]" << std::endl;
}

/// The same for a group of two operations given one by one (make_parallel_group(a, b)).
inline void
print_pair_results(std::array<std::size_t, 2> completion_order, std::exception_ptr error_1, std::string poem_1,
                   std::exception_ptr error_2, std::string poem_2)
{
    print_results({completion_order[0], completion_order[1]}, {error_1, error_2}, {poem_1, poem_2});
}

} // namespace tutorial
