#include "protocols/transform_reply.hpp"

#include "poetry/protocol/transforms.hpp"

#include <algorithm>
#include <span>

namespace poetry::detail {
namespace {

// A capacity of at least `size`, its bytes kept: the capacity it has, a buffer kept for
// reuse, a new one, or, when the budget is full, one past it by the overdraft (its
// request is paid for already: one reply at a time is made anyway, so that a burst of
// requests is not all refused). False when none can be had.
bool
room_paid_for(budgeted_buffer& buffer, std::size_t size)
{
    return (buffer.capacity() >= size && buffer.paid() >= buffer.capacity()) || buffer.reuse(size, 2 * size) ||
           buffer.grow_overdrawn(size);
}

} // namespace

built_reply
transform_reply(std::string_view payload, budgeted_buffer buffer, error_code& ec)
{
    std::string_view poem;
    const transform_entry* transform = requested_transform(payload, poem, ec);
    if (!transform)
        return {};
    // One buffer: room for the longest header the reply can have, then the poem's room,
    // then the comma. The poem's room is as long as the request's at first, and grows
    // once, past what is written, when the transform needs more (see unicode_lower_some).
    const std::size_t header_room = std::to_string(transform->most_output(poem.size())).size() + 1;
    std::string& reply = buffer.bytes();
    std::span<char> out;
    const auto make_room = [&](std::size_t poem_room) {
        const std::size_t size = header_room + poem_room + 1;
        if (!room_paid_for(buffer, size))
            return false;
        reply.resize(size); // clears only what a kept buffer's last holder did not write
        out = {reply.data() + header_room, poem_room};
        return true;
    };
    if (!make_room(poem.size()))
    {
        ec = errc::buffer_budget_exceeded;
        return {};
    }
    lowering_progress done = transform->some(poem, {}, out, ec);
    if (!ec && done.read < poem.size())
    {
        if (!make_room(done.written + transform->most_output(poem.size() - done.read)))
        {
            ec = errc::buffer_budget_exceeded;
            return {};
        }
        done = transform->some(poem, done, out, ec);
    }
    if (ec)
        return {};
    const std::size_t length = done.written;
    // The header goes right before the poem; a poem shorter than the most it could have
    // been may have a shorter header, and then the reply starts later in the buffer.
    const std::string header = std::to_string(length) + ":";
    const std::size_t start = header_room - header.size();
    std::copy(header.begin(), header.end(), reply.data() + start);
    reply[header_room + length] = ',';
    return {std::move(buffer), start, header.size() + length + 1};
}

} // namespace poetry::detail
