// The one line each connection leaves in a server's log.
#pragma once

#include "poetry/asio.hpp"
#include "poetry/listener.hpp"
#include "poetry/log.hpp"

#include <cstdio>
#include <string>

#include <sys/socket.h>

namespace poetry::detail {

class session_log
{
public:
    /// Notes the peer and the start time; costs nothing when logging is quiet.
    explicit session_log(tcp::socket& socket)
        : session_log(socket.native_handle())
    {
    }

    /// The same for a descriptor the event loop does not know yet.
    explicit session_log(int fd)
    {
        if (log_quiet())
            return;
        tcp::endpoint peer;
        auto size = static_cast<socklen_t>(peer.capacity());
        const bool known = ::getpeername(fd, peer.data(), &size) == 0;
        if (known)
            peer.resize(size);
        peer_ = known ? to_string(peer) : std::string("unknown peer");
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

    /// "done" when the poem went out, "client went away (REASON)" when writing it failed.
    void report(std::size_t bytes_sent, error_code ec) const
    {
        if (log_quiet())
            return;
        report(bytes_sent, ec ? "client went away (" + ec.message() + ")" : std::string("done"));
    }

private:
    std::string peer_;
    clock::time_point start_;
};

} // namespace poetry::detail
