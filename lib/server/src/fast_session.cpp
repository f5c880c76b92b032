#include "poetry/server/sessions.hpp"

#include "detail/fast_session.hpp"
#include "detail/graceful_close.hpp"
#include "detail/raw_io.hpp"
#include "detail/send_rest.hpp"
#include "detail/session_log.hpp"
#include "poetry/io/idle_timer.hpp"

namespace poetry {
namespace {

// One non-blocking send of the poem from `offset`; from the memory file when
// there is one, so that the kernel references the poem's pages instead of copying them.
std::size_t
send_now(int fd, const fast_server_config& config, std::size_t offset, error_code& ec)
{
    if (config.poem_file)
        return detail::send_file_now(fd, config.poem_file->native_handle(), config.poem->size(), offset, ec);
    return detail::send_now(fd, *config.poem, offset, ec);
}

// The rest of a poem that did not fit the socket's buffer at once.
class fast_session : public std::enable_shared_from_this<fast_session>
{
public:
    fast_session(tcp::socket socket, connection_slot slot, const fast_server_config& config, std::size_t sent,
                 detail::session_log log)
        : socket_(std::move(socket))
        , slot_(std::move(slot))
        , idle_(socket_.get_executor())
        , config_(config)
        , sent_(sent)
        , log_(std::move(log))
    {
    }

    void run()
    {
        idle_.start(config_.write_timeout, [self = shared_from_this()] {
            error_code ignored;
            self->socket_.close(ignored);
        });
        send_more();
    }

private:
    void send_more()
    {
        const auto send_some = [this](error_code& ec) {
            const std::size_t n = send_now(socket_.native_handle(), config_, sent_, ec);
            sent_ += n;
            return detail::send_progress{n, sent_ == config_.poem->size()};
        };
        detail::async_send_rest(socket_, idle_, send_some,
                                [self = shared_from_this()](error_code ec) { self->finish(ec); });
    }

    void finish(error_code ec)
    {
        if (idle_.expired())
            ec = errc::write_timeout;
        idle_.stop();
        log_.report(sent_, ec);
        detail::close_gracefully(std::move(socket_), std::move(slot_));
    }

    tcp::socket socket_;
    connection_slot slot_;
    idle_timer idle_;
    fast_server_config config_;
    std::size_t sent_;
    detail::session_log log_;
};

} // namespace

void
start_fast_session(accepted_socket socket, connection_slot slot, const fast_server_config& config)
{
    // A short poem goes in one send, and the connection is done without ever
    // being registered with the event loop.
    const int fd = socket.native_handle();
    detail::session_log log(fd, "poetry!");
    error_code ec;
    const std::size_t sent = send_now(fd, config, 0, ec);
    if (ec)
        return log.report(sent, ec);
    if (sent == config.poem->size())
    {
        log.report(sent, ec);
        if (!detail::may_close_at_once(fd, sent))
            detail::close_gracefully(std::move(socket), std::move(slot));
        return; // otherwise a plain close: end-of-file after the last byte
    }
    std::make_shared<fast_session>(std::move(socket), std::move(slot), config, sent, std::move(log))->run();
}

void
start_fast_session(tcp::socket socket, connection_slot slot, const fast_server_config& config)
{
    detail::session_log log(socket, "poetry!");
    detail::start_fast_session(std::move(socket), std::move(slot), config, std::move(log));
}

void
detail::start_fast_session(tcp::socket socket, connection_slot slot, const fast_server_config& config, session_log log)
{
    std::make_shared<fast_session>(std::move(socket), std::move(slot), config, 0, std::move(log))->run();
}

} // namespace poetry
