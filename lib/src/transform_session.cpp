#include "poetry/sessions.hpp"

#include "poetry/idle_timer.hpp"
#include "poetry/netstring_io.hpp"
#include "poetry/transforms.hpp"
#include "graceful_close.hpp"
#include "raw_io.hpp"
#include "send_rest.hpp"
#include "session_log.hpp"

#include <boost/asio/buffer.hpp>

#include <array>

namespace poetry {
namespace {

// The netstring answering a complete request, or why the request is refused.
std::string
answer(const netstring_decoder& request, const transform_server_config& config, error_code& ec)
{
    ec = request.error();
    std::string reply;
    if (!ec)
        reply = apply_transform_request(request.payload(), ec);
    if (!ec && config.fail_rate > 0 && std::bernoulli_distribution(config.fail_rate)(*config.random))
        ec = errc::transform_failed;
    return ec ? std::string() : netstring_encode(reply);
}

// A request that did not arrive whole at once, or an answer that did not fit the socket's buffer.
class transform_session : public std::enable_shared_from_this<transform_session>
{
public:
    transform_session(tcp::socket socket, connection_slot slot, const transform_server_config& config,
                      netstring_decoder request, detail::session_log log)
        : socket_(std::move(socket))
        , slot_(std::move(slot))
        , idle_(socket_.get_executor())
        , request_(std::move(request))
        , config_(config)
        , log_(std::move(log))
    {
    }

    /// Read the rest of the request, then answer.
    void read_request()
    {
        watch_idle();
        async_read_netstring(socket_, request_, asio::buffer(buffer_), idle_,
                             [self = shared_from_this()](error_code ec) { self->on_request(ec); });
    }

    /// Send the rest of `reply`, from `sent`.
    void send_reply(std::string reply, std::size_t sent)
    {
        watch_idle();
        reply_ = std::move(reply);
        sent_ = sent;
        send_more();
    }

private:
    void watch_idle()
    {
        idle_.start(config_.idle_timeout, [self = shared_from_this()] {
            error_code ignored;
            self->socket_.close(ignored);
        });
    }

    void on_request(error_code ec)
    {
        if (!ec)
            reply_ = answer(request_, config_, ec);
        if (ec)
            return refuse(ec);
        request_ = netstring_decoder(0); // the request is no longer needed
        send_more();
    }

    void send_more()
    {
        const auto send_some = [this](error_code& ec) {
            const std::size_t n = detail::send_now(socket_.native_handle(), reply_, sent_, ec);
            sent_ += n;
            return detail::send_progress{n, sent_ == reply_.size()};
        };
        detail::async_send_rest(socket_, idle_, send_some,
                                [self = shared_from_this()](error_code ec) { self->on_reply(ec); });
    }

    void on_reply(error_code ec)
    {
        log_.report(sent_, end_timer(ec));
        detail::close_gracefully(std::move(socket_), std::move(slot_));
    }

    // Close without an answer: that is how a transform server says no.
    void refuse(error_code ec)
    {
        log_.report(0, "refused: " + end_timer(ec).message());
        detail::close_gracefully(std::move(socket_), std::move(slot_));
    }

    // Stop the idle timer; a step that failed because it fired failed for that reason.
    error_code end_timer(error_code ec)
    {
        if (ec && idle_.expired())
            ec = errc::idle_timeout;
        idle_.stop();
        return ec;
    }

    tcp::socket socket_;
    connection_slot slot_;
    idle_timer idle_;
    netstring_decoder request_;
    transform_server_config config_;
    detail::session_log log_;
    std::array<char, 4096> buffer_;
    std::string reply_;
    std::size_t sent_ = 0;
};

} // namespace

void
start_transform_session(accepted_socket socket, connection_slot slot, const transform_server_config& config)
{
    // A client sends its request as soon as it connects, so it is usually here already:
    // answer at once, and a connection that needs nothing more never joins the event loop.
    const int fd = socket.native_handle();
    detail::session_log log(fd);
    netstring_decoder request(config.max_length);
    std::array<char, 4096> buffer;
    error_code ec;
    bool eof = false;
    const std::size_t n = detail::receive_now(fd, buffer, eof, ec);
    if (n > 0)
        request.feed({buffer.data(), n});
    else if (eof)
        request.finish();
    if (ec)
        return log.report(0, "refused: " + ec.message());
    if (request.state() == netstring_decoder::status::need_more)
        return std::make_shared<transform_session>(std::move(socket), std::move(slot), config, std::move(request),
                                                   std::move(log))
            ->read_request();

    std::string reply = answer(request, config, ec);
    if (ec)
    {
        log.report(0, "refused: " + ec.message());
        return detail::close_gracefully(std::move(socket), std::move(slot));
    }
    const std::size_t sent = detail::send_now(fd, reply, 0, ec);
    if (ec || sent == reply.size())
    {
        log.report(sent, ec);
        // Bytes still unread (a full read may have left some) would turn a plain close into a reset.
        if (!ec && (n == buffer.size() || !detail::may_close_at_once(fd, reply.size())))
            detail::close_gracefully(std::move(socket), std::move(slot));
        return;
    }
    std::make_shared<transform_session>(std::move(socket), std::move(slot), config, netstring_decoder(0),
                                        std::move(log))
        ->send_reply(std::move(reply), sent);
}

} // namespace poetry
