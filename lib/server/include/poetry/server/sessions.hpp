// What each server does with one connection.
#pragma once

#include "poetry/io/asio.hpp"
#include "poetry/protocol/byte_budget.hpp"
#include "poetry/protocol/netstring.hpp"
#include "poetry/server/drip.hpp"
#include "poetry/server/listener.hpp"
#include "poetry/server/memory_file.hpp"

#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <memory>
#include <random>
#include <string>

namespace poetry {

/// A poem read once at start-up and shared, never copied, by every connection.
using shared_poem = std::shared_ptr<const std::string>;

struct fast_server_config
{
    shared_poem poem;
    /// Drop a client whose socket accepts no bytes for this long; zero: never.
    clock::duration write_timeout = std::chrono::seconds(60);
    /// The poem as a memory file: when present it is sent with sendfile, without copies, and
    /// `poem` may be null (one copy of a large poem, not two). sendfile has no
    /// MSG_NOSIGNAL: the process must ignore SIGPIPE (cli::prepare_server does).
    std::shared_ptr<const memory_file> poem_file;
};

struct slow_server_config
{
    shared_poem poem;
    drip_options drip;
    /// Drop a client whose socket accepts no bytes for this long; zero: never.
    clock::duration write_timeout = std::chrono::seconds(60);
};

/// The transform server's default budget for requests and replies held in memory.
inline constexpr std::size_t default_max_buffered = 256 * 1024 * 1024;

/// A transform server's budget of `limit` bytes: an eighth of it kept for small requests
/// (up to byte_budget::small_holding each), so that large requests that stall cannot hold
/// every byte; and an overdraft of a quarter (at most 32 MiB: the reply to the longest
/// request, 16 MiB of Greek, needs 24 MiB), so that one reply at a time can always be made.
inline std::shared_ptr<byte_budget>
make_request_budget(std::size_t limit)
{
    constexpr std::size_t largest_overdraft = 32 * 1024 * 1024;
    return std::make_shared<byte_budget>(limit, limit / 8, std::min(limit / 4, largest_overdraft));
}

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
    /// Where long transforms run, off the event loop; null: on the event loop. Must be
    /// stopped and joined after the event loops stop and before they are destroyed.
    asio::thread_pool* workers = nullptr;
    /// Share of requests that fail on purpose, as a failing transform does.
    double fail_rate = 0.0;
    std::shared_ptr<std::mt19937_64> random = std::make_shared<std::mt19937_64>(std::random_device{}());
};

/// Write the whole poem, then close. A poem that fits the socket's buffer is sent
/// and closed without registering the connection with the event loop.
void start_fast_session(accepted_socket socket, connection_slot slot, const fast_server_config& config);

/// Drip the poem, chunk by chunk, then close; stop at once if the client goes away.
void start_slow_session(tcp::socket socket, connection_slot slot, const slow_server_config& config);

/// Read one transform request, answer it (or refuse by closing), then close. A request
/// already waiting is answered at once, without registering the connection with the event loop.
void start_transform_session(accepted_socket socket, connection_slot slot, const transform_server_config& config);

} // namespace poetry
