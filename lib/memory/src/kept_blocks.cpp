#include "poetry/memory/kept_blocks.hpp"

#include <utility>

namespace poetry {

kept_blocks::kept_blocks(std::size_t most_bytes)
    : most_bytes_(most_bytes)
{
    blocks_.reserve(most_blocks);
}

std::size_t
kept_blocks::keep(std::string&& block) noexcept
{
    const std::size_t size = block.capacity();
    if (size < smallest || size > most_bytes_)
    {
        std::string().swap(block);
        return size;
    }
    freed_blocks evicted; // freed after the lock is let go
    std::size_t freed = 0;
    std::lock_guard lock(mutex_);
    while (!blocks_.empty() && (blocks_.size() == most_blocks || bytes_ + size > most_bytes_))
        freed += take_oldest(evicted);
    blocks_.push_back({std::move(block), std::chrono::steady_clock::now()}); // within the capacity reserved
    bytes_ += size;
    return freed;
}

std::string
kept_blocks::take(std::size_t at_least, std::size_t at_most) noexcept
{
    std::lock_guard lock(mutex_);
    auto best = blocks_.end();
    for (auto it = blocks_.begin(); it != blocks_.end(); ++it)
    {
        const std::size_t size = it->block.capacity();
        if (size >= at_least && size <= at_most && (best == blocks_.end() || size < best->block.capacity()))
            best = it;
    }
    if (best == blocks_.end())
        return {};
    std::string block = std::move(best->block);
    blocks_.erase(best);
    bytes_ -= block.capacity();
    return block;
}

std::size_t
kept_blocks::free_all() noexcept
{
    return free_kept_before(std::chrono::steady_clock::time_point::max());
}

std::size_t
kept_blocks::free_kept_before(std::chrono::steady_clock::time_point cutoff) noexcept
{
    freed_blocks evicted; // freed after the lock is let go: another loop never waits on munmap
    std::size_t freed = 0;
    std::lock_guard lock(mutex_);
    while (!blocks_.empty() && blocks_.front().since < cutoff) // oldest first
        freed += take_oldest(evicted);
    return freed;
}

std::size_t
kept_blocks::take_oldest(freed_blocks& evicted) noexcept
{
    std::string& block = evicted[most_blocks - blocks_.size()]; // a slot of its own for each block taken
    block = std::move(blocks_.front().block);
    blocks_.erase(blocks_.begin());
    bytes_ -= block.capacity();
    return block.capacity();
}

std::size_t
kept_blocks::bytes() const noexcept
{
    std::lock_guard lock(mutex_);
    return bytes_;
}

} // namespace poetry
