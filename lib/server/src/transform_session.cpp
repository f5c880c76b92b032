// transformedpoetry's connection, in three steps: read one netstring request
// ("LEN:NAME.POEM,"), transform it (on a worker when it is long), send the reply as a
// netstring and close; a bad request is refused by closing without an answer. When
// the request is already waiting and the reply fits the socket's buffer, all three
// happen at accept time (start_transform_session, at the end of this file).
#include "poetry/server/sessions.hpp"

#include "detail/accept_time.hpp"
#include "detail/send_rest.hpp"
#include "detail/session.hpp"
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

// The whole reply to a complete request, as a netstring, paid for by `share` before it is
// allocated; empty, with `ec` saying why, when it is refused. Safe on any thread: it reads
// only the request and writes only the share.
std::string
reply_to(const netstring_decoder& request, budget_lease& share, error_code& ec)
{
    ec = request.error();
    if (ec)
        return {};
    try
    {
        return transform_reply(request.payload(), share, ec);
    }
    catch (const std::bad_alloc&)
    {
        share.release();
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
class transform_session : public detail::session, public std::enable_shared_from_this<transform_session>
{
public:
    transform_session(tcp::socket socket, connection_slot slot, detail::session_log log,
                      const transform_server_config& config, netstring_decoder request)
        : session(std::move(socket), std::move(slot), std::move(log))
        , deadline_(socket_.get_executor())
        , request_(std::move(request))
        , config_(config)
    {
    }

    // The steps, in order: read the rest of the request, transform it (on a worker
    // when it is long), send the reply.

    /// Read the rest of the request, then answer.
    void read_request()
    {
        close_when_idle(config_.idle_timeout, shared_from_this(), on_idle::close);
        watch_deadline();
        async_read_netstring(socket_, request_, asio::buffer(buffer_), idle_,
                             [self = shared_from_this()](error_code ec) { self->on_request(ec); });
    }

    /// Send the rest of `reply`, from `sent`; `share` paid for it.
    void send_reply(std::string reply, budget_lease share, std::size_t sent)
    {
        close_when_idle(config_.idle_timeout, shared_from_this(), on_idle::close);
        sent_ = sent;
        reply_share_ = std::move(share);
        on_reply(error_code(), std::move(reply));
    }

private:
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
        std::string reply = reply_to(request_, reply_share_, ec);
        on_reply(ec, std::move(reply));
    }

    // A long transform would stall every other client of this loop: a worker does it.
    void transform_off_the_loop()
    {
        asio::post(*config_.workers, [self = shared_from_this()]() mutable {
            error_code ec;
            std::string reply = reply_to(self->request_, self->reply_share_, ec);
            // The session goes back with the result: it must end on its own event loop, never here.
            const auto loop = self->socket_.get_executor();
            asio::post(loop, [self = std::move(self), ec, reply = std::move(reply)]() mutable {
                self->on_reply(ec, std::move(reply));
            });
        });
    }

    // The reply is ready, paid for (or the request refused): send it.
    void on_reply(error_code ec, std::string reply)
    {
        if (ec)
            return refuse(ec);           // the request is still here to name an unknown transform
        request_ = netstring_decoder(0); // frees the request and gives back its share of the budget
        if (!socket_.is_open())          // the idle timer fired meanwhile
            return refuse(asio::error::operation_aborted);
        reply_ = std::move(reply);
        detail::async_send_rest(socket_, idle_, {reply_}, sent_,
                                [self = shared_from_this()](error_code sent_ec) { self->on_sent(sent_ec); });
    }

    void on_sent(error_code ec)
    {
        reply_share_.release();
        finish(sent_, timed_out_or(ec));
    }

    // Close without an answer: that is how a transform server says no.
    void refuse(error_code ec) { finish(0, refusal(request_, timed_out_or(ec))); }

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

    // A step that failed because a timer fired failed for that reason.
    error_code timed_out_or(error_code ec)
    {
        deadline_.cancel();
        return ec && deadline_passed_ ? make_error_code(errc::request_timeout) : idle_or(ec, errc::idle_timeout);
    }

    asio::steady_timer deadline_;
    bool deadline_passed_ = false;
    netstring_decoder request_;
    transform_server_config config_;
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
    const detail::io_result received = detail::receive_now(fd, buffer);
    if (received.bytes > 0)
        request.feed({buffer.data(), received.bytes});
    else if (received.eof)
        request.finish();
    if (received.ec) // the connection is gone: nothing to close gracefully
        return log.report(0, "refused: " + received.ec.message());
    if (request.state() == netstring_decoder::status::need_more)
        return std::make_shared<transform_session>(std::move(socket).into_socket(), std::move(slot), std::move(log),
                                                   config, std::move(request))
            ->read_request();

    // What arrived whole at once is at most one buffer: short enough to transform here.
    error_code ec;
    std::string reply;
    budget_lease reply_share(config.buffers);
    if (!request.error() && fails_on_purpose(config))
        ec = errc::transform_failed;
    else
        reply = reply_to(request, reply_share, ec);
    if (ec)
        return detail::refuse_at_accept(std::move(socket), std::move(slot), std::move(log), refusal(request, ec));

    // A full read may have left bytes unread: they would turn a plain close into a reset.
    const detail::io_result first = detail::send_now(fd, {reply}, 0);
    if (detail::finish_at_accept(socket, slot, log, {reply}, first, received.bytes == buffer.size()))
        return;
    std::make_shared<transform_session>(std::move(socket).into_socket(), std::move(slot), std::move(log), config,
                                        netstring_decoder(0))
        ->send_reply(std::move(reply), std::move(reply_share), first.bytes);
}

} // namespace poetry
