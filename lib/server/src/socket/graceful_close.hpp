// Ending a connection so that the client keeps every byte it was sent.
#pragma once

#include "accept/connection_slot.hpp"
#include "poetry/io/asio.hpp"

namespace poetry::detail {

/** Close a connection without losing what was sent: a lingering close.

    Closing a socket that has unread input, or that receives input after it
    is closed, makes the kernel send a reset, and a reset can destroy the
    poem still on its way to the client. So: shut down our side (the client
    sees end-of-file after the last byte), read and drop whatever the client
    sends until it closes too, then close. Bounded by `limit` and by the
    bytes it will drop. The slot is released when the socket is closed.
*/
void close_gracefully(tcp::socket socket, connection_slot slot, clock::duration limit = std::chrono::seconds(10));

/** Close with a reset (SO_LINGER 0): for a connection that did not get its whole reply.

    The protocol has no framing, so a normal close says "that was the whole poem";
    a reset says it was not.
*/
void close_with_reset(tcp::socket& socket) noexcept;

} // namespace poetry::detail
