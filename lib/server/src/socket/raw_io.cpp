#include "socket/raw_io.hpp"

#include <algorithm>
#include <cerrno>

#include <poll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>

namespace poetry::detail {
namespace {

// A count of bytes, or the error behind a negative result (a full buffer is no error).
io_result
outcome(ssize_t n)
{
    if (n >= 0)
        return {static_cast<std::size_t>(n), {}, false};
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        return {0, {}, false};
    return {0, error_code(errno, boost::system::system_category()), false};
}

} // namespace

io_result
send_now(int fd, const reply_bytes& reply, std::size_t offset, std::size_t most)
{
    const std::size_t count = std::min(reply.size() - offset, most);
    if (reply.file)
    {
        // The socket is non-blocking. sendfile to a closed peer raises SIGPIPE, which
        // every server ignores, and then fails with EPIPE.
        auto file_offset = static_cast<off_t>(offset);
        return outcome(::sendfile(fd, reply.file->native_handle(), &file_offset, count));
    }
    return outcome(::send(fd, reply.text.data() + offset, count, MSG_DONTWAIT | MSG_NOSIGNAL));
}

io_result
receive_now(int fd, std::span<char> buffer)
{
    const auto n = ::recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
    io_result result = outcome(n);
    result.eof = n == 0;
    return result;
}

bool
has_unread_input(int fd) noexcept
{
    char byte;
    return ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

bool
connection_dropped(int fd) noexcept
{
    pollfd state{fd, 0, 0}; // POLLERR and POLLHUP are reported whatever is asked for
    return ::poll(&state, 1, 0) == 1 && (state.revents & (POLLERR | POLLHUP)) != 0;
}

} // namespace poetry::detail
