#include "proxy/poem_cache.hpp"

#include "poetry/io/endpoint.hpp"
#include "poetry/server/log.hpp"
#include "session/session_log.hpp"
#include "socket/graceful_close.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/socket_base.hpp>

#include <algorithm>
#include <array>

namespace poetry::detail {
// A client waiting for the download, watching for it to hang up meanwhile.
class poem_cache::waiting_client : public std::enable_shared_from_this<waiting_client>
{
public:
    waiting_client(session_parts parts, std::weak_ptr<poem_cache> cache)
        : socket_(std::move(parts.socket))
        , slot_(std::move(parts.slot))
        , cache_(std::move(cache))
        , log_(std::move(parts.log))
    {
    }

    /// Still waiting when destroyed: the proxy is stopping. A reset, not an end-of-file
    /// that would read as an empty poem.
    ~waiting_client()
    {
        if (!released_)
            close_with_reset(socket_);
    }

    waiting_client(const waiting_client&) = delete;
    waiting_client& operator=(const waiting_client&) = delete;

    // The client sends nothing; a read completes only when it goes away.
    void watch_for_hangup()
    {
        socket_.async_read_some(asio::buffer(sink_), [self = shared_from_this()](error_code ec, std::size_t) {
            if (self->released_ || ec == asio::error::operation_aborted)
                return;
            if (!ec)
                return self->watch_for_hangup();
            // End-of-file counts as leaving, as in the original (its connectionLost): it may
            // cancel the download. A client that only shut down its sending side (`nc -N`)
            // gets a reset, never an end-of-file that would read as an empty poem.
            self->log_.report(0, "left while waiting for the download");
            self->reset();
            if (auto cache = self->cache_.lock())
                cache->on_client_gone(self.get());
        });
    }

    // The poem is here: send it as fastpoetry would.
    void serve(const served_poem& poem)
    {
        release();
        serve_poem(session_parts{std::move(socket_), std::move(slot_), std::move(log_)}, poem);
    }

    // The download failed: reset the connection, so that the client reports a failure
    // instead of taking an end-of-file for an empty poem.
    void refuse(error_code why)
    {
        log_.report(0, "reset: the download failed (" + why.message() + ")");
        reset();
    }

private:
    // A reset, not an end-of-file that would read as an empty poem.
    void reset()
    {
        release();
        close_with_reset(socket_);
    }

    void release()
    {
        released_ = true;
        error_code ignored;
        socket_.cancel(ignored); // ends the hang-up watch before the socket moves on
    }

    tcp::socket socket_;
    connection_slot slot_;
    std::weak_ptr<poem_cache> cache_;
    session_log log_;
    std::array<char, 64> sink_;
    bool released_ = false;
};

poem_cache::poem_cache(const proxy_server_config& config)
    : upstream_(config.upstream)
    , options_(config.fetch)
    , download_timeout_(config.download_timeout)
{
}

void
poem_cache::wait(session_parts parts)
{
    const auto ex = parts.socket.get_executor();
    auto client = std::make_shared<waiting_client>(std::move(parts), weak_from_this());
    waiting_.push_back(client);
    client->watch_for_hangup();
    if (!cancel_)
        start_download(ex);
}

void
poem_cache::start_download(const asio::any_io_executor& ex)
{
    if (log_verbose())
        log_line("Fetching poem from server."); // the original's words; the server is in the start-up line
    cancel_ = std::make_shared<asio::cancellation_signal>();
    const std::uint64_t download = ++download_;
    if (download_timeout_ > clock::duration::zero())
    {
        if (!deadline_)
            deadline_.emplace(ex);
        deadline_->expires_after(download_timeout_);
        deadline_->async_wait([self = shared_from_this(), download](error_code ec) {
            if (!ec)
                self->on_deadline(download);
        });
    }
    // The handler holds the signal: it must outlive the operation it can cancel.
    async_get_poem(ex, upstream_, options_,
                   asio::bind_cancellation_slot(cancel_->slot(), [self = shared_from_this(), download,
                                                                  signal = cancel_](error_code ec, std::string poem) {
                       self->on_download(download, ec, std::move(poem));
                   }));
}

void
poem_cache::on_download(std::uint64_t download, error_code ec, std::string poem)
{
    if (download != download_)
        return; // cancelled: a newer download, or none, is current
    cancel_.reset();
    if (deadline_)
        deadline_->cancel();
    // Only a download that ended cleanly with a poem is worth caching: an empty one is
    // what a refusing or broken upstream looks like.
    if (!ec && poem.empty())
        ec = errc::empty_poem;
    if (ec)
        return refuse_waiting(ec);
    auto waiting = std::exchange(waiting_, {});
    if (log_verbose())
        log_line("Cached " + std::to_string(poem.size()) + " bytes from " + to_string(upstream_) + ".");
    poem_.emplace();
    poem_->text = std::make_shared<const std::string>(std::move(poem));
    for (const auto& client : waiting)
        client->serve(*poem_);
}

// However steadily it trickles, a download has a deadline: its clients are not kept waiting for ever.
void
poem_cache::on_deadline(std::uint64_t download)
{
    if (download != download_ || !cancel_)
        return; // done or cancelled meanwhile
    cancel_download();
    refuse_waiting(errc::download_timeout);
}

void
poem_cache::refuse_waiting(error_code why)
{
    auto waiting = std::exchange(waiting_, {});
    log_line("Download from " + to_string(upstream_) + " failed: " + why.message() + "; resetting " +
             std::to_string(waiting.size()) + " waiting connection(s).");
    for (const auto& client : waiting)
        client->refuse(why);
}

void
poem_cache::on_client_gone(const waiting_client* client)
{
    std::erase_if(waiting_, [client](const auto& w) { return w.get() == client; });
    if (waiting_.empty() && cancel_)
    {
        if (log_verbose())
            log_line("Canceling poem download."); // the original's words: every waiting client has gone
        cancel_download();
    }
}

void
poem_cache::cancel_download()
{
    ++download_; // its completion, when it comes, is stale
    if (deadline_)
        deadline_->cancel();
    std::exchange(cancel_, nullptr)->emit(asio::cancellation_type::terminal);
}

} // namespace poetry::detail
