#include "poetry/protocol/netstring.hpp"

#include <algorithm>
#include <cstring>
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

netstring_decoder::netstring_decoder(std::size_t max_length, budgeted_buffer payload)
    : max_length_(max_length)
    , max_digits_(std::to_string(max_length).size())
    , payload_(std::move(payload))
{
}

netstring_decoder::result
netstring_decoder::fail(errc why, std::size_t consumed)
{
    phase_ = phase::finished;
    state_ = status::error;
    error_ = why;
    payload_.free();
    filled_ = 0;
    return {state_, consumed};
}

// Room for `more` payload bytes, or the netstring ended by a refusal or a failed allocation.
bool
netstring_decoder::grow_or_fail(std::size_t more)
{
    try
    {
        if (payload_.make_room(filled_ + more, length_))
            return true;
        fail(errc::buffer_budget_exceeded, 0);
    }
    catch (const std::bad_alloc&)
    {
        fail(errc::out_of_memory, 0);
    }
    return false;
}

// `more` payload bytes are in place after the filled ones.
void
netstring_decoder::filled(std::size_t more)
{
    filled_ += more;
    if (filled_ < length_)
        return;
    payload_.bytes().resize(filled_); // no room left over: payload() is the payload
    phase_ = phase::comma;
}

std::span<char>
netstring_decoder::payload_room()
{
    if (phase_ != phase::payload)
        return {};
    payload_.set_waiting(true); // the bytes are still to come
    if (filled_ == payload_.capacity() && !grow_or_fail(1))
        return {};
    return payload_.writable_from(filled_, length_ - filled_);
}

void
netstring_decoder::commit_payload(std::size_t n)
{
    started_ = started_ || n > 0;
    if (phase_ == phase::payload)
        filled(std::min(n, length_ - filled_));
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
            const std::size_t take = std::min(length_ - filled_, input.size() - pos);
            // Only a request that ends in these bytes is not waiting on its sender.
            payload_.set_waiting(pos + take == input.size());
            if (!grow_or_fail(take))
                return {state_, pos};
            std::string& bytes = payload_.bytes();
            if (bytes.size() < filled_ + take)
                bytes.resize(filled_ + take);
            std::memcpy(bytes.data() + filled_, input.data() + pos, take);
            pos += take;
            filled(take);
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
