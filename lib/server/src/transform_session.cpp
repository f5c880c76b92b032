#include "poetry/server/sessions.hpp"

#include "detail/graceful_close.hpp"
#include "detail/raw_io.hpp"
#include "detail/send_rest.hpp"
#include "detail/session_log.hpp"
#include "poetry/io/idle_timer.hpp"
#include "poetry/io/netstring_io.hpp"
#include "poetry/protocol/transforms.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <array>
#include <new>

namespace poetry {
namespace {

// Whether this request fails on purpose (--fail-rate). Drawn on the event loop:
// each loop's generator is its own.
bool
fails_on_purpose(const transform_server_config& config)
{
    return config.fail_rate > 0 && std::bernoulli_distribution(config.fail_rate)(*config.random);
}

// The whole reply to a complete request, as a netstring; empty, with `ec` saying why, when it is refused.
// Safe on any thread: it reads only the request.
std::string
reply_to(const netstring_decoder& request, error_code& ec)
{
    ec = request.error();
    if (ec)
        return {};
    try
    {
        const std::string transformed = apply_transform_request(request.payload(), ec);
        return ec ? std::string() : netstring_encode(transformed);
    }
    catch (const std::bad_alloc&)
    {
        ec = errc::out_of_memory;
        return {};
    }
}

// "refused: unknown transform 'shout'": what a refusal logs, naming an unknown transform.
std::string
refusal(const netstring_decoder& request, error_code ec)
{
    std::string line = "refused: " + ec.message();
    if (ec == errc::unknown_transform && request.state() == netstring_decoder::status::done)
    {
        error_code ignored;
        line += " '" + printable_name(parse_transform_request(request.payload(), ignored).name) + "'";
    }
    return line;
}

// Requests at least this long are transformed off the event loop when there are workers:
// at the slowest measured speed (about 200 MB/s for mixed scripts) this is 0.3 ms of work.
constexpr std::size_t offload_bytes = 64 * 1024;

// A request that did not arrive whole at once, or an answer that did not fit the socket's buffer.
class transform_session : public std::enable_shared_from_this<transform_session>
{
public:
    transform_session(tcp::socket socket, connection_slot slot, const transform_server_config& config,
                      netstring_decoder request, detail::session_log log)
        : socket_(std::move(socket))
        , slot_(std::move(slot))
        , idle_(socket_.get_executor())
        , deadline_(socket_.get_executor())
        , request_(std::move(request))
        , config_(config)
        , log_(std::move(log))
    {
    }

    /// Read the rest of the request, then answer.
    void read_request()
    {
        watch_idle();
        watch_deadline();
        async_read_netstring(socket_, request_, asio::buffer(buffer_), idle_,
                             [self = shared_from_this()](error_code ec) { self->on_request(ec); });
    }

    /// Send the rest of `reply`, from `sent`.
    void send_reply(std::string reply, std::size_t sent)
    {
        watch_idle();
        sent_ = sent;
        on_reply(error_code(), std::move(reply));
    }

private:
    void watch_idle()
    {
        idle_.start(config_.idle_timeout, [self = shared_from_this()] {
            error_code ignored;
            self->socket_.close(ignored);
        });
    }

    // However steadily its bytes trickle in, a request has a deadline: a slot is not a lease for life.
    void watch_deadline()
    {
        if (config_.request_timeout <= clock::duration::zero())
            return;
        deadline_.expires_after(config_.request_timeout);
        deadline_.async_wait([self = shared_from_this()](error_code ec) {
            if (ec)
                return;
            self->deadline_passed_ = true;
            error_code ignored;
            self->socket_.close(ignored);
        });
    }

    // The request is complete, or could not be read.
    void on_request(error_code ec)
    {
        deadline_.cancel();
        if (ec)
            return refuse(ec);
        if (fails_on_purpose(config_))
            return refuse(errc::transform_failed);
        if (config_.workers && request_.payload().size() >= offload_bytes)
            return transform_off_the_loop();
        std::string reply = reply_to(request_, ec);
        on_reply(ec, std::move(reply));
    }

    // A long transform would stall every other client of this loop: a worker does it.
    void transform_off_the_loop()
    {
        asio::post(*config_.workers, [self = shared_from_this()]() mutable {
            error_code ec;
            std::string reply = reply_to(self->request_, ec);
            // The session goes back with the result: it must end on its own event loop, never here.
            const auto loop = self->socket_.get_executor();
            asio::post(loop, [self = std::move(self), ec, reply = std::move(reply)]() mutable {
                self->on_reply(ec, std::move(reply));
            });
        });
    }

    // The reply is ready (or the request refused): hold it within the budget and send it.
    void on_reply(error_code ec, std::string reply)
    {
        if (ec)
            return refuse(ec);           // the request is still here to name an unknown transform
        request_ = netstring_decoder(0); // frees the request and gives back its share of the budget
        if (!reply_share_.resize(reply.capacity()))
            return refuse(errc::buffer_budget_exceeded);
        if (!socket_.is_open()) // the idle timer fired meanwhile
            return refuse(asio::error::operation_aborted);
        reply_ = std::move(reply);
        const auto send_some = [this](error_code& send_ec) {
            const std::size_t n = detail::send_now(socket_.native_handle(), reply_, sent_, send_ec);
            sent_ += n;
            return detail::send_progress{n, sent_ == reply_.size()};
        };
        detail::async_send_rest(socket_, idle_, send_some,
                                [self = shared_from_this()](error_code sent_ec) { self->on_sent(sent_ec); });
    }

    void on_sent(error_code ec)
    {
        log_.report(sent_, end_timers(ec));
        reply_share_.release();
        detail::close_gracefully(std::move(socket_), std::move(slot_));
    }

    // Close without an answer: that is how a transform server says no.
    void refuse(error_code ec)
    {
        log_.report(0, refusal(request_, end_timers(ec)));
        detail::close_gracefully(std::move(socket_), std::move(slot_));
    }

    // Stop the timers; a step that failed because one fired failed for that reason.
    error_code end_timers(error_code ec)
    {
        if (ec && deadline_passed_)
            ec = errc::request_timeout;
        else if (ec && idle_.expired())
            ec = errc::idle_timeout;
        idle_.stop();
        deadline_.cancel();
        return ec;
    }

    tcp::socket socket_;
    connection_slot slot_;
    idle_timer idle_;
    asio::steady_timer deadline_;
    bool deadline_passed_ = false;
    netstring_decoder request_;
    transform_server_config config_;
    detail::session_log log_;
    std::array<char, 4096> buffer_;
    std::string reply_;
    budget_lease reply_share_{config_.buffers};
    std::size_t sent_ = 0;
};

} // namespace

void
start_transform_session(accepted_socket socket, connection_slot slot, const transform_server_config& config)
{
    // A client sends its request as soon as it connects, so it is usually here already:
    // answer at once, and a connection that needs nothing more never joins the event loop.
    const int fd = socket.native_handle();
    detail::session_log log(fd, "a transform.");
    netstring_decoder request(config.max_length, budget_lease(config.buffers));
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

    // What arrived whole at once is at most one buffer: short enough to transform here.
    std::string reply;
    if (!request.error() && fails_on_purpose(config))
        ec = errc::transform_failed;
    else
        reply = reply_to(request, ec);
    if (ec)
    {
        log.report(0, refusal(request, ec));
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
