// The transform server's reply, built in place in one buffer that the request's budget
// pays for: the protocol's pure transforms put to work within the server's memory.
#pragma once

#include "poetry/protocol/byte_budget.hpp"
#include "poetry/protocol/error.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace poetry::detail {

/// A reply built in place, in one buffer that starts before its header.
class built_reply
{
public:
    built_reply() = default;
    built_reply(std::string buffer, std::size_t start, std::size_t size) noexcept
        : buffer_(std::move(buffer))
        , start_(start)
        , size_(size)
    {
    }

    std::string_view bytes() const noexcept { return std::string_view(buffer_).substr(start_, size_); }

    /// The buffer, for its share to keep for reuse once it is sent (budget_lease::release_for_reuse).
    std::string& buffer() noexcept { return buffer_; }

private:
    std::string buffer_;
    std::size_t start_ = 0;
    std::size_t size_ = 0;
};

/** The whole server-side step: the reply to a request's payload, the transformed poem
    as a netstring ("LEN:POEM,").

    The reply is built in one buffer, the poem transformed straight into it behind
    its header, and `lease` pays for that buffer before it is allocated (as long
    as the request, then for the most the rest can give if the transform needs
    more), or gives one kept for reuse. Sets `ec` to `errc::buffer_budget_exceeded` when
    the lease cannot pay, or as the transform does; returns nothing then.
*/
built_reply transform_reply(std::string_view payload, budget_lease& lease, error_code& ec);

} // namespace poetry::detail
