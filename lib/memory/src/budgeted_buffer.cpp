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

bool
budgeted_buffer::grow(std::size_t capacity)
{
    const std::size_t before = share_.held();
    if (!share_.resize(capacity))
        return false;
    try
    {
        reallocate(bytes_, capacity);
    }
    catch (...)
    {
        share_.resize(before);
        throw;
    }
    return true;
}

bool
budgeted_buffer::grow_overdrawn(std::size_t capacity)
{
    if (grow(capacity))
        return true;
    if (!share_.resize_overdrawn(capacity))
        return false;
    reallocate(bytes_, capacity);
    return true;
}

bool
budgeted_buffer::reuse(std::size_t at_least, std::size_t at_most) noexcept
{
    byte_budget* const budget = share_.budget();
    if (!budget || share_.overdrawn() || at_most < byte_budget::smallest_kept)
        return false;
    std::string kept = budget->reuse(std::max(at_least, bytes_.size()), at_most);
    if (kept.capacity() < byte_budget::smallest_kept)
        return false; // none fits (an empty string; every kept buffer is larger)
    if (kept.size() < bytes_.size())
        kept.resize(bytes_.size()); // within its capacity: no allocation
    std::copy(bytes_.begin(), bytes_.end(), kept.begin());
    bytes_.swap(kept);
    share_.adopt(bytes_.capacity());
    return true;
}

void
budgeted_buffer::recycle() noexcept
{
    byte_budget* const budget = share_.budget();
    const std::size_t paid = bytes_.capacity();
    if (budget && !share_.overdrawn() && paid <= share_.held())
    {
        share_.hand_over(paid);
        budget->keep_for_reuse(std::move(bytes_));
    }
    free();
}

void
budgeted_buffer::free() noexcept
{
    std::string().swap(bytes_);
    share_.release();
}

std::string
budgeted_buffer::take_kept() noexcept
{
    share_.hand_over(share_.held());
    return std::move(bytes_);
}

} // namespace poetry
