// Single non-blocking system calls on a connection's descriptor: how a session
// finishes its work at once, before (or without) registering with the event loop.
#pragma once

#include "poetry/io/asio.hpp"

#include <cstddef>
#include <span>
#include <string_view>

namespace poetry::detail {

/// One send of `data` from `offset`: the bytes the socket took, zero when its buffer is full.
/// Never raises SIGPIPE: a closed peer is an error.
std::size_t send_now(int fd, std::string_view data, std::size_t offset, error_code& ec);

/// One sendfile of `size` bytes of the file `file_fd` from `offset`, the same way,
/// except that the process must ignore SIGPIPE: sendfile cannot be told not to raise it.
std::size_t send_file_now(int fd, int file_fd, std::size_t size, std::size_t offset, error_code& ec);

/// One read of what is waiting: its size, zero when nothing is; `eof` once the peer has closed.
std::size_t receive_now(int fd, std::span<char> buffer, bool& eof, error_code& ec);

/// Whether the peer sent bytes nobody has read. Closing such a socket resets the
/// connection, which can destroy the reply on its way: it needs a lingering close.
bool has_unread_input(int fd) noexcept;

/// A reply this small leaves in the first flight of a new connection (ten segments of
/// 1,448 bytes: the initial congestion window). A larger one may still sit in the send
/// queue when the server closes, and a byte the client sends after that would reset
/// the connection and destroy it: larger replies always get a lingering close.
inline constexpr std::size_t first_flight_bytes = 10 * 1448;

/// Whether a reply of `size` bytes, all of it written, may end with a plain close:
/// it is small enough to be on its way already, and the client has sent nothing.
inline bool
may_close_at_once(int fd, std::size_t size) noexcept
{
    return size <= first_flight_bytes && !has_unread_input(fd);
}

} // namespace poetry::detail
