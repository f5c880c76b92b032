// slowpoetry --blocking: the tutorial's first server, which serves one client at a time.
#pragma once

#include "poetry/io/asio.hpp"

#include <cstddef>
#include <string_view>

namespace poetry {

/** Serve `poem` as the tutorial's blocking server does: accept one client,
    send it `chunk` bytes, sleep `delay`, and so on to the end of the poem,
    close; only then accept the next, which waits in the listen queue meanwhile.

    The contrast to run beside the real slowpoetry, which serves every client at
    once. Prints "Serving WHAT on HOST:PORT." once listening, and returns when
    SIGINT or SIGTERM arrives; a client cut off then gets a reset, never a short
    poem that reads as whole. Throws std::system_error when it cannot listen.
*/
void serve_blocking(const tcp::endpoint& endpoint, std::string_view what, std::string_view poem, std::size_t chunk,
                    clock::duration delay);

} // namespace poetry
