// slowpoetry --blocking: the tutorial's first server, which serves one client at a time.
#pragma once

#include "poetry/io/asio.hpp"

#include <chrono>
#include <cstddef>
#include <string_view>

namespace poetry {

struct blocking_options
{
    std::size_t chunk = 10;
    clock::duration delay = std::chrono::milliseconds(700);
    /// Cut off a client that reads nothing for this long; zero: never.
    clock::duration write_timeout = std::chrono::seconds(60);
};

/** Serve `poem` as the tutorial's blocking server does: accept one client,
    send it `options.chunk` bytes, sleep `options.delay`, and so on to the end
    of the poem, close; only then accept the next, which waits in the listen
    queue meanwhile. A client that reads nothing for `options.write_timeout`
    is cut off, so that it cannot hold the next one for ever; a client that
    got its whole poem gets a lingering close, as the event-loop servers do.

    The contrast to run beside the real slowpoetry, which serves every client at
    once. Prints "Serving WHAT on HOST:PORT." once listening, and returns when
    SIGINT or SIGTERM arrives; a client cut off then gets a reset, never a short
    poem that reads as whole. Throws std::system_error when it cannot listen.
*/
void serve_blocking(const tcp::endpoint& endpoint, std::string_view what, std::string_view poem,
                    const blocking_options& options);

} // namespace poetry
