#include "poetry/protocol/netstring.hpp"

#include <algorithm>
#include <new>

namespace poetry {

std::string
netstring_header(std::size_t length)
{
    return std::to_string(length) + ':';
}

std::string
netstring_encode(std::string_view payload)
{
    std::string out = netstring_header(payload.size());
    out.reserve(out.size() + payload.size() + 1);
    out.append(payload).push_back(',');
    return out;
}

netstring_decoder::netstring_decoder(std::size_t max_length, budget_lease lease)
    : max_length_(max_length)
    , max_digits_(std::to_string(max_length).size())
    , lease_(std::move(lease))
{
}

netstring_decoder::result
netstring_decoder::fail(errc why, std::size_t consumed)
{
    phase_ = phase::finished;
    state_ = status::error;
    error_ = why;
    std::string().swap(payload_);
    lease_.release();
    return {state_, consumed};
}

bool
netstring_decoder::grow_for(std::size_t more)
{
    // A declared length is a stranger's promise, not a reason to allocate: the payload
    // grows with the bytes that arrive, doubling, and never past the declared length.
    const std::size_t needed = payload_.size() + more;
    if (needed <= payload_.capacity())
        return true;
    constexpr std::size_t smallest = 4096;
    const std::size_t capacity = std::min(length_, std::max({needed, 2 * payload_.capacity(), smallest}));
    return lease_.grow(payload_, capacity);
}

netstring_decoder::result
netstring_decoder::feed(std::string_view input)
{
    started_ = started_ || !input.empty();
    std::size_t pos = 0;
    while (pos < input.size())
    {
        switch (phase_)
        {
        case phase::length:
        {
            const char c = input[pos++];
            if (c == ':')
            {
                if (digits_ == 0)
                    return fail(errc::netstring_empty_length, pos);
                phase_ = length_ == 0 ? phase::comma : phase::payload;
                break;
            }
            if (c < '0' || c > '9')
                return fail(errc::netstring_bad_length, pos);
            if (digits_ == 1 && length_ == 0)
                return fail(errc::netstring_leading_zero, pos);
            // Refuse as soon as the length is too long, before reserving anything.
            if (++digits_ > max_digits_)
                return fail(errc::netstring_too_long, pos);
            length_ = length_ * 10 + static_cast<std::size_t>(c - '0');
            if (length_ > max_length_)
                return fail(errc::netstring_too_long, pos);
            break;
        }
        case phase::payload:
        {
            const std::size_t take = std::min(length_ - payload_.size(), input.size() - pos);
            try
            {
                if (!grow_for(take))
                    return fail(errc::buffer_budget_exceeded, pos);
            }
            catch (const std::bad_alloc&)
            {
                return fail(errc::out_of_memory, pos);
            }
            payload_.append(input.substr(pos, take));
            pos += take;
            if (payload_.size() == length_)
                phase_ = phase::comma;
            break;
        }
        case phase::comma:
            if (input[pos++] != ',')
                return fail(errc::netstring_no_comma, pos);
            phase_ = phase::finished;
            state_ = status::done;
            return {state_, pos};
        case phase::finished:
            return {state_, 0};
        }
    }
    return {state_, pos};
}

netstring_decoder::status
netstring_decoder::finish()
{
    if (state_ == status::need_more)
        fail(errc::netstring_truncated, 0);
    return state_;
}

} // namespace poetry
