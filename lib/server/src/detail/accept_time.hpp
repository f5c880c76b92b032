// The fast path: a connection finished at accept time with single system calls, before
// the event loop knows it, or else handed over, as a socket, to a session for the rest.
#pragma once

#include "detail/raw_io.hpp"
#include "detail/session_log.hpp"
#include "poetry/server/listener.hpp"

#include <string_view>

namespace poetry::detail {

/** After the first send of `reply` on a connection just accepted: when that sent the
    whole reply, or failed, end the connection here and return true. It is logged, then
    closed: plainly when nothing can reset it (a reply within the first flight and no
    unread input), gracefully otherwise. `input_left` says the client's request may not
    have been read to its end. The caller then lets `socket` and `slot` go.

    False: the rest needs a session; nothing was touched.
*/
bool finish_at_accept(accepted_socket& socket, connection_slot& slot, session_log& log, const reply_bytes& reply,
                      const io_result& first, bool input_left = false);

/// End a connection just accepted without an answer: log `outcome`, then close gracefully.
void refuse_at_accept(accepted_socket socket, connection_slot slot, session_log log, std::string_view outcome);

} // namespace poetry::detail
