// A result that arrives later, in Asio's terms: what Part 7's Deferred is.
//
// Twisted's Deferred is an object you hand callbacks to, and whoever has the result fires
// it. Asio has no such object: an asynchronous operation takes a completion handler (the
// callback and errback in one: it gets an error or a value) and holds it until the result
// comes, then hands it back to the handler's executor. `pending<T>` is the smallest such
// operation: async_wait() is its initiating function, written with async_initiate like
// every operation in Asio; deliver() and fail() are the Deferred's callback() and
// errback(). The error is a std::exception_ptr, as co_spawn's completion gets it: it
// carries any exception, as a Twisted Failure carries any Python one.
//
// Where it differs from a Deferred, the programs of this folder show:
// - the handler is taken out when it is called, so a second result finds nobody to call:
//   deliver() or fail() again throws already_called (defer-4 to defer-7);
// - a handler is never called inside async_wait(): a result that is already there is
//   posted to the loop (defer-11);
// - a result given from inside the loop runs the handler at once (dispatch), as
//   Twisted's callback() does; given from outside it, it waits for run() (defer-1).
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace tutorial {

namespace asio = boost::asio;

/// A second result for an operation that already has one (Twisted's AlreadyCalledError).
struct already_called : std::logic_error
{
    already_called()
        : std::logic_error("already called: the operation had its result, and its handler was called once")
    {
    }
};

template <class T>
class pending
{
public:
    using signature = void(std::exception_ptr, T);

    explicit pending(asio::io_context& loop)
        : loop_(loop)
    {
    }

    /// Wait for the result: `token` is a handler, use_awaitable, or any other token.
    template <asio::completion_token_for<signature> Token>
    auto async_wait(Token&& token)
    {
        return asio::async_initiate<Token, signature>(
            [this](auto handler) {
                if (result_)
                    return post_result(std::move(handler)); // there already: never called in here
                handler_.emplace(std::move(handler), asio::make_work_guard(loop_));
            },
            token);
    }

    /// The value arrived: call the waiting handler (Twisted's d.callback(value)).
    void deliver(T value) { complete(nullptr, std::move(value)); }

    /// The operation failed: call the waiting handler with the error (d.errback(error)).
    void fail(std::exception_ptr error) { complete(std::move(error), T{}); }

private:
    using handler_type = asio::any_completion_handler<signature>;

    void complete(std::exception_ptr error, T value)
    {
        if (result_)
            throw already_called();
        result_.emplace(std::move(error), std::move(value));
        if (!handler_)
            return; // nobody waits yet: the result waits for them
        auto [handler, work] = std::move(*handler_);
        handler_.reset();
        // Runs the handler here if we are inside the loop, else queues it for run(). (A
        // general operation would use the handler's own executor; here it is the loop's.)
        const auto [e, v] = *result_;
        asio::dispatch(loop_, [handler = std::move(handler), e, v]() mutable { std::move(handler)(e, v); });
    }

    void post_result(handler_type handler)
    {
        const auto [e, v] = *result_;
        asio::post(loop_, [handler = std::move(handler), e, v]() mutable { std::move(handler)(e, v); });
    }

    asio::io_context& loop_;
    // The waiting handler, and the loop's count of outstanding work while it waits: a
    // loop with a handler waiting does not return from run().
    std::optional<std::pair<handler_type, asio::executor_work_guard<asio::io_context::executor_type>>> handler_;
    std::optional<std::pair<std::exception_ptr, T>> result_;
};

/// What an exception_ptr holds, as a line: its message.
inline std::string
message_of(const std::exception_ptr& error)
{
    try
    {
        std::rethrow_exception(error);
    }
    catch (const std::exception& e)
    {
        return e.what();
    }
    catch (...)
    {
        return "(not a std::exception)";
    }
}

} // namespace tutorial
