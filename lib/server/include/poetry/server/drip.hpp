// The slow poetry server's step: a poem a few bytes at a time.
#pragma once

#include "poetry/io/asio.hpp"
#include "poetry/io/idle_timer.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>

#include <cstddef>
#include <functional>
#include <string_view>

namespace poetry {

struct drip_options
{
    std::size_t chunk_size = 10;
    clock::duration delay = std::chrono::milliseconds(700);
    /// Due times are rounded up to a multiple of this: chunks of many clients due within
    /// one grain are sent in one wake-up of the event loop instead of one each.
    clock::duration grain = std::chrono::milliseconds(2);
    /// Called as each chunk goes out, with its size (the original's "Sending 10 bytes").
    std::function<void(std::size_t)> on_chunk;
};

using drip_signature = void(error_code, std::size_t);

namespace detail {

// The operation behind the initiating function below, compiled once for every token.
void async_drip_poem_impl(asio::any_completion_handler<drip_signature> handler, tcp::socket& socket,
                          idle_timer& progress, std::string_view poem, drip_options options);

} // namespace detail

/** Write `poem` in chunks of `options.chunk_size` bytes, `options.delay` apart.

    The first chunk goes out at once; each next one is due `options.delay`
    after the one before was due, on the steady clock, rounded up to
    `options.grain`, so that a long poem does not drift; but never sooner
    than nine tenths of the delay after the one before went out, so that a
    stall (a stopped server, an overloaded loop) never turns into a burst
    of late chunks. Every connection of an event loop drips from one
    schedule (one timer, one heap of due times): each wake-up sends every
    chunk that is due. Each chunk written touches `progress`.

    `socket`, `progress` and the bytes of `poem` must outlive the operation.
    It completes when the whole poem is written (success), when a write
    fails, or with `operation_aborted`: at once when cancelled through the
    handler's cancellation slot, or at the next due time after the caller
    closes the socket. Its handler runs through its associated executor (the
    socket's when it has none), which has work outstanding meanwhile; it is
    never invoked from inside this call, and has the signature
    @code
    void handler(error_code ec, std::size_t bytes_sent);
    @endcode
*/
template <asio::completion_token_for<drip_signature> CompletionToken>
auto
async_drip_poem(tcp::socket& socket, idle_timer& progress, std::string_view poem, drip_options options,
                CompletionToken&& token)
{
    // Pointers, not references, so that the initiation does not decay-copy them.
    return asio::async_initiate<CompletionToken, drip_signature>(
        [](auto handler, tcp::socket* s, idle_timer* p, std::string_view text, drip_options o) {
            detail::async_drip_poem_impl(std::move(handler), *s, *p, text, std::move(o));
        },
        token, &socket, &progress, poem, std::move(options));
}

} // namespace poetry
