#include "detail/drip_schedule.hpp"

#include <boost/asio/io_context.hpp>

#include <stdexcept>

namespace poetry::detail {

drip_schedule::drip_schedule(asio::io_context& context)
    : asio::execution_context::service(context)
    , timer_(std::make_unique<asio::steady_timer>(context))
{
}

drip_schedule&
drip_schedule::of(const asio::any_io_executor& ex)
{
    // The schedule's timer needs an event loop: sockets of anything else cannot drip.
    const auto* loop = ex.target<asio::io_context::executor_type>();
    if (!loop)
        throw std::logic_error("a poem drips only on a socket of an io_context");
    return asio::use_service<drip_schedule>(loop->context());
}

void
drip_schedule::add(std::shared_ptr<drip_client> client, clock::time_point due)
{
    due_.push({due, added_++, std::move(client)});
    arm();
}

void
drip_schedule::shutdown()
{
    // The loop is going away: drop the clients (and their sockets) and the timer now,
    // while the services they use still exist.
    due_ = {};
    timer_.reset();
}

void
drip_schedule::arm()
{
    // Only an earlier chunk moves the timer: most additions cost no timer operation.
    if (due_.empty() || !timer_ || due_.top().due >= armed_for_)
        return;
    armed_for_ = due_.top().due;
    timer_->expires_at(armed_for_);
    timer_->async_wait([this](error_code ec) {
        if (ec == asio::error::operation_aborted)
            return; // moved earlier: a newer wait is pending
        armed_for_ = clock::time_point::max();
        on_tick();
    });
}

void
drip_schedule::on_tick()
{
    // Everything due by now, in order; a client due again goes back in the heap.
    const auto now = clock::now();
    while (!due_.empty() && due_.top().due <= now)
    {
        auto client = std::move(const_cast<entry&>(due_.top()).client);
        due_.pop();
        if (const auto next = client->on_due())
            due_.push({*next, added_++, std::move(client)});
    }
    arm();
}

} // namespace poetry::detail
