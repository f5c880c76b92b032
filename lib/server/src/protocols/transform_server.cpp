// transformedpoetry's connection, in three steps: read one netstring request
// ("LEN:NAME.POEM,"), answer it (the transform, on a worker when it is long), send the
// reply as a netstring and close; a bad request is refused by closing without an answer.
// When the request is already waiting, the first two happen at accept time, and the
// third too when the reply fits the socket's buffer (transform_handler, at the end).
#include "poetry/io/netstring_io.hpp"
#include "poetry/protocol/transforms.hpp"
#include "protocols/protocols.hpp"
#include "protocols/transform_reply.hpp"
#include "session/session.hpp"
#include "socket/send_rest.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <new>
#include <optional>
#include <random>

namespace poetry::detail {
namespace {

// Requests at least this long are transformed off the event loop when there are workers:
// at the slowest measured speed (about 200 MB/s for mixed scripts) this is 0.3 ms of work.
constexpr std::size_t offload_bytes = 64 * 1024;

// A long reply goes out this much a turn of the event loop (as a long request comes in,
// netstring_read_turn): a short request on the same loop waits for a few of these, never
// for a long one's megabytes. Smaller turns cost syscalls, not throughput (issue 27, row 7).
constexpr std::size_t reply_turn = 64 * 1024;

// What the connections of one event loop share: the config, the generator their
// failures on purpose are drawn from, and the watch on the buffers kept for reuse (only
// on that loop).
class transform_loop : public std::enable_shared_from_this<transform_loop>
{
public:
    transform_loop(transform_server_config server_config, std::uint64_t seed)
        : config(std::move(server_config))
        , random_(seed)
    {
    }

    // Whether the next request fails on purpose (--fail-rate).
    bool fails_on_purpose() { return config.fail_rate > 0 && std::bernoulli_distribution(config.fail_rate)(random_); }

    // Whether answering `request` is long enough work for a worker.
    bool for_a_worker(const netstring_decoder& request) const
    {
        return config.workers && request.state() == netstring_decoder::status::done &&
               request.payload().size() >= offload_bytes;
    }

    // A buffer was kept for reuse: while any is, look every quarter of the budget's
    // kept_for() for those no request has taken for that long, and free them, so that a
    // server gone quiet gives its memory back.
    void watch_kept_buffers(const asio::any_io_executor& loop)
    {
        if (watching_ || !config.buffers || config.buffers->kept() == 0)
            return;
        if (!kept_timer_)
            kept_timer_.emplace(loop);
        watching_ = true;
        kept_timer_->expires_after(config.buffers->kept_for() / 4);
        kept_timer_->async_wait([weak = weak_from_this(), loop](error_code ec) {
            const auto self = weak.lock();
            if (!self)
                return;
            self->watching_ = false;
            if (ec)
                return;
            self->config.buffers->free_unused_kept();
            self->watch_kept_buffers(loop);
        });
    }

    const transform_server_config config;

private:
    std::mt19937_64 random_;
    std::optional<asio::steady_timer> kept_timer_;
    bool watching_ = false;
};

// The one protocol step, at accept time and in a session alike: a request read to its
// end (or found broken) becomes the whole reply, as a netstring, in a buffer `budget`
// pays for before it is allocated; or nothing, with `ec` saying why it is refused.
// `fail` is the loop's draw for --fail-rate. Safe on any thread: it reads only the
// request, and the budget is thread-safe.
built_reply
answer(const netstring_decoder& request, bool fail, const std::shared_ptr<byte_budget>& budget, error_code& ec)
{
    ec = request.error();
    if (!ec && fail)
        ec = errc::transform_failed;
    if (ec)
        return {};
    try
    {
        return transform_reply(request.payload(), budgeted_buffer(budget), ec);
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

// With --verbose, what a complete request asks for: "asks for cummingsify of 653 bytes".
void
log_what_is_asked(const netstring_decoder& request, const auto& connection)
{
    if (!log_verbose() || request.state() != netstring_decoder::status::done)
        return;
    error_code ec;
    const transform_request asked = parse_transform_request(request.payload(), ec);
    if (!ec)
        connection.step("asks for " + printable_name(asked.name) + " of " + std::to_string(asked.poem.size()) +
                        " bytes");
}

// Where accept leaves a connection it hands to a session: its request still arriving, or
// whole and long enough for a worker; or answered, with part of the reply sent.
struct transform_start
{
    netstring_decoder request{};
    built_reply reply{}; // empty: not answered yet
    std::size_t sent = 0;
};

// A request that did not arrive whole at once, one long enough for a worker, or an
// answer that did not fit the socket's buffer.
class transform_session : public session, public std::enable_shared_from_this<transform_session>
{
public:
    transform_session(session_parts parts, std::shared_ptr<transform_loop> loop, transform_start start)
        : session(std::move(parts))
        , loop_(std::move(loop))
        , deadline_(socket_.get_executor())
        , request_(std::move(start.request))
        , reply_(std::move(start.reply))
        , sent_(start.sent)
    {
    }

    // The steps, in order: read the rest of the request, answer it (on a worker when it
    // is long), send the reply. A session starts at the step accept left it at.
    void run()
    {
        close_when_idle(loop_->config.idle_timeout, shared_from_this(), on_idle::close);
        if (!reply_.bytes().empty())
            return send_reply();
        if (request_.state() == netstring_decoder::status::need_more)
            return read_request();
        on_request(error_code());
    }

private:
    // Read the rest of the request, then answer.
    void read_request()
    {
        watch_deadline();
        async_read_netstring(socket_, request_, asio::buffer(length_and_comma_), idle_,
                             [self = shared_from_this()](error_code ec) { self->on_request(ec); });
    }

    // The request is complete, or could not be read.
    void on_request(error_code ec)
    {
        deadline_.cancel();
        if (ec)
            return refuse(ec);
        log_what_is_asked(request_, log_);
        const bool fail = loop_->fails_on_purpose();
        if (!fail && loop_->for_a_worker(request_))
            return answer_on_a_worker();
        built_reply reply = answer(request_, fail, loop_->config.buffers, ec);
        on_reply(ec, std::move(reply));
    }

    // A long transform would stall every other client of this loop: a worker does it.
    // The client waits on us meanwhile, however long the queue: its idle time does not run.
    void answer_on_a_worker()
    {
        idle_.hold();
        asio::post(*loop_->config.workers, [self = shared_from_this()]() mutable {
            error_code ec;
            built_reply reply = answer(self->request_, false, self->loop_->config.buffers, ec);
            // The session goes back with the result: it must end on its own event loop, never here.
            const auto loop = self->socket_.get_executor();
            asio::post(loop, [self = std::move(self), ec, reply = std::move(reply)]() mutable {
                self->idle_.release();
                self->on_reply(ec, std::move(reply));
            });
        });
    }

    // The reply is ready, paid for (or the request refused): send it.
    void on_reply(error_code ec, built_reply reply)
    {
        if (ec)
            return refuse(ec);               // the request is still here to name an unknown transform
        request_.payload_buffer().recycle(); // kept for the next long request
        loop_->watch_kept_buffers(socket_.get_executor());
        if (!socket_.is_open()) // the idle timer fired meanwhile
            return refuse(asio::error::operation_aborted);
        reply_ = std::move(reply);
        send_reply();
    }

    // Send the reply, from `sent_` on.
    void send_reply()
    {
        async_send_rest(socket_, idle_, {reply_.bytes()}, sent_, reply_turn,
                        [self = shared_from_this()](error_code sent_ec) { self->on_sent(sent_ec); });
    }

    void on_sent(error_code ec)
    {
        reply_.recycle(); // the next long reply is built in its buffer
        loop_->watch_kept_buffers(socket_.get_executor());
        finish(sent_, timed_out_or(ec));
    }

    // Close without an answer: that is how a transform server says no.
    void refuse(error_code ec) { finish(0, refusal(request_, timed_out_or(ec))); }

    // However steadily its bytes trickle in, a request has a deadline: a slot is not a lease for life.
    void watch_deadline()
    {
        if (loop_->config.request_timeout <= clock::duration::zero())
            return;
        deadline_.expires_after(loop_->config.request_timeout);
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

    std::shared_ptr<transform_loop> loop_;
    asio::steady_timer deadline_;
    bool deadline_passed_ = false;
    netstring_decoder request_;
    // The length and the comma come through here; the payload is read straight into its room.
    std::array<char, 64> length_and_comma_;
    built_reply reply_;
    std::size_t sent_ = 0;
};

class transform_handler : public connection_handler
{
public:
    explicit transform_handler(std::shared_ptr<transform_loop> loop)
        : loop_(std::move(loop))
    {
    }

    // A client sends its request as soon as it connects, so it is usually here already:
    // answer at once, and a connection that needs nothing more never joins the event loop.
    void accept(accepted_connection connection) override
    {
        connection.arrived("a transform.");
        netstring_decoder request(loop_->config.max_length, budgeted_buffer(loop_->config.buffers));
        std::array<char, 4096> buffer;
        const io_result received = connection.receive(buffer);
        if (received.bytes > 0)
            request.feed({buffer.data(), received.bytes});
        else if (received.eof)
            request.finish();
        if (received.ec) // the connection is gone: nothing to close gracefully
            return std::move(connection).drop("refused: " + received.ec.message());
        if (request.state() == netstring_decoder::status::need_more || loop_->for_a_worker(request))
            return start_session(std::move(connection), {.request = std::move(request)});
        log_what_is_asked(request, connection);

        error_code ec;
        built_reply reply = answer(request, loop_->fails_on_purpose(), loop_->config.buffers, ec);
        if (ec)
            return std::move(connection).refuse(refusal(request, ec));
        // A full read may have left bytes unread: they would turn a plain close into a reset.
        const io_result first = connection.send({reply.bytes()}, 0);
        if (connection.finished({reply.bytes()}, first, received.bytes == buffer.size()))
            return;
        start_session(std::move(connection), {.reply = std::move(reply), .sent = first.bytes});
    }

private:
    void start_session(accepted_connection connection, transform_start start)
    {
        std::make_shared<transform_session>(std::move(connection).into_session(), loop_, std::move(start))->run();
    }

    std::shared_ptr<transform_loop> loop_;
};

} // namespace

server_protocol
transform_protocol(transform_server_config config)
{
    auto workers = config.workers;
    auto make_handler = [config = std::move(config)](unsigned thread) {
        // Each loop draws its failures from a generator of its own; all share the budget and the workers.
        const auto seed = config.seed ? *config.seed + thread : std::random_device{}();
        return std::make_unique<transform_handler>(std::make_shared<transform_loop>(config, seed));
    };
    // Workers hand results back to the event loops: they finish what they hold while the
    // loops still exist (at most the budget's worth of requests).
    auto after_stop = [workers] {
        if (workers)
            workers->join();
    };
    return {.replies_once = true, .make_handler = std::move(make_handler), .after_stop = std::move(after_stop)};
}

} // namespace poetry::detail
