#include "poetry/server/drip.hpp"

#include "detail/drip_schedule.hpp"
#include "detail/raw_io.hpp"
#include "detail/send_rest.hpp"

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>

namespace poetry {
namespace {

// One poem on its way to one client, called by the event loop's drip schedule.
class drip_state : public detail::drip_client, public std::enable_shared_from_this<drip_state>
{
public:
    drip_state(tcp::socket& socket, idle_timer& progress, std::string_view poem, drip_options options,
               asio::any_completion_handler<drip_signature> handler)
        : socket_(socket)
        , progress_(progress)
        , poem_(poem)
        , options_(std::move(options))
        , handler_(std::move(handler))
        , handler_work_(asio::get_associated_executor(handler_, socket_.get_executor()))
        , start_(clock::now())
    {
    }

    // The first chunk goes out at once.
    void start()
    {
        // Cancelling makes the next chunk due now, and that ends the operation.
        if (auto slot = asio::get_associated_cancellation_slot(handler_); slot.is_connected())
            slot.assign([weak = weak_from_this()](asio::cancellation_type) {
                if (auto self = weak.lock(); self && !self->finished_)
                {
                    self->cancelled_ = true;
                    detail::drip_schedule::of(self->socket_.get_executor()).add(self, clock::now());
                }
            });
        if (const auto next = on_due())
            detail::drip_schedule::of(socket_.get_executor()).add(shared_from_this(), *next);
        starting_ = false;
    }

    std::optional<clock::time_point> on_due() override
    {
        if (finished_) // a cancellation's early call came first
            return std::nullopt;
        if (cancelled_ || !socket_.is_open())
            return finish(asio::error::operation_aborted);
        const std::size_t end = std::min(sent_ + options_.chunk_size, poem_.size());
        if (options_.on_chunk)
            options_.on_chunk(end - sent_);
        const detail::io_result sent = detail::send_now(socket_.native_handle(), {poem_.substr(0, end)}, sent_);
        sent_ += sent.bytes;
        if (sent.ec || sent_ == poem_.size())
            return finish(sent.ec);
        if (sent_ < end)
            return send_rest_of_chunk(end);
        progress_.touch();
        return due(++chunks_);
    }

private:
    // The client's buffers are full (it is not reading): wait for room, then rejoin the schedule.
    std::optional<clock::time_point> send_rest_of_chunk(std::size_t end)
    {
        detail::async_send_rest(socket_, progress_, {poem_.substr(0, end)}, sent_,
                                [self = shared_from_this()](error_code ec) {
                                    if (ec || self->sent_ == self->poem_.size())
                                        return void(self->finish(ec));
                                    const auto next = std::max(self->due(++self->chunks_), clock::now());
                                    detail::drip_schedule::of(self->socket_.get_executor()).add(self, next);
                                });
        return std::nullopt;
    }

    // When chunk `k` is due: start + k * delay (so a late chunk makes the next wait less),
    // rounded up to the grain so that chunks due together go out in one wake-up.
    clock::time_point due(std::size_t k) const
    {
        const auto exact = (start_ + static_cast<clock::rep>(k) * options_.delay).time_since_epoch().count();
        const auto grain = std::max<clock::rep>(options_.grain.count(), 1);
        return clock::time_point(clock::duration((exact + grain - 1) / grain * grain));
    }

    std::optional<clock::time_point> finish(error_code ec)
    {
        finished_ = true;
        if (auto slot = asio::get_associated_cancellation_slot(handler_); slot.is_connected())
            slot.clear();
        // As Asio requires: through the handler's associated executor (the socket's when it
        // has none), and never from inside the initiating call: post when finishing at once.
        const auto ex = asio::get_associated_executor(handler_, socket_.get_executor());
        auto complete = asio::bind_executor(
            ex, [handler = std::move(handler_), ec, sent = sent_]() mutable { std::move(handler)(ec, sent); });
        if (starting_) // by way of the socket's loop: Asio 1.26's any_completion_executor cannot be posted to
            asio::post(socket_.get_executor(),
                       [complete = std::move(complete), work = std::move(handler_work_)]() mutable {
                           asio::dispatch(std::move(complete)); // queued there now, it counts as work by itself
                           work.reset();
                       });
        else
            asio::dispatch(std::move(complete));
        handler_work_.reset(); // the completion is queued there now: it counts as work by itself
        return std::nullopt;
    }

    tcp::socket& socket_;
    idle_timer& progress_;
    std::string_view poem_;
    drip_options options_;
    asio::any_completion_handler<drip_signature> handler_;
    // The handler's executor has work outstanding until the handler is queued on it.
    asio::executor_work_guard<
        asio::associated_executor_t<asio::any_completion_handler<drip_signature>, tcp::socket::executor_type>>
        handler_work_;
    clock::time_point start_;
    std::size_t sent_ = 0;
    std::size_t chunks_ = 0;
    bool starting_ = true;
    bool cancelled_ = false;
    bool finished_ = false;
};

} // namespace

void
async_drip_poem_impl(asio::any_completion_handler<drip_signature> handler, tcp::socket& socket, idle_timer& progress,
                     std::string_view poem, drip_options options)
{
    auto state = std::make_shared<drip_state>(socket, progress, poem, options, std::move(handler));
    state->start();
}

} // namespace poetry
