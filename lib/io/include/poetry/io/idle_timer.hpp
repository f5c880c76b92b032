// Notices when an operation stops making progress.
#pragma once

#include "poetry/io/asio.hpp"

#include <boost/asio/steady_timer.hpp>

#include <utility>

namespace poetry {

/** Calls a function when `touch()` has not been called for a given time.

    Progress only moves a deadline; the timer wakes at the old deadline,
    sees the new one and sleeps again, so touching costs no timer
    operation. The function passed to `start` must keep the object that
    owns this timer alive (hold its shared_ptr): the pending wait refers
    to it.
*/
class idle_timer
{
public:
    explicit idle_timer(const asio::any_io_executor& ex)
        : timer_(ex)
    {
    }

    /// Start watching. A zero `timeout` disables the timer.
    template <typename OnIdle>
    void start(clock::duration timeout, OnIdle on_idle)
    {
        if (timeout <= clock::duration::zero())
            return;
        timeout_ = timeout;
        touch();
        arm(std::move(on_idle));
    }

    /// Record progress: the deadline moves to now plus the timeout.
    void touch() noexcept { touch(clock::now()); }

    /// The same, with the time the caller has just read.
    void touch(clock::time_point now) noexcept { deadline_ = now + timeout_; }

    /// The peer waits on us (its request is queued for a worker): that is not its silence.
    /// Until release(), the deadline keeps moving and the function is not called.
    void hold() noexcept { held_ = true; }

    /// Watch again, from now.
    void release() noexcept
    {
        held_ = false;
        touch();
    }

    /// Stop watching; the pending wait ends at once.
    void stop() noexcept
    {
        stopped_ = true;
        timer_.cancel();
    }

    /// True once the function has been called.
    bool expired() const noexcept { return expired_; }

private:
    template <typename OnIdle>
    void arm(OnIdle on_idle)
    {
        timer_.expires_at(deadline_);
        timer_.async_wait([this, on_idle = std::move(on_idle)](boost::system::error_code ec) mutable {
            if (ec || stopped_)
                return;
            if (held_)
                touch();
            if (clock::now() < deadline_)
                return arm(std::move(on_idle));
            expired_ = true;
            on_idle();
        });
    }

    asio::steady_timer timer_;
    clock::duration timeout_{};
    clock::time_point deadline_{};
    bool held_ = false;
    bool stopped_ = false;
    bool expired_ = false;
};

} // namespace poetry
