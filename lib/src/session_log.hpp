// The one line each connection leaves in a server's log.
#pragma once

#include "poetry/asio.hpp"
#include "poetry/listener.hpp"
#include "poetry/log.hpp"

#include <cstdio>
#include <string>

namespace poetry::detail {

class session_log
{
public:
    /// Notes the peer and the start time; costs nothing when logging is quiet.
    explicit session_log(const tcp::socket& socket)
    {
        if (log_quiet())
            return;
        error_code ec;
        const auto peer = socket.remote_endpoint(ec);
        peer_ = ec ? std::string("unknown peer") : to_string(peer);
        start_ = clock::now();
    }

    /// "127.0.0.1:40000: sent 653 bytes in 0.012 s: done"
    void report(std::size_t bytes_sent, std::string_view outcome) const
    {
        if (log_quiet())
            return;
        const std::chrono::duration<double> took = clock::now() - start_;
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.3f", took.count());
        log_line(peer_ + ": sent " + std::to_string(bytes_sent) + " bytes in " + seconds + " s: " +
                 std::string(outcome));
    }

private:
    std::string peer_;
    clock::time_point start_;
};

/** Close a connection without losing what was sent: a lingering close.

    Closing a socket that has unread input, or that receives input after it
    is closed, makes the kernel send a reset, and a reset can destroy the
    poem still on its way to the client. So: shut down our side (the client
    sees end-of-file after the last byte), read and drop whatever the client
    sends until it closes too, then close. Bounded by `limit` and by the
    bytes it will drop. The slot is released when the socket is closed.
*/
void close_gracefully(tcp::socket socket, connection_slot slot,
                      clock::duration limit = std::chrono::seconds(10));

} // namespace poetry::detail
