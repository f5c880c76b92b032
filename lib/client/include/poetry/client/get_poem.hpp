// Client side of the poetry protocol: connect, read to end-of-file.
#pragma once

#include "poetry/io/asio.hpp"
#include "poetry/memory/byte_budget.hpp"
#include "poetry/protocol/address.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace poetry {

struct fetch_options
{
    /// Fail when the connection makes no progress for this long; zero waits forever.
    clock::duration idle_timeout = std::chrono::seconds(30);

    /// Fail when the poem grows beyond this many bytes. The download's buffer never holds
    /// more than this plus one read.
    std::size_t max_size = 256 * 1024 * 1024;

    /// Pays for the download's buffer, shared with the program's other downloads; null: no
    /// limit but max_size. A poem downloaded whole keeps its share (the program holds the
    /// poem now); a failed download gives it back.
    std::shared_ptr<byte_budget> total;

    /// Called once connected (for traces).
    std::function<void()> on_connected;

    /// Called after each read with the number of bytes it brought (for progress reports).
    std::function<void(std::size_t)> on_bytes;
};

using get_poem_signature = void(error_code, std::string);

namespace detail {

// The operation behind the initiating function below, compiled once for every token.
void async_get_poem_impl(asio::any_completion_handler<get_poem_signature> handler, asio::any_io_executor ex,
                         address server, fetch_options options);

} // namespace detail

/** Download a poem: connect to `server`, read until it closes the connection.

    The poetry protocol has no framing: the poem is every byte received
    before end-of-file, so end-of-file is success. A host name is
    resolved asynchronously.

    The operation completes when:
    @li the server closes the connection normally (success), or
    @li connecting or reading fails (reset, refused, ...), or
    @li the connection is not made within `options.idle_timeout` (`errc::connect_timeout`), or
    @li no byte arrives for `options.idle_timeout` (`errc::idle_timeout`), or
    @li the poem exceeds `options.max_size` (`errc::poem_too_large`), or
    @li the buffer would pass what `options.total` has left (`errc::downloads_too_large`).

    On failure the string holds the bytes that arrived before it. The
    handler is never invoked from inside this call. Its signature is
    @code
    void handler(error_code ec, std::string poem);
    @endcode
*/
template <asio::completion_token_for<get_poem_signature> CompletionToken>
auto
async_get_poem(asio::any_io_executor ex, address server, fetch_options options, CompletionToken&& token)
{
    return asio::async_initiate<CompletionToken, get_poem_signature>(
        [](auto handler, asio::any_io_executor e, address a, fetch_options o) {
            detail::async_get_poem_impl(std::move(handler), std::move(e), std::move(a), std::move(o));
        },
        token, std::move(ex), std::move(server), std::move(options));
}

} // namespace poetry
