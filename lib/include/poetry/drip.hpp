// The slow poetry server's step: a poem a few bytes at a time.
#pragma once

#include "poetry/asio.hpp"
#include "poetry/idle_timer.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <string_view>

namespace poetry {

struct drip_options
{
    std::size_t chunk_size = 10;
    clock::duration delay = std::chrono::milliseconds(700);
};

using drip_signature = void(error_code, std::size_t);

void async_drip_poem_impl(asio::any_completion_handler<drip_signature> handler, tcp::socket& socket,
                          asio::steady_timer& timer, idle_timer& progress, std::string_view poem,
                          drip_options options);

/** Write `poem` in chunks of `options.chunk_size` bytes, `options.delay` apart.

    Chunk k is due at start + k * delay on the steady clock, so a long poem
    does not drift: a late chunk makes the next one wait less. The pause is
    `timer`, so every client of the server drips at the same time. Each
    chunk written touches `progress`.

    `socket`, `timer`, `progress` and the bytes of `poem` must outlive the
    operation. The operation completes when the whole poem is written
    (success), or when a write fails or the timer is cancelled (the
    caller's way to stop it). Its handler, never invoked from inside this
    call, has the signature
    @code
    void handler(error_code ec, std::size_t bytes_sent);
    @endcode
*/
template <asio::completion_token_for<drip_signature> CompletionToken>
auto
async_drip_poem(tcp::socket& socket, asio::steady_timer& timer, idle_timer& progress, std::string_view poem,
                drip_options options, CompletionToken&& token)
{
    // Pointers, not references, so that the initiation does not decay-copy them.
    return asio::async_initiate<CompletionToken, drip_signature>(
        [](auto handler, tcp::socket* s, asio::steady_timer* t, idle_timer* p, std::string_view text,
           drip_options o) { async_drip_poem_impl(std::move(handler), *s, *t, *p, text, o); },
        token, &socket, &timer, &progress, poem, options);
}

} // namespace poetry
