// The transform server's reply, built in place in one buffer that the request's budget
// pays for: the protocol's pure transforms put to work within the server's memory.
#pragma once

#include "poetry/memory/budgeted_buffer.hpp"
#include "poetry/protocol/error.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace poetry::detail {

/// A reply built in place, in one budgeted buffer that starts before its header.
class built_reply
{
public:
    built_reply() = default;
    built_reply(budgeted_buffer buffer, std::size_t start, std::size_t size) noexcept
        : buffer_(std::move(buffer))
        , start_(start)
        , size_(size)
    {
    }

    std::string_view bytes() const noexcept { return std::string_view(buffer_.bytes()).substr(start_, size_); }

    const budgeted_buffer& buffer() const noexcept { return buffer_; }

    /// Once sent: the buffer kept for the next long reply (budgeted_buffer::recycle).
    void recycle() noexcept
    {
        buffer_.recycle();
        start_ = size_ = 0;
    }

private:
    budgeted_buffer buffer_;
    std::size_t start_ = 0;
    std::size_t size_ = 0;
};

/** The whole server-side step: the reply to a request's payload, the transformed poem
    as a netstring ("LEN:POEM,").

    The reply is built in `buffer`, the poem transformed straight into it behind
    its header: it grows before it is written (as long as the request, then by the
    most the rest can give if the transform needs more), or takes one kept for
    reuse, or, the request being paid for, passes the budget by its overdraft.
    Sets `ec` to `errc::buffer_budget_exceeded` when the budget cannot pay, or as
    the transform does; returns nothing then.
*/
built_reply transform_reply(std::string_view payload, budgeted_buffer buffer, error_code& ec);

} // namespace poetry::detail
