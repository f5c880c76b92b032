#include "detail/accept_time.hpp"

#include "detail/graceful_close.hpp"

namespace poetry::detail {

bool
finish_at_accept(accepted_socket& socket, connection_slot& slot, session_log& log, const reply_bytes& reply,
                 const io_result& first, bool input_left)
{
    if (!first.ec && first.bytes < reply.size())
        return false;
    log.report(first.bytes, first.ec);
    // A failed send, or a short reply already on its way: a plain close. Otherwise a byte
    // from the client could reset the connection and destroy the reply: a lingering one.
    if (first.ec || (!input_left && may_close_at_once(socket.native_handle(), reply.size())))
        socket.close();
    else
        close_gracefully(std::move(socket).into_socket(), std::move(slot));
    return true;
}

void
refuse_at_accept(accepted_socket socket, connection_slot slot, session_log log, std::string_view outcome)
{
    log.report(0, outcome);
    close_gracefully(std::move(socket).into_socket(), std::move(slot));
}

} // namespace poetry::detail
