#include "poetry/memory/budgeted_buffer.hpp"

#include <algorithm>
#include <utility>

namespace poetry {
namespace {

// `bytes` with exactly `capacity` (a string's reserve may double instead).
void
reallocate(std::string& bytes, std::size_t capacity)
{
    std::string bigger;
    bigger.reserve(capacity);
    bigger.append(bytes);
    bytes.swap(bigger);
}

} // namespace

budgeted_buffer::budgeted_buffer(budgeted_buffer&& other) noexcept
    : bytes_(std::move(other.bytes_))
    , budget_(std::move(other.budget_))
    , paid_(std::exchange(other.paid_, 0))
    , overdrawn_(std::exchange(other.overdrawn_, false))
    , waiting_(other.waiting_)
{
}

budgeted_buffer&
budgeted_buffer::operator=(budgeted_buffer&& other) noexcept
{
    if (this != &other)
    {
        free();
        bytes_ = std::move(other.bytes_);
        budget_ = std::move(other.budget_);
        paid_ = std::exchange(other.paid_, 0);
        overdrawn_ = std::exchange(other.overdrawn_, false);
        waiting_ = other.waiting_;
    }
    return *this;
}

// Take what is missing for `capacity`, or give back the excess.
bool
budgeted_buffer::pay_for(std::size_t capacity) noexcept
{
    if (!budget_)
        return true;
    // A waiting holder counts as a large one: it may not use the reserve.
    const std::size_t holding = waiting_ ? byte_budget::small_holding + 1 : capacity;
    if (capacity > paid_ && !budget_->try_take(capacity - paid_, holding))
        return false;
    if (capacity < paid_)
        budget_->give_back(paid_ - capacity);
    paid_ = capacity;
    return true;
}

bool
budgeted_buffer::grow(std::size_t capacity)
{
    const std::size_t before = paid_;
    if (!pay_for(capacity))
        return false;
    try
    {
        reallocate(bytes_, capacity);
    }
    catch (...)
    {
        pay_for(before); // giving back never fails
        throw;
    }
    return true;
}

bool
budgeted_buffer::make_room(std::size_t needed, std::size_t most)
{
    if (needed <= bytes_.capacity())
        return true;
    if (most >= byte_budget::smallest_kept && reuse(most, 2 * most))
        return true;
    return grow(std::min(most, std::max({needed, 2 * bytes_.capacity(), memory_policy::first_room})));
}

std::span<char>
budgeted_buffer::writable_from(std::size_t from, std::size_t most)
{
    const std::size_t room = std::min({bytes_.capacity() - from, most, memory_policy::read_ahead});
    if (bytes_.size() < from + room) // no byte is cleared twice
        bytes_.resize(from + room);
    return {bytes_.data() + from, room};
}

bool
budgeted_buffer::grow_overdrawn(std::size_t capacity)
{
    if (grow(capacity))
        return true; // and without a budget, it did
    if (overdrawn_ || capacity <= paid_ || !budget_->try_overdraw(capacity - paid_))
        return false;
    overdrawn_ = true;
    paid_ = capacity;
    reallocate(bytes_, capacity); // throws: free() gives everything back
    return true;
}

bool
budgeted_buffer::reuse(std::size_t at_least, std::size_t at_most) noexcept
{
    if (!budget_ || overdrawn_ || at_most < byte_budget::smallest_kept)
        return false;
    std::string kept = budget_->reuse(std::max(at_least, bytes_.size()), at_most);
    if (kept.capacity() < byte_budget::smallest_kept)
        return false; // none fits (an empty string; every kept buffer is larger)
    if (kept.size() < bytes_.size())
        kept.resize(bytes_.size()); // within its capacity: no allocation
    std::copy(bytes_.begin(), bytes_.end(), kept.begin());
    bytes_.swap(kept);
    budget_->give_back(paid_); // the kept buffer is counted already
    paid_ = bytes_.capacity();
    return true;
}

void
budgeted_buffer::recycle() noexcept
{
    const std::size_t capacity = bytes_.capacity();
    if (budget_ && !overdrawn_ && capacity <= paid_)
    {
        paid_ -= capacity; // still counted, by the budget's kept buffers now
        budget_->keep_for_reuse(std::move(bytes_));
    }
    free();
}

void
budgeted_buffer::free() noexcept
{
    std::string().swap(bytes_);
    if (budget_)
    {
        budget_->give_back(paid_);
        if (overdrawn_)
            budget_->end_overdraft();
    }
    paid_ = 0;
    overdrawn_ = false;
}

std::string
budgeted_buffer::take_kept() noexcept
{
    paid_ = 0;
    return std::move(bytes_);
}

} // namespace poetry
