#include "poetry/memory/byte_budget.hpp"

#include <mutex>

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

} // namespace poetry
