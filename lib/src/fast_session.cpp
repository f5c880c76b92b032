#include "poetry/sessions.hpp"

#include "poetry/idle_timer.hpp"
#include "graceful_close.hpp"
#include "session_log.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>

namespace poetry {
namespace {

// The rest of a poem that did not fit the socket's buffer at once.
class fast_session : public std::enable_shared_from_this<fast_session>
{
public:
    fast_session(tcp::socket socket, connection_slot slot, shared_poem poem, std::size_t sent,
                 clock::duration write_timeout, detail::session_log log)
        : socket_(std::move(socket))
        , slot_(std::move(slot))
        , idle_(socket_.get_executor())
        , poem_(std::move(poem))
        , sent_(sent)
        , write_timeout_(write_timeout)
        , log_(std::move(log))
    {
    }

    void run()
    {
        idle_.start(write_timeout_, [self = shared_from_this()] {
            error_code ignored;
            self->socket_.close(ignored);
        });
        asio::async_write(socket_, asio::buffer(*poem_) + sent_,
                          [self = shared_from_this()](error_code ec, std::size_t n) { self->on_write(ec, n); });
    }

private:
    void on_write(error_code ec, std::size_t n)
    {
        sent_ += n;
        if (idle_.expired())
            ec = errc::write_timeout;
        idle_.stop();
        log_.report(sent_, ec);
        detail::close_gracefully(std::move(socket_), std::move(slot_));
    }

    tcp::socket socket_;
    connection_slot slot_;
    idle_timer idle_;
    shared_poem poem_;
    std::size_t sent_;
    clock::duration write_timeout_;
    detail::session_log log_;
};

} // namespace

void
start_fast_session(tcp::socket socket, connection_slot slot, const fast_server_config& config)
{
    detail::session_log log(socket);
    const std::string& poem = *config.poem;

    // Most poems fit the socket's send buffer: one non-blocking send, then close.
    // MSG_NOSIGNAL: a closed peer is an error, not SIGPIPE.
    const auto n = ::send(socket.native_handle(), poem.data(), poem.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    {
        log.report(0, error_code(errno, boost::system::system_category()));
        return;
    }
    const std::size_t sent = n < 0 ? 0 : static_cast<std::size_t>(n);
    if (sent == poem.size())
    {
        log.report(sent, error_code{});
        return detail::close_gracefully(std::move(socket), std::move(slot));
    }
    std::make_shared<fast_session>(std::move(socket), std::move(slot), config.poem, sent, config.write_timeout,
                                   std::move(log))
        ->run();
}

} // namespace poetry
