#include "session_log.hpp"

#include <sys/socket.h>

namespace poetry::detail {

void
discard_unread_and_close(tcp::socket& socket)
{
    if (!socket.is_open())
        return;
    // Bounded: a client that keeps sending gets a reset rather than our attention.
    char sink[4096];
    for (int i = 0; i < 16; ++i)
    {
        const auto n = ::recv(socket.native_handle(), sink, sizeof sink, MSG_DONTWAIT);
        if (n <= 0)
            break;
    }
    error_code ignored;
    socket.close(ignored);
}

} // namespace poetry::detail
