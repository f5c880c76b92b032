// The transform server's memory policy: every number it rests on, and the allocator
// setting its promise relies on, in one place.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>

namespace poetry {

/** What requests and replies may hold, and how their buffers are kept.

    A byte_budget made from a policy counts every buffer its holders take
    against `limit`, and puts the allocator in the mode that makes the
    count true (use_policy_allocator): what the budget frees goes back to
    the kernel, so the budget's figure is the memory the server holds.
*/
struct memory_policy
{
    static constexpr std::size_t KiB = 1024;
    static constexpr std::size_t MiB = 1024 * KiB;

    /// What requests and replies may hold in all (transformedpoetry --max-buffered).
    std::size_t limit = 256 * MiB;

    /// Kept for small holders (at most small_holding each) not waiting on their peer, so
    /// that holders that stall, a few large ones or a crowd of small ones, cannot starve
    /// a fresh short request: an eighth of the limit.
    std::size_t reserve() const noexcept { return limit / 8; }

    /// One holder at a time may pass the limit by this much, so that the reply to a
    /// request already paid for can always be made: a quarter of the limit, at most
    /// 32 MiB (the reply to the longest request, 16 MiB of Greek, needs 24 MiB).
    std::size_t overdraft() const noexcept { return std::min(limit / 4, 32 * MiB); }

    /// Buffers kept for reuse hold at most a quarter of the limit, still counted in it.
    std::size_t most_kept() const noexcept { return limit / 4; }

    /// A kept buffer no holder took for this long is freed: a server that went quiet gives
    /// its memory back, while one serving long requests back to back keeps reusing it.
    std::chrono::milliseconds kept_for = std::chrono::seconds(10);

    /// A holder of at most this many bytes may use the reserve.
    static constexpr std::size_t small_holding = 64 * KiB;

    /// Smaller buffers are not kept for reuse: malloc reuses them without new pages.
    static constexpr std::size_t smallest_kept = 64 * KiB;

    /// At most this many buffers are kept: a request and its reply on each of a few threads.
    static constexpr std::size_t most_kept_buffers = 8;

    /// A payload's first room: it then doubles with the bytes that arrive.
    static constexpr std::size_t first_room = 4 * KiB;

    /// A payload is made readable (cleared, so resident) at most this far ahead of the
    /// bytes that arrived: the memory a request holds follows its bytes, not its length.
    static constexpr std::size_t read_ahead = 256 * KiB;

    /// Blocks from this size on have pages of their own, given back to the kernel when
    /// freed: malloc's starting threshold, kept fixed (see use_policy_allocator).
    static constexpr std::size_t own_pages_from = 128 * KiB;
};

/** Fix malloc's threshold for giving a block pages of its own at own_pages_from, for the
    whole process (once; every budget made from a policy calls it).

    Left to itself, malloc raises the threshold after the first long buffer is freed
    and then keeps such buffers in its heaps: resident memory the budget no longer
    counts. Fixed, a buffer the budget frees (or does not keep) leaves the process.
*/
void use_policy_allocator() noexcept;

} // namespace poetry
