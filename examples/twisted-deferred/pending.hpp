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
//   Twisted's callback() does; given from outside it, it waits for run() (defer-1);
// - cancelling is a request, sent through the handler's cancellation slot: an operation
//   made without a canceller ignores it, one made with abort_on_cancel completes with
//   operation_aborted, as Twisted's CancelledError (deferred-cancel/).
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/system/system_error.hpp>

#include <exception>
#include <functional>
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

    /// What the operation does when the waiting handler's cancellation slot is signalled
    /// (Twisted's canceller): it may deliver, fail, or do nothing at all.
    using canceller = std::function<void(pending&)>;

    /// An operation that installs no cancellation handler: a cancellation request is ignored.
    explicit pending(asio::io_context& loop)
        : loop_(loop)
    {
    }

    /// An operation that calls `on_cancel` when its handler's slot is signalled (an empty
    /// `on_cancel`: none, as above).
    pending(asio::io_context& loop, canceller on_cancel)
        : loop_(loop)
        , on_cancel_(std::move(on_cancel))
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
                // Swapped in: Boost 1.81's move assignment of any_completion_handler wraps the
                // handler in itself, without end.
                handler_type(std::move(handler)).swap(handler_);
                work_ = asio::prefer(loop_.get_executor(), asio::execution::outstanding_work.tracked);
                // The slot of the stored handler: any_completion_handler takes over the
                // caller's slot and hands on cancellation through one of its own.
                auto slot = asio::get_associated_cancellation_slot(handler_);
                if (slot.is_connected() && on_cancel_)
                {
                    slot_ = slot;
                    slot_.assign([this](asio::cancellation_type) { cancel_requested(); });
                }
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
        auto handler = std::move(handler_);
        // The work ends with this call, after the handler is queued: a loop whose work
        // falls to nothing stops, and would never run it.
        const auto work = std::move(work_);
        // The cancellation handler goes with the waiting one (a signal after this finds
        // nothing to call), unless it is the one running now: a slot is not cleared from
        // inside its own handler.
        if (slot_.is_connected() && !in_cancellation_)
            slot_.clear();
        slot_ = {};
        // Runs the handler here if we are inside the loop, else queues it for run(). (A
        // general operation would use the handler's own executor; here it is the loop's.)
        const auto [e, v] = *result_;
        asio::dispatch(loop_, [handler = std::move(handler), e, v]() mutable { std::move(handler)(e, v); });
    }

    void cancel_requested()
    {
        if (result_)
            return; // completed already
        in_cancellation_ = true;
        on_cancel_(*this);
        in_cancellation_ = false;
    }

    void post_result(handler_type handler)
    {
        const auto [e, v] = *result_;
        asio::post(loop_, [handler = std::move(handler), e, v]() mutable { std::move(handler)(e, v); });
    }

    asio::io_context& loop_;
    // The waiting handler (empty when nobody waits), and while it waits an executor that
    // counts as the loop's outstanding work: a loop with a handler waiting does not
    // return from run().
    handler_type handler_;
    asio::any_io_executor work_;
    std::optional<std::pair<std::exception_ptr, T>> result_;
    canceller on_cancel_;
    asio::cancellation_slot slot_; // the waiting handler's, while it has our cancellation handler
    bool in_cancellation_ = false;
};

/// The usual cancellation handler: complete at once with operation_aborted, as Asio's own
/// operations do (and as a Deferred without a canceller fails with CancelledError).
template <class T>
void
abort_on_cancel(pending<T>& operation)
{
    operation.fail(std::make_exception_ptr(boost::system::system_error(asio::error::operation_aborted)));
}

/// What an exception_ptr holds, as a line: its message.
inline std::string
message_of(const std::exception_ptr& error)
{
    try
    {
        std::rethrow_exception(error);
    }
    catch (const boost::system::system_error& e) // Asio's errors: the code's message alone
    {
        return e.code().message();
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

/// Whether `error` is operation_aborted, as a cancelled operation gives it.
inline bool
was_cancelled(const std::exception_ptr& error)
{
    try
    {
        std::rethrow_exception(error);
    }
    catch (const boost::system::system_error& e)
    {
        return e.code() == asio::error::operation_aborted;
    }
    catch (...)
    {
        return false;
    }
}

} // namespace tutorial
