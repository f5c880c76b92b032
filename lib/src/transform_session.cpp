#include "poetry/sessions.hpp"

#include "poetry/idle_timer.hpp"
#include "poetry/netstring_io.hpp"
#include "poetry/transforms.hpp"
#include "graceful_close.hpp"
#include "session_log.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>

#include <array>

namespace poetry {
namespace {

class transform_session : public std::enable_shared_from_this<transform_session>
{
public:
    transform_session(tcp::socket socket, connection_slot slot, const transform_server_config& config)
        : socket_(std::move(socket))
        , slot_(std::move(slot))
        , idle_(socket_.get_executor())
        , decoder_(config.max_length)
        , config_(config)
        , log_(socket_)
    {
    }

    void run()
    {
        idle_.start(config_.idle_timeout, [self = shared_from_this()] {
            error_code ignored;
            self->socket_.close(ignored);
        });
        async_read_netstring(socket_, decoder_, asio::buffer(buffer_), idle_,
                             [self = shared_from_this()](error_code ec) { self->on_request(ec); });
    }

private:
    // A whole request arrived: transform it and answer, or refuse by closing.
    void on_request(error_code ec)
    {
        if (!ec)
            reply_ = apply_transform_request(decoder_.payload(), ec);
        if (!ec && config_.fail_rate > 0 && std::bernoulli_distribution(config_.fail_rate)(*config_.random))
            ec = errc::transform_failed;
        if (ec)
            return refuse(ec);

        decoder_ = netstring_decoder(0); // the request is no longer needed
        header_ = netstring_header(reply_.size());
        static constexpr char comma = ',';
        const std::array<asio::const_buffer, 3> reply{asio::buffer(header_), asio::buffer(reply_),
                                                      asio::buffer(&comma, 1)};
        asio::async_write(socket_, reply, [self = shared_from_this()](error_code write_ec, std::size_t n) {
            self->on_reply(write_ec, n);
        });
    }

    void on_reply(error_code ec, std::size_t sent)
    {
        log_.report(sent, end_timer(ec));
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
    netstring_decoder decoder_;
    transform_server_config config_;
    detail::session_log log_;
    std::array<char, 4096> buffer_;
    std::string header_;
    std::string reply_;
};

} // namespace

void
start_transform_session(tcp::socket socket, connection_slot slot, const transform_server_config& config)
{
    std::make_shared<transform_session>(std::move(socket), std::move(slot), config)->run();
}

} // namespace poetry
