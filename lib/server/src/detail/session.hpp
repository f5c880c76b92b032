// What every session is built on: one connection, its slot, its idle timer, its log
// lines, and one way to end.
#pragma once

#include "detail/graceful_close.hpp"
#include "detail/session_log.hpp"
#include "poetry/io/asio.hpp"
#include "poetry/io/idle_timer.hpp"
#include "poetry/server/listener.hpp"

#include <memory>
#include <string_view>

namespace poetry::detail {

class session
{
protected:
    session(tcp::socket socket, connection_slot slot, session_log log)
        : socket_(std::move(socket))
        , idle_(socket_.get_executor())
        , log_(std::move(log))
        , slot_(std::move(slot))
    {
    }

    /// Close the socket when nothing moves for `timeout` (zero: never), so that the step
    /// in progress fails. The wait keeps `owner`, this session, alive.
    void close_when_idle(clock::duration timeout, std::shared_ptr<session> owner)
    {
        idle_.start(timeout, [owner = std::move(owner)] {
            error_code ignored;
            owner->socket_.close(ignored);
        });
    }

    /// A step that failed because the idle timer fired failed for `reason`.
    error_code idle_or(error_code ec, errc reason) const
    {
        return ec && idle_.expired() ? make_error_code(reason) : ec;
    }

    /// The end: stop the timer, log how it went, close without losing what was sent.
    void finish(std::size_t sent, error_code ec)
    {
        idle_.stop();
        log_.report(sent, ec);
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
