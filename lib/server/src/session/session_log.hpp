// The lines each connection leaves in a server's log: one when it connects, one when it ends.
#pragma once

#include "poetry/io/asio.hpp"
#include "poetry/io/endpoint.hpp"
#include "poetry/server/log.hpp"

#include <cstdio>
#include <string>
#include <utility>

#include <sys/socket.h>

namespace poetry::detail {

class session_log
{
public:
    /// Notes the peer of the connection on `fd` (which the event loop may not know yet)
    /// and the start time; costs nothing when logging is quiet.
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

    /// Says who connected and what for ("Somebody at 127.0.0.1:40000 wants poetry!", as
    /// the original slow server says).
    void arrived(std::string_view wants) const
    {
        if (!log_quiet())
            log_line("Somebody at " + peer_ + " wants " + std::string(wants));
    }

    session_log(session_log&& other) noexcept
        : peer_(std::move(other.peer_))
        , start_(other.start_)
        , reported_(std::exchange(other.reported_, true))
    {
    }
    session_log& operator=(session_log&&) = delete;

    /// A connection that never reported was cut off: the server stopped with it open.
    ~session_log()
    {
        if (!reported_ && !log_quiet())
            log_line(peer_ + ": cut off after " + seconds() + " s: the server is stopping");
    }

    /// "127.0.0.1:40000: sent 653 bytes in 0.012 s: done"
    void report(std::size_t bytes_sent, std::string_view outcome)
    {
        reported_ = true;
        if (log_quiet())
            return;
        log_line(peer_ + ": sent " + std::to_string(bytes_sent) + " bytes in " + seconds() +
                 " s: " + std::string(outcome));
    }

    /// "done" when the poem went out, "client went away (REASON)" when writing it failed.
    void report(std::size_t bytes_sent, error_code ec)
    {
        if (log_quiet())
        {
            reported_ = true;
            return;
        }
        report(bytes_sent, ec ? "client went away (" + ec.message() + ")" : std::string("done"));
    }

    /// A step of the connection's work, with --verbose ("127.0.0.1:40000: Sending 10 bytes").
    void step(std::string_view what) const
    {
        if (log_verbose())
            log_line(peer_ + ": " + std::string(what));
    }

private:
    // Seconds since the connection came, "0.012".
    std::string seconds() const
    {
        const std::chrono::duration<double> took = clock::now() - start_;
        char text[32];
        std::snprintf(text, sizeof text, "%.3f", took.count());
        return text;
    }

    std::string peer_;
    clock::time_point start_;
    bool reported_ = false;
};

} // namespace poetry::detail
