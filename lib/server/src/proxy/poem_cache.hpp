// The caching poetry proxy's one poem: downloaded when first asked for, then cached.
#pragma once

#include "accept/accepted_connection.hpp"
#include "poetry/client/get_poem.hpp"
#include "poetry/server/configs.hpp"
#include "protocols/fast_session.hpp"

#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace poetry::detail {

/** The one poem a proxy serves: downloaded on demand, shared, then cached.

    The first client starts the download; clients that arrive meanwhile
    wait for the same one. When it succeeds the poem is cached and every
    waiting and later client gets it at once. When it fails or brings no
    bytes, the waiting clients' connections are reset (a failure they can
    tell from an empty poem), nothing is cached, and the next client starts
    a new download; so does a download not complete within its deadline,
    however steadily its bytes trickle in. When every waiting client has gone, the download
    is cancelled (its upstream connection closed at once) and nothing is
    cached. Single-threaded: use it from one executor.
*/
class poem_cache : public std::enable_shared_from_this<poem_cache>
{
public:
    explicit poem_cache(const proxy_server_config& config);

    /// The poem, once downloaded; null until then.
    const served_poem* cached() const noexcept { return poem_ ? &*poem_ : nullptr; }

    /// A client connected before the poem is here: it waits for the download.
    void wait(session_parts client);

private:
    class waiting_client;

    void start_download(const asio::any_io_executor& ex);
    void on_download(std::uint64_t download, error_code ec, std::string poem);
    void on_deadline(std::uint64_t download);
    void refuse_waiting(error_code why);
    void on_client_gone(const waiting_client* client);
    void cancel_download();

    address upstream_;
    fetch_options options_;
    clock::duration download_timeout_;
    std::optional<asio::steady_timer> deadline_; // on the loop's executor, from the first download
    std::optional<served_poem> poem_;
    std::vector<std::shared_ptr<waiting_client>> waiting_;
    std::shared_ptr<asio::cancellation_signal> cancel_; // set while a download runs
    std::uint64_t download_ = 0;                        // which download is the current one
};

} // namespace poetry::detail
