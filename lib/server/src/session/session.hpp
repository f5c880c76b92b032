// What every session is built on: one connection, its slot, its idle timer, its log
// lines, and one way to end.
#pragma once

#include "accept/accepted_connection.hpp"
#include "poetry/io/asio.hpp"
#include "poetry/io/idle_timer.hpp"
#include "session/session_log.hpp"
#include "socket/graceful_close.hpp"

#include <memory>
#include <string_view>

namespace poetry::detail {

class session
{
protected:
    explicit session(session_parts parts)
        : socket_(std::move(parts.socket))
        , idle_(socket_.get_executor())
        , log_(std::move(parts.log))
        , slot_(std::move(parts.slot))
    {
    }

    /// A session that never finished was cut off: the server is stopping with it open.
    /// A reset, so that the bytes it was sent cannot read as a whole poem.
    ~session()
    {
        if (socket_.is_open())
            close_with_reset(socket_);
    }

    session(const session&) = delete;
    session& operator=(const session&) = delete;

    /// How a connection that stalled ends.
    enum class on_idle
    {
        close, // a plain close: the transform protocol refuses by closing
        reset, // a reset: a poem cut short must not read as whole
    };

    /// Close the socket when nothing moves for `timeout` (zero: never), so that the step
    /// in progress fails. The wait keeps `owner`, this session, alive.
    void close_when_idle(clock::duration timeout, std::shared_ptr<session> owner, on_idle how)
    {
        idle_.start(timeout, [owner = std::move(owner), how] {
            if (how == on_idle::reset)
                return close_with_reset(owner->socket_);
            error_code ignored;
            owner->socket_.close(ignored);
        });
    }

    /// A step that failed because the idle timer fired failed for `reason`.
    error_code idle_or(error_code ec, errc reason) const
    {
        return ec && idle_.expired() ? make_error_code(reason) : ec;
    }

    /// The end: stop the timer, log how it went, close without losing what was sent. A
    /// session that failed (`ec`) resets instead: what it sent was not the whole reply.
    void finish(std::size_t sent, error_code ec)
    {
        idle_.stop();
        log_.report(sent, ec);
        if (ec)
            return close_with_reset(socket_);
        close_gracefully(std::move(socket_), std::move(slot_));
    }

    /// The same with the outcome in words ("refused: unknown transform 'shout'").
    void finish(std::size_t sent, std::string_view outcome)
    {
        idle_.stop();
        log_.report(sent, outcome);
        close_gracefully(std::move(socket_), std::move(slot_));
    }

    tcp::socket socket_;
    idle_timer idle_;
    session_log log_;

private:
    connection_slot slot_;
};

} // namespace poetry::detail
