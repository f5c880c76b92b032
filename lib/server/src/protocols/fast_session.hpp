// fastpoetry's one step, shared with the proxy once its poem is cached: send the whole
// poem, then close.
#pragma once

#include "accept/accepted_connection.hpp"
#include "poetry/server/configs.hpp"
#include "socket/memory_file.hpp"

#include <memory>

namespace poetry::detail {

/// A poem as the fast path sends it: from a memory file when there is one (sendfile, no
/// copies; `text` may then be null), from the string otherwise.
struct served_poem
{
    shared_poem text;
    std::shared_ptr<const memory_file> file;
    clock::duration write_timeout = std::chrono::seconds(60);

    reply_bytes bytes() const noexcept
    {
        if (file)
            return {file->text(), file.get()};
        return {*text, nullptr};
    }
};

/// Send the whole poem, then close: at once, never registering the connection with the
/// event loop, when it fits the socket's buffer; the rest in a session otherwise.
void serve_poem(accepted_connection connection, const served_poem& poem);

/// The same for a connection already on the event loop (a proxy client that waited).
void serve_poem(session_parts parts, const served_poem& poem);

} // namespace poetry::detail
