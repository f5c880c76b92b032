// The caching poetry proxy: a poetry server whose poem comes from another one.
#pragma once

#include "poetry/client/get_poem.hpp"
#include "poetry/server/listener.hpp"
#include "poetry/server/sessions.hpp"

#include <boost/asio/cancellation_signal.hpp>

#include <memory>
#include <vector>

namespace poetry {

/** The one poem a proxy serves: downloaded on demand, shared, then cached.

    The first client starts the download; clients that arrive meanwhile
    wait for the same one. When it succeeds the poem is cached and every
    waiting and later client gets it at once. When it fails or brings no
    bytes, the waiting clients' connections are reset (a failure they can
    tell from an empty poem), nothing is cached, and the next client starts
    a new download. When every waiting client has gone, the download
    is cancelled (its upstream connection closed at once) and nothing is
    cached. Single-threaded: use it from one executor.
*/
class poem_cache : public std::enable_shared_from_this<poem_cache>
{
public:
    poem_cache(address upstream, fetch_options options);

    /// A client connected: serve it from the cache or make it wait for the download.
    void serve(tcp::socket socket, connection_slot slot);

private:
    class waiting_client;

    void start_download(const asio::any_io_executor& ex);
    void on_download(std::uint64_t download, error_code ec, std::string poem);
    void on_client_gone(const waiting_client* client);

    address upstream_;
    fetch_options options_;
    shared_poem poem_;
    std::vector<std::shared_ptr<waiting_client>> waiting_;
    std::shared_ptr<asio::cancellation_signal> cancel_; // set while a download runs
    std::uint64_t download_ = 0;                        // which download is the current one
};

} // namespace poetry
