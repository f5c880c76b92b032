// What each server is configured with: the typed configs `server` starts from.
#pragma once

#include "poetry/client/get_poem.hpp"
#include "poetry/io/asio.hpp"
#include "poetry/memory/byte_budget.hpp"
#include "poetry/memory/memory_policy.hpp"
#include "poetry/protocol/address.hpp"
#include "poetry/protocol/netstring.hpp"
#include "poetry/server/drip.hpp"

#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace poetry {

/// A poem read once at start-up and shared, never copied, by every connection.
using shared_poem = std::shared_ptr<const std::string>;

/// fastpoetry: the whole poem at once, then close.
struct fast_server_config
{
    shared_poem poem;
    /// Drop a client whose socket accepts no bytes for this long; zero: never.
    clock::duration write_timeout = std::chrono::seconds(60);
    /// Send from a sealed memory file with sendfile(2), so that the kernel references the
    /// poem's pages instead of copying them, and hold no other copy. False: send copies.
    bool sendfile = true;
};

/// slowpoetry: the poem a chunk at a time, to every client at once.
struct slow_server_config
{
    shared_poem poem;
    drip_options drip;
    /// Drop a client whose socket accepts no bytes for this long; zero: never.
    clock::duration write_timeout = std::chrono::seconds(60);
};

/// The transform server's default budget for requests and replies held in memory.
inline constexpr std::size_t default_max_buffered = memory_policy{}.limit;

/// A transform server's budget of `limit` bytes, as memory_policy says.
inline std::shared_ptr<byte_budget>
make_request_budget(std::size_t limit)
{
    return std::make_shared<byte_budget>(memory_policy{.limit = limit});
}

/// transformedpoetry: one netstring request, one netstring reply.
struct transform_server_config
{
    std::size_t max_length = default_max_netstring_length;
    /// Close a connection that makes no progress for this long; zero: never.
    clock::duration idle_timeout = std::chrono::seconds(30);
    /// Close a connection whose request is not complete this long after it connected,
    /// however steadily its bytes trickle in; zero: never.
    clock::duration request_timeout = std::chrono::seconds(60);
    /// Pays for the requests and replies held in memory, shared by every connection
    /// (and thread); a request that would pass it is refused. Null: no limit.
    std::shared_ptr<byte_budget> buffers = make_request_budget(default_max_buffered);
    /// Where long transforms run, off the event loops; null: on the event loops. The
    /// server joins it once its loops have stopped: its work hands results back to them.
    std::shared_ptr<asio::thread_pool> workers;
    /// Share of requests that fail on purpose, as a failing transform does.
    double fail_rate = 0.0;
    /// Seed of thread N's failures is `seed + N`, to repeat a run; none: a random seed.
    std::optional<std::uint64_t> seed;
};

/// poetry-proxy: another server's poem, downloaded when first asked for, then cached.
struct proxy_server_config
{
    address upstream;
    fetch_options fetch;
    /// Fail a download not complete this long after it started, however steadily its
    /// bytes trickle in (its clients wait meanwhile); zero: never.
    clock::duration download_timeout = std::chrono::minutes(5);
};

} // namespace poetry
