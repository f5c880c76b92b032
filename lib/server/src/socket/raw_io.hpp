// Single non-blocking system calls on a connection's descriptor: how a session
// finishes its work at once, before (or without) registering with the event loop.
#pragma once

#include "poetry/io/asio.hpp"
#include "socket/memory_file.hpp"

#include <cstddef>
#include <span>
#include <string_view>

#include <sys/socket.h>

namespace poetry::detail {

/// The bytes of a reply: a string's, sent with send(2); or, when `file` holds the same
/// bytes, the memory file's, sent with sendfile(2) so that the kernel copies nothing.
struct reply_bytes
{
    std::string_view text;
    const memory_file* file = nullptr;

    std::size_t size() const noexcept { return text.size(); }
};

/// What one call did: the bytes it moved (zero when the socket's buffer was full, or
/// when nothing was waiting), or the error that ended the connection.
struct io_result
{
    std::size_t bytes = 0;
    error_code ec;
    bool eof = false; // a read only: the peer has closed
};

/// The most one connection sends in one turn of its event loop (as nginx's
/// sendfile_max_chunk): a client that reads a long reply as fast as it comes must not
/// keep the loop from every other connection until the last byte.
inline constexpr std::size_t largest_turn = 2 * 1024 * 1024;

/// One send of `reply` from `offset`, of at most `most` bytes. Never raises SIGPIPE
/// for send(2); for sendfile(2) the process must ignore SIGPIPE, which sendfile cannot be
/// told not to raise.
io_result send_now(int fd, const reply_bytes& reply, std::size_t offset, std::size_t most = largest_turn);

/// One read of what is waiting.
io_result receive_now(int fd, std::span<char> buffer);

/// Whether the peer sent bytes nobody has read. Closing such a socket resets the
/// connection, which can destroy the reply on its way: it needs a lingering close.
bool has_unread_input(int fd) noexcept;

/// Whether the connection is gone: reset by the peer, or failed. A client that closed
/// after its end-of-file answers the next bytes sent with a reset; this tells at once.
bool connection_dropped(int fd) noexcept;

/// A reply this small leaves in the first flight of a new connection (ten segments of
/// 1,448 bytes: the initial congestion window). A larger one may still sit in the send
/// queue when the server closes, and a byte the client sends after that would reset
/// the connection and destroy it: larger replies always get a lingering close.
inline constexpr std::size_t first_flight_bytes = 10 * 1448;

/** For a reply of `size` bytes, all of it written: when it is small enough to be on its
    way, send its end-of-file (shutdown also sends what TCP_CORK holds back), and say
    whether a plain close may follow: the client has sent nothing. A byte the client
    sends after this check then meets a reply already sent whole; checked before the
    end-of-file, it could reset a connection whose corked reply had not left.
*/
inline bool
end_short_reply(int fd, std::size_t size) noexcept
{
    return size <= first_flight_bytes && ::shutdown(fd, SHUT_WR) == 0 && !has_unread_input(fd);
}

} // namespace poetry::detail
