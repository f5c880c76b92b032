// The one buffer type a byte_budget pays for: a request's payload, a reply, a download.
#pragma once

#include "poetry/memory/byte_budget.hpp"

#include <cstddef>
#include <memory>
#include <span>
#include <string>

namespace poetry {

/** Bytes in memory and the share of a budget that pays for them, as one thing.

    It grows only once its share has paid for the new capacity (exactly that
    capacity: a buffer holds no more than the budget counts), or it takes a
    buffer the budget kept from an earlier holder, already paid for and
    resident. When its holder is done with it, it goes back to the budget to
    be kept for the next (recycle), or is freed with its share (free, or
    when it is destroyed); or its holder takes the bytes away, their share
    still counted (take_kept). Without a budget it allows everything: a
    program with no limit passes none.
*/
class budgeted_buffer
{
public:
    budgeted_buffer() noexcept = default;
    explicit budgeted_buffer(std::shared_ptr<byte_budget> budget) noexcept
        : budget_(std::move(budget))
    {
    }
    budgeted_buffer(budgeted_buffer&& other) noexcept;
    budgeted_buffer& operator=(budgeted_buffer&& other) noexcept;
    ~budgeted_buffer() { free(); }

    /// The bytes. Their size() is the holder's to set within capacity(); a buffer kept
    /// for reuse may come with bytes from its last holder past what this one wrote.
    std::string& bytes() noexcept { return bytes_; }
    const std::string& bytes() const noexcept { return bytes_; }
    std::size_t capacity() const noexcept { return bytes_.capacity(); }

    /// What the budget counts for this buffer: its capacity once grown or reused.
    std::size_t paid() const noexcept { return paid_; }

    /// Pay for `capacity` bytes, then give the buffer exactly that capacity, its bytes
    /// kept. False, with nothing changed, when the budget cannot pay; throws
    /// std::bad_alloc (the share as it was) when the allocation fails.
    bool grow(std::size_t capacity);

    /** Room for `needed` bytes in all, for bytes that arrive over time and may come to
        `most` (a netstring's declared length: a stranger's promise, not a reason to
        allocate): the capacity it has; for a long holder, a buffer the budget kept, of
        at most twice `most`, paid for and resident; or growth, doubling from
        memory_policy::first_room, never past `most`. False when the budget cannot pay;
        throws std::bad_alloc when the allocation fails.
    */
    bool make_room(std::size_t needed, std::size_t most);

    /// The bytes from `from` on, at most `most` of them and within capacity(), made part of
    /// bytes() first; no more than memory_policy::read_ahead at a time, since bytes made
    /// part of it are cleared, so resident: its memory follows what is written, not `most`.
    std::span<char> writable_from(std::size_t from, std::size_t most);

    /// grow(), or past the budget's limit by its overdraft when the budget cannot pay: for
    /// work already paid for half-way. False when the overdraft is too small or taken.
    bool grow_overdrawn(std::size_t capacity);

    /// Put a buffer the budget kept, with a capacity between `at_least` and `at_most`, in
    /// place of this one, its bytes copied to its start. False, with nothing changed, when
    /// none fits.
    bool reuse(std::size_t at_least, std::size_t at_most) noexcept;

    /** Whether the holder waits on its peer for more (a request not yet whole). Such a
        holder never takes from the budget's reserve, however little it holds: a crowd
        of small requests that stall cannot drain it, and a fresh short request always
        finds room.
    */
    void set_waiting(bool waiting) noexcept { waiting_ = waiting; }

    /// Give the memory to the budget to keep for a later holder (freed, its share given
    /// back, when it is too small to be worth keeping); empty after.
    void recycle() noexcept;

    /// Free the memory and give its share back (the overdraft too); empty after.
    void free() noexcept;

    /// The bytes, their share let go without being given back: what they cost stays
    /// counted for as long as the budget lives (a client's poem, held by its caller).
    std::string take_kept() noexcept;

private:
    bool pay_for(std::size_t capacity) noexcept;

    std::string bytes_;
    std::shared_ptr<byte_budget> budget_;
    std::size_t paid_ = 0;
    bool overdrawn_ = false; // holds the budget's overdraft
    bool waiting_ = false;
};

} // namespace poetry
