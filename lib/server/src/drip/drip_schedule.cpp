#include "drip/drip_schedule.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <iterator>
#include <stdexcept>

namespace poetry::detail {
namespace {

constexpr std::size_t prefetch_ahead = 6;

// The first two cache lines of an object, where a drip client keeps what a chunk reads.
void
prefetch(const void* object)
{
    __builtin_prefetch(object);
    __builtin_prefetch(static_cast<const char*>(object) + 64);
}

} // namespace

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
    due_[due].push_back(std::move(client));
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
    due_.clear();
    armed_for_ = clock::time_point::max();
    if (timer_)
        timer_->cancel();
}

void
drip_schedule::shutdown()
{
    // The loop is going away: drop the clients (and their sockets) and the timer now,
    // while the services they use still exist.
    due_.clear();
    round_.clear();
    rescheduled_.clear();
    live_ = 0;
    timer_.reset();
}

void
drip_schedule::arm()
{
    // A posted round re-arms when it ends; only an earlier chunk moves the timer, so
    // most additions cost no timer operation.
    if (round_posted_ || due_.empty() || !timer_ || due_.begin()->first >= armed_for_)
        return;
    armed_for_ = due_.begin()->first;
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
    while (!due_.empty() && due_.begin()->first <= now)
    {
        auto& earliest = due_.begin()->second;
        if (round_.empty())
            round_.swap(earliest);
        else
            round_.insert(round_.end(), std::make_move_iterator(earliest.begin()),
                          std::make_move_iterator(earliest.end()));
        due_.erase(due_.begin());
    }
    for (std::size_t i = 0; i < round_.size(); ++i)
    {
        // Each send's trip through the kernel pushes the next clients out of the cache:
        // ask for one a few sends ahead, so that it is on its way while they go out.
        if (i + prefetch_ahead < round_.size())
            prefetch(round_[i + prefetch_ahead].get());
        auto& client = round_[i];
        if (client->withdrawn_)
            continue; // counted out when it was withdrawn
        --live_;
        if (const auto next = client->on_due())
        {
            rescheduled_.push_back({*next, std::move(client)});
            ++live_;
        }
    }
    round_.clear();
    // Filed after the round, when the lists are still in the cache, not after each
    // send, whose trip through the kernel has pushed them out. Most share a time.
    auto list = due_.end();
    for (auto& [due, client] : rescheduled_)
    {
        if (list == due_.end() || list->first != due)
            list = due_.try_emplace(due).first;
        list->second.push_back(std::move(client));
    }
    rescheduled_.clear();

    if (live_ == 0)
        return due_.clear(); // only withdrawn clients are left: an idle loop waits for nothing
    if (due_.begin()->first > clock::now())
        return arm();
    // Late already: the next round after whatever else the loop has to do.
    round_posted_ = true;
    asio::post(context_, [this] {
        round_posted_ = false;
        serve_round();
    });
}

} // namespace poetry::detail
