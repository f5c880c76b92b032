// The connection cap: a slot held by each open connection, counted across threads.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <utility>

namespace poetry::detail {

/// Connections open now, counted by every listener of a server (on any thread).
using connection_count = std::atomic<std::size_t>;

/** Held by a session for as long as its connection is open.

    Every listener of a server counts the live slots in one count, to enforce
    the server's connection cap across its threads.
*/
class connection_slot
{
public:
    /// A slot if fewer than `max` are taken, counted in `count`; nothing otherwise.
    static std::optional<connection_slot> take(const std::shared_ptr<connection_count>& count, std::size_t max)
    {
        // Take first, then check: two threads can never both take the last slot.
        if (count->fetch_add(1, std::memory_order_relaxed) < max)
            return connection_slot(count);
        count->fetch_sub(1, std::memory_order_relaxed);
        return std::nullopt;
    }

    connection_slot(connection_slot&&) noexcept = default;
    connection_slot& operator=(connection_slot&&) = delete;
    ~connection_slot()
    {
        if (count_)
            count_->fetch_sub(1, std::memory_order_relaxed);
    }

private:
    // Already counted.
    explicit connection_slot(std::shared_ptr<connection_count> count)
        : count_(std::move(count))
    {
    }

    std::shared_ptr<connection_count> count_;
};

} // namespace poetry::detail
