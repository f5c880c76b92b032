// slowpoetry's connection: drip the poem, chunk by chunk, then close; stop at once
// if the client goes away, however it leaves.
#include "poetry/server/log.hpp"
#include "protocols/protocols.hpp"
#include "session/session.hpp"
#include "socket/raw_io.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/error.hpp>

#include <array>

namespace poetry::detail {
namespace {

class slow_session : public session, public std::enable_shared_from_this<slow_session>
{
public:
    slow_session(session_parts parts, const slow_server_config& config)
        : session(std::move(parts))
        , config_(config)
    {
    }

    // Drip the poem while watching for the client to hang up.
    void run()
    {
        // The pause between chunks is not a stalled write: allow for it.
        const auto write_timeout = config_.write_timeout > clock::duration::zero()
                                       ? config_.write_timeout + config_.drip.delay
                                       : clock::duration::zero();
        idle_.start(write_timeout, [self = shared_from_this()] { self->stop(); });
        drip_options drip = config_.drip;
        if (log_verbose()) // the drip ends before the session does: `this` outlives it
            drip.on_chunk = [this](std::size_t n) { log_.step("Sending " + std::to_string(n) + " bytes"); };
        async_drip_poem(socket_, idle_, *config_.poem, std::move(drip),
                        asio::bind_cancellation_slot(
                            cancel_drip_.slot(),
                            [self = shared_from_this()](error_code ec, std::size_t n) { self->on_dripped(ec, n); }));
        watch_for_hangup();
    }

private:
    // The client sends nothing; a read completes only when it goes away.
    void watch_for_hangup()
    {
        socket_.async_read_some(asio::buffer(sink_),
                                [self = shared_from_this()](error_code ec, std::size_t) { self->on_client_read(ec); });
    }

    void on_client_read(error_code ec)
    {
        if (ec == asio::error::operation_aborted || done_)
            return;
        if (!ec)
            return watch_for_hangup();
        // End-of-file: the client shut down its sending side and may still be reading
        // (`nc -N`). It gets the whole poem.
        if (ec == asio::error::eof)
            return watch_for_reset();
        hangup_ = ec;
        stop();
    }

    // A client that closed, rather than only stopped sending (before it was accepted, or
    // with chunks unread), answers a chunk with a reset: end the drip when it comes, not
    // at the next chunk, so that its slot is free at once. The reset may already be here.
    void watch_for_reset()
    {
        if (connection_dropped(socket_.native_handle()))
            return on_client_read(asio::error::connection_reset);
        socket_.async_wait(tcp::socket::wait_error, [self = shared_from_this()](error_code ec) {
            if (ec)
                return self->on_client_read(ec);
            // Urgent data wakes this wait too: only a dropped connection ends the drip.
            if (!connection_dropped(self->socket_.native_handle()))
                return self->watch_for_reset();
            self->on_client_read(asio::error::connection_reset);
        });
    }

    // The client hung up or stopped reading: end the drip now, not at its next chunk,
    // with a reset, so that the part it was sent cannot read as the whole poem.
    void stop()
    {
        cancel_drip_.emit(asio::cancellation_type::terminal);
        close_with_reset(socket_);
    }

    void on_dripped(error_code ec, std::size_t sent)
    {
        done_ = true;
        if (hangup_ && !idle_.expired())
            ec = hangup_;
        // The hang-up watcher's read ends now (aborted), before the lingering close reads.
        error_code ignored;
        socket_.cancel(ignored);
        finish(sent, idle_or(ec, errc::write_timeout));
    }

    asio::cancellation_signal cancel_drip_;
    slow_server_config config_;
    std::array<char, 64> sink_;
    error_code hangup_;
    bool done_ = false;
};

// Every connection is a session: the drip needs the event loop from its first chunk.
class slow_handler : public connection_handler
{
public:
    explicit slow_handler(slow_server_config config)
        : config_(std::move(config))
    {
    }

    void accept(accepted_connection connection) override
    {
        connection.arrived("poetry!");
        std::make_shared<slow_session>(std::move(connection).into_session(), config_)->run();
    }

private:
    slow_server_config config_;
};

} // namespace

server_protocol
slow_protocol(slow_server_config config)
{
    return protocol_of<slow_handler>(replies::over_time, std::move(config));
}

} // namespace poetry::detail
