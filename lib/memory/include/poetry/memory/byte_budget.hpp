// A budget of bytes held in memory, shared by many connections.
#pragma once

#include "poetry/memory/kept_blocks.hpp"
#include "poetry/memory/memory_policy.hpp"

#include <atomic>
#include <cstddef>
#include <string>

namespace poetry {

/** How many bytes a program may hold for its connections at once.

    A limit on each connection alone lets many connections together hold
    without bound; taking from one shared budget before allocating does
    not. Thread-safe: a server's event loops share one. Its holders are
    budgeted buffers (budgeted_buffer.hpp).

    Its numbers are a memory_policy's (the transform server's) or a plain
    limit (a client's downloads). A `reserve` at the top of the budget is
    kept for small holders (at most `small_holding` bytes each) that are
    not waiting on their peer, so that holders that stall (a few large
    ones, or a crowd of small ones) cannot starve a fresh short request:
    they together get at most `limit - reserve`.

    An `overdraft` lets one holder at a time pass the limit by that much, so
    that work already paid for half-way can always finish: requests that
    fill the budget would otherwise leave no room for any of their replies,
    and every one would be refused.

    Large buffers a holder is done with can be kept for the next holder
    (`keep_for_reuse`): they stay counted as in use, at most a quarter of the
    limit of them, and are freed first whenever a take would fail, or once
    no holder has taken them for a while (free_unused_kept).
*/
class byte_budget
{
public:
    /// A holder of at most this many bytes may use the reserve.
    static constexpr std::size_t small_holding = memory_policy::small_holding;

    /// Smaller buffers are not kept for reuse.
    static constexpr std::size_t smallest_kept = memory_policy::smallest_kept;

    /// The budget `policy` describes, with the allocator in the mode it relies on.
    explicit byte_budget(const memory_policy& policy);

    /// A plain budget of `limit` bytes (a client's downloads), with a reserve and an
    /// overdraft when asked for; the allocator left as it is.
    explicit byte_budget(std::size_t limit, std::size_t reserve = 0, std::size_t overdraft = 0)
        : limit_(limit)
        , reserve_(reserve < limit ? reserve : limit)
        , overdraft_(overdraft)
        , kept_for_(memory_policy{}.kept_for)
        , kept_(memory_policy{.limit = limit}.most_kept())
    {
    }

    /// Take `n` bytes for a holder that will then hold `holding` bytes, if that keeps the
    /// total within the limit (within `limit - reserve` for a holder above small_holding),
    /// freeing kept buffers first if need be; false (taking nothing) otherwise.
    bool try_take(std::size_t n, std::size_t holding = 0) noexcept;

    /// Keep `buffer`, whose capacity a holder took and no longer needs, for a later holder
    /// (or free it, giving its bytes back, when it is too small to be worth keeping).
    void keep_for_reuse(std::string&& buffer) noexcept { give_back(kept_.keep(std::move(buffer))); }

    /// A kept buffer with a capacity between `at_least` and `at_most`, whose bytes are its
    /// caller's now (still counted as in use); an empty string when there is none.
    std::string reuse(std::size_t at_least, std::size_t at_most) noexcept { return kept_.take(at_least, at_most); }

    /// Free the buffers kept longer than kept_for() without a holder taking them (a quiet
    /// server's), giving their bytes back.
    void free_unused_kept() noexcept
    {
        give_back(kept_.free_kept_before(std::chrono::steady_clock::now() - kept_for_));
    }

    /// How long a kept buffer waits for a holder before free_unused_kept frees it.
    std::chrono::milliseconds kept_for() const noexcept { return kept_for_; }

    /// The capacity of the buffers kept for reuse, in all (counted in in_use()).
    std::size_t kept() const noexcept { return kept_.bytes(); }

    /// Give back bytes taken before.
    void give_back(std::size_t n) noexcept { in_use_.fetch_sub(n, std::memory_order_relaxed); }

    /// Take `n` bytes past the limit, within the overdraft, if no other holder has it;
    /// false (taking nothing) otherwise. end_overdraft() lets the next holder have it.
    bool try_overdraw(std::size_t n) noexcept;
    void end_overdraft() noexcept { overdrawn_.store(false, std::memory_order_release); }

    std::size_t limit() const noexcept { return limit_; }
    /// What the limit leaves now (the reserve included: an upper bound for a large holder).
    std::size_t left() const noexcept
    {
        const std::size_t used = in_use();
        return used < limit_ ? limit_ - used : 0;
    }
    std::size_t reserve() const noexcept { return reserve_; }
    std::size_t in_use() const noexcept { return in_use_.load(std::memory_order_relaxed); }

private:
    const std::size_t limit_;
    const std::size_t reserve_;
    const std::size_t overdraft_;
    std::chrono::milliseconds kept_for_;
    std::atomic<std::size_t> in_use_{0};
    std::atomic<bool> overdrawn_{false};
    kept_blocks kept_;

    bool take_within_cap(std::size_t n, std::size_t holding) noexcept;
};

} // namespace poetry
