// Client side of the transform protocol: one netstring out, one back.
#pragma once

#include "poetry/io/asio.hpp"
#include "poetry/memory/byte_budget.hpp"
#include "poetry/protocol/address.hpp"
#include "poetry/protocol/netstring.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace poetry {

struct transform_options
{
    /// Fail when the connection makes no progress for this long; zero waits forever.
    clock::duration idle_timeout = std::chrono::seconds(30);

    /// Fail when the reply declares more bytes than this.
    std::size_t max_size = default_max_netstring_length;

    /// Called once the connection is made (a progress report's "connected").
    std::function<void()> on_connected;

    /// Pays for the reply as it grows, shared with the downloads (get_poem's `total`); a reply
    /// that would pass it fails the transform. A reply received whole keeps its share.
    std::shared_ptr<byte_budget> total;
};

using transform_signature = void(error_code, std::string);

namespace detail {

// The operation behind the initiating function below, compiled once for every token.
void async_transform_impl(asio::any_completion_handler<transform_signature> handler, asio::any_io_executor ex,
                          address server, std::string name, std::string_view poem, transform_options options);

} // namespace detail

/** Ask a transform server to transform a poem.

    Connects to `server`, sends the netstring "NAME.POEM" and reads one
    netstring back; its payload is the transformed poem. The bytes of `poem`
    are sent where they are, not copied: they must outlive the operation. A
    write that moves bytes and a read that brings some both count as progress.

    The operation completes when:
    @li the reply netstring has been read (success), or
    @li the server closes without a byte of reply (`errc::no_reply`: that is
        how a transform server says no), or in the middle of one
        (`errc::netstring_truncated`), or
    @li the reply is not a valid netstring, or connecting, writing or reading
        fails, or nothing moves for `options.idle_timeout`: `errc::connect_timeout`
        before the connection is made, `errc::idle_timeout` after.

    The handler is never invoked from inside this call. Its signature is
    @code
    void handler(error_code ec, std::string transformed);
    @endcode
*/
template <asio::completion_token_for<transform_signature> CompletionToken>
auto
async_transform(asio::any_io_executor ex, address server, std::string name, std::string_view poem,
                transform_options options, CompletionToken&& token)
{
    return asio::async_initiate<CompletionToken, transform_signature>(
        [](auto handler, asio::any_io_executor e, address a, std::string n, std::string_view p, transform_options o) {
            detail::async_transform_impl(std::move(handler), std::move(e), std::move(a), std::move(n), p, std::move(o));
        },
        token, std::move(ex), std::move(server), std::move(name), poem, std::move(options));
}

} // namespace poetry
