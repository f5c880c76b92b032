// Reading one netstring from a socket.
#pragma once

#include "poetry/io/asio.hpp"
#include "poetry/io/idle_timer.hpp"
#include "poetry/protocol/netstring.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>

#include <cstddef>

namespace poetry {

using read_netstring_signature = void(error_code);

/// The most one read takes of a long payload. Each read is a turn of the event loop: a
/// loop reading a long request answers its short ones in between, after at most this.
inline constexpr std::size_t netstring_read_turn = 64 * 1024;

namespace detail {

// The operation behind the initiating function below, compiled once for every token.
void async_read_netstring_impl(asio::any_completion_handler<read_netstring_signature> handler, tcp::socket& socket,
                               netstring_decoder& decoder, asio::mutable_buffer buffer, idle_timer& progress);

} // namespace detail

/** Read from `socket` into `decoder` until it holds one netstring.

    Bytes are read into `buffer` and fed to the decoder, a long payload
    straight into the decoder, at most `netstring_read_turn` bytes a read;
    bytes after the netstring's comma are dropped (one request per
    connection). Each read that brings bytes touches `progress`.

    The operation completes when:
    @li the decoder has a payload (success), or
    @li the decoder finds an error (its `errc::netstring_*` code), or
    @li the peer closes first (`errc::netstring_truncated`), or
    @li a read fails.

    `socket`, `decoder`, `buffer` and `progress` must outlive the operation.
    The handler is never invoked from inside this call; its signature is
    @code
    void handler(error_code ec);
    @endcode
*/
template <asio::completion_token_for<read_netstring_signature> CompletionToken>
auto
async_read_netstring(tcp::socket& socket, netstring_decoder& decoder, asio::mutable_buffer buffer, idle_timer& progress,
                     CompletionToken&& token)
{
    return asio::async_initiate<CompletionToken, read_netstring_signature>(
        [](auto handler, tcp::socket* s, netstring_decoder* d, asio::mutable_buffer b, idle_timer* p) {
            detail::async_read_netstring_impl(std::move(handler), *s, *d, b, *p);
        },
        token, &socket, &decoder, buffer, &progress);
}

} // namespace poetry
