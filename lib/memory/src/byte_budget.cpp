#include "poetry/memory/byte_budget.hpp"

#include <mutex>
#include <utility>

#include <malloc.h>

namespace poetry {

void
use_policy_allocator() noexcept
{
    static std::once_flag fixed;
    std::call_once(fixed, [] { mallopt(M_MMAP_THRESHOLD, static_cast<int>(memory_policy::own_pages_from)); });
}

byte_budget::byte_budget(const memory_policy& policy)
    : byte_budget(policy.limit, policy.reserve(), policy.overdraft())
{
    kept_for_ = policy.kept_for;
    use_policy_allocator();
}

bool
byte_budget::try_take(std::size_t n, std::size_t holding) noexcept
{
    if (take_within_cap(n, holding))
        return true;
    // Buffers kept for reuse are the first to go when a holder needs the room.
    const std::size_t freed = kept_.free_all();
    give_back(freed);
    return freed > 0 && take_within_cap(n, holding);
}

bool
byte_budget::take_within_cap(std::size_t n, std::size_t holding) noexcept
{
    const std::size_t cap = holding <= small_holding ? limit_ : limit_ - reserve_;
    std::size_t used = in_use_.load(std::memory_order_relaxed);
    do
    {
        if (used > cap || n > cap - used)
            return false;
    } while (!in_use_.compare_exchange_weak(used, used + n, std::memory_order_relaxed));
    return true;
}

bool
byte_budget::try_overdraw(std::size_t n) noexcept
{
    if (n > overdraft_ || overdrawn_.exchange(true, std::memory_order_acquire))
        return false;
    in_use_.fetch_add(n, std::memory_order_relaxed);
    return true;
}

budget_lease::budget_lease(budget_lease&& other) noexcept
    : budget_(std::move(other.budget_))
    , held_(std::exchange(other.held_, 0))
    , overdrawn_(std::exchange(other.overdrawn_, false))
    , waiting_(other.waiting_)
{
}

budget_lease&
budget_lease::operator=(budget_lease&& other) noexcept
{
    if (this != &other)
    {
        release();
        budget_ = std::move(other.budget_);
        held_ = std::exchange(other.held_, 0);
        overdrawn_ = std::exchange(other.overdrawn_, false);
        waiting_ = other.waiting_;
    }
    return *this;
}

bool
budget_lease::resize(std::size_t n) noexcept
{
    if (!budget_)
        return true;
    // A waiting holder counts as a large one: it may not use the reserve.
    if (n > held_ && !budget_->try_take(n - held_, waiting_ ? byte_budget::small_holding + 1 : n))
        return false;
    if (n < held_)
        budget_->give_back(held_ - n);
    held_ = n;
    return true;
}

bool
budget_lease::resize_overdrawn(std::size_t n) noexcept
{
    if (!budget_ || n <= held_ || overdrawn_)
        return resize(n);
    if (!budget_->try_overdraw(n - held_))
        return false;
    overdrawn_ = true;
    held_ = n;
    return true;
}

void
budget_lease::adopt(std::size_t n) noexcept
{
    if (budget_)
        budget_->give_back(held_);
    held_ = n;
}

void
budget_lease::release() noexcept
{
    if (budget_ && held_ > 0)
        budget_->give_back(held_);
    if (budget_ && overdrawn_)
        budget_->end_overdraft();
    held_ = 0;
    overdrawn_ = false;
}

} // namespace poetry
