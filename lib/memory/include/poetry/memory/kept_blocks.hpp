// Large buffers kept after use, for the next holder that needs as much.
#pragma once

#include "poetry/memory/memory_policy.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace poetry {

/** Freed buffers kept for reuse, oldest first.

    A large buffer freed and allocated again for every request costs fresh
    pages each time: the kernel faults them in and clears them, which costs
    more than lower-casing their bytes. Kept, a buffer is already resident.
    A byte_budget keeps its holders' buffers here, still counted as in use,
    and frees them first when a holder needs the room. Thread-safe.
*/
class kept_blocks
{
public:
    /// At most this many blocks are kept.
    static constexpr std::size_t most_blocks = memory_policy::most_kept_buffers;

    /// Smaller blocks are not worth keeping.
    static constexpr std::size_t smallest = memory_policy::smallest_kept;

    /// Keep at most `most_bytes` in all.
    explicit kept_blocks(std::size_t most_bytes);

    /// Keep `block`, making room by freeing the oldest blocks; the bytes no longer kept
    /// (`block`'s own when it is smaller than `smallest` or larger than everything allowed),
    /// which the caller gives back.
    std::size_t keep(std::string&& block) noexcept;

    /// The smallest kept block whose capacity is between `at_least` and `at_most`, no
    /// longer kept; an empty string when there is none.
    std::string take(std::size_t at_least, std::size_t at_most) noexcept;

    /// Free every kept block; the bytes freed.
    std::size_t free_all() noexcept;

    /// Free the blocks kept since before `cutoff`, that no holder took meanwhile; the bytes freed.
    std::size_t free_kept_before(std::chrono::steady_clock::time_point cutoff) noexcept;

    /// The capacity of the blocks kept now, in all.
    std::size_t bytes() const noexcept;

private:
    const std::size_t most_bytes_;
    mutable std::mutex mutex_;
    struct kept
    {
        std::string block;
        std::chrono::steady_clock::time_point since;
    };
    std::vector<kept> blocks_; // oldest first; never reallocated (reserved for most_blocks)
    std::size_t bytes_ = 0;

    // Blocks taken out under the lock, to be freed once it is let go.
    using freed_blocks = std::array<std::string, most_blocks>;
    // Move the oldest block into `evicted` (under the lock); its capacity.
    std::size_t take_oldest(freed_blocks& evicted) noexcept;
};

} // namespace poetry
