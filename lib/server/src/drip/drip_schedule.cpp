#include "drip/drip_schedule.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <stdexcept>

namespace poetry::detail {

drip_schedule::drip_schedule(asio::io_context& context)
    : asio::execution_context::service(context)
    , context_(context)
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
    ++live_;
    arm();
}

void
drip_schedule::withdraw(drip_client& client)
{
    client.withdrawn_ = true;
    if (--live_ > 0)
        return;
    // Only withdrawn clients are left: drop them and stop the timer.
    due_ = {};
    armed_for_ = clock::time_point::max();
    if (timer_)
        timer_->cancel();
}

void
drip_schedule::shutdown()
{
    // The loop is going away: drop the clients (and their sockets) and the timer now,
    // while the services they use still exist.
    due_ = {};
    round_.clear();
    live_ = 0;
    timer_.reset();
}

void
drip_schedule::arm()
{
    // A posted round re-arms when it ends; only an earlier chunk moves the timer, so
    // most additions cost no timer operation.
    if (round_posted_ || due_.empty() || !timer_ || due_.top().due >= armed_for_)
        return;
    armed_for_ = due_.top().due;
    timer_->expires_at(armed_for_);
    timer_->async_wait([this](error_code ec) {
        if (ec == asio::error::operation_aborted)
            return; // moved earlier: a newer wait is pending
        armed_for_ = clock::time_point::max();
        serve_round();
    });
}

void
drip_schedule::serve_round()
{
    // The round: every client due now, taken out first, so that one that is due
    // again at once goes to the next round, behind the others.
    const auto now = clock::now();
    while (!due_.empty() && due_.top().due <= now)
    {
        round_.push_back(std::move(const_cast<entry&>(due_.top())));
        due_.pop();
        if (!round_.back().client->withdrawn_)
            --live_;
    }
    for (auto& each : round_)
        if (const auto next = each.client->on_due())
        {
            due_.push({*next, added_++, std::move(each.client)});
            ++live_;
        }
    round_.clear();

    if (due_.empty() || due_.top().due > clock::now())
        return arm();
    // Late already: the next round after whatever else the loop has to do.
    round_posted_ = true;
    asio::post(context_, [this] {
        round_posted_ = false;
        serve_round();
    });
}

} // namespace poetry::detail
