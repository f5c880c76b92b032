// The drip as a small state machine: due in the schedule, or waiting for room in
// the socket's buffer, until it completes, once.
#include "poetry/server/drip.hpp"

#include "drip/drip_schedule.hpp"
#include "socket/raw_io.hpp"

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>

namespace poetry {
namespace {

// One poem on its way to one client.
//
// Steps: send a chunk when the schedule says it is due; if the socket takes only
// part of it, wait for room and send the rest; then back to the schedule for the
// next chunk, a delay later. Every way out (the poem sent, a failed send, a cancellation, the
// socket closed) goes through complete(), which runs once: `state_` says where the
// operation is, and whatever arrives later finds it done and does nothing.
class drip_state : public detail::drip_client, public std::enable_shared_from_this<drip_state>
{
public:
    drip_state(tcp::socket& socket, idle_timer& progress, std::string_view poem, drip_options options,
               asio::any_completion_handler<drip_signature> handler)
        : socket_(socket)
        , progress_(progress)
        , poem_(poem)
        , due_(clock::now())
        , options_(std::move(options))
        , handler_(std::move(handler))
        , handler_work_(asio::get_associated_executor(handler_, socket_.get_executor()))
    {
    }

    // The first chunk goes out at once.
    void start()
    {
        if (auto slot = asio::get_associated_cancellation_slot(handler_); slot.is_connected())
            slot.assign([weak = weak_from_this()](asio::cancellation_type) {
                if (auto self = weak.lock())
                    self->on_cancel();
            });
        if (const auto next = on_due())
            detail::drip_schedule::of(socket_.get_executor()).add(shared_from_this(), *next);
    }

    // The schedule says the next chunk is due.
    std::optional<clock::time_point> on_due() override
    {
        if (state_ != state::due)
            return std::nullopt; // completed while it sat in the schedule
        if (!socket_.is_open())
            return complete(asio::error::operation_aborted);
        const std::size_t end = std::min(sent_ + options_.chunk_size, poem_.size());
        if (options_.on_chunk)
            options_.on_chunk(end - sent_);
        return send_chunk(end);
    }

private:
    enum class state
    {
        due,              // in the schedule, for the next chunk
        waiting_for_room, // the socket's buffer is full: waiting for it to take the rest
        done
    };

    // Send what is left of the chunk that ends at `end`; say when the next is due.
    std::optional<clock::time_point> send_chunk(std::size_t end)
    {
        const detail::io_result sent = detail::send_now(socket_.native_handle(), {poem_.substr(0, end)}, sent_);
        sent_ += sent.bytes;
        const auto now = clock::now();
        if (sent.bytes > 0)
            progress_.touch(now);
        if (sent.ec || sent_ == poem_.size())
            return complete(sent.ec);
        if (sent_ < end)
            return wait_for_room(end);
        state_ = state::due;
        return due_ = next_due(now);
    }

    // The client's buffers are full (it reads slowly, or not at all).
    std::optional<clock::time_point> wait_for_room(std::size_t end)
    {
        state_ = state::waiting_for_room;
        socket_.async_wait(
            tcp::socket::wait_write,
            asio::bind_cancellation_slot(stop_waiting_.slot(),
                                         [self = shared_from_this(), end](error_code ec) { self->on_room(ec, end); }));
        return std::nullopt;
    }

    void on_room(error_code ec, std::size_t end)
    {
        if (state_ != state::waiting_for_room)
            return;
        if (ec)
            return void(complete(ec));
        if (const auto next = send_chunk(end))
            detail::drip_schedule::of(socket_.get_executor()).add(shared_from_this(), *next);
    }

    void on_cancel()
    {
        if (state_ == state::waiting_for_room)
            stop_waiting_.emit(asio::cancellation_type::terminal); // on_room completes
        else if (state_ == state::due)
        {
            detail::drip_schedule::of(socket_.get_executor()).withdraw(*this); // its entry finds it done
            in_slot_handler_ = true; // the slot cannot be cleared from inside its own handler
            complete(asio::error::operation_aborted);
        }
    }

    // The next chunk is due a delay after this one was (the schedule does not drift), but
    // never sooner than a delay, less a tenth, after this one went out: a chunk a little
    // late (a busy round) is made up, a stall (a stopped server, an overloaded loop) is
    // not, and never turns into a burst of late chunks. Rounded up to the grain, so that
    // chunks due together go out in one wake-up.
    clock::time_point next_due(clock::time_point sent) const
    {
        const auto earliest = sent + options_.delay - options_.delay / 10;
        const auto exact = std::max(due_ + options_.delay, earliest).time_since_epoch().count();
        const auto grain = std::max<clock::rep>(options_.grain.count(), 1);
        return clock::time_point(clock::duration((exact + grain - 1) / grain * grain));
    }

    // The one way out. As Asio requires, the handler runs through its associated executor
    // (the socket's when it has none) and never inside the initiating call: the completion
    // is posted to the socket's loop, where it is queued work of its own (Asio 1.26's
    // any_completion_executor cannot be posted to directly).
    std::optional<clock::time_point> complete(error_code ec)
    {
        state_ = state::done;
        if (auto slot = asio::get_associated_cancellation_slot(handler_); slot.is_connected() && !in_slot_handler_)
            slot.clear();
        const auto ex = asio::get_associated_executor(handler_, socket_.get_executor());
        auto call = asio::bind_executor(
            ex, [handler = std::move(handler_), ec, sent = sent_]() mutable { std::move(handler)(ec, sent); });
        asio::post(socket_.get_executor(), [call = std::move(call), work = std::move(handler_work_)]() mutable {
            asio::dispatch(std::move(call));
            work.reset();
        });
        return std::nullopt;
    }

    // What every chunk reads first, together, so that a chunk costs few cache lines.
    tcp::socket& socket_;
    idle_timer& progress_;
    std::string_view poem_;
    std::size_t sent_ = 0;
    clock::time_point due_; // when the chunk being sent was due
    state state_ = state::due;
    bool in_slot_handler_ = false;
    drip_options options_;
    asio::any_completion_handler<drip_signature> handler_;
    // The handler's executor has work outstanding until the handler is queued on it.
    asio::executor_work_guard<
        asio::associated_executor_t<asio::any_completion_handler<drip_signature>, tcp::socket::executor_type>>
        handler_work_;
    asio::cancellation_signal stop_waiting_;
};

} // namespace

namespace detail {

void
async_drip_poem_impl(asio::any_completion_handler<drip_signature> handler, tcp::socket& socket, idle_timer& progress,
                     std::string_view poem, drip_options options)
{
    std::make_shared<drip_state>(socket, progress, poem, std::move(options), std::move(handler))->start();
}

} // namespace detail

} // namespace poetry
