#include "detail/raw_io.hpp"

#include <cerrno>

#include <sys/sendfile.h>
#include <sys/socket.h>

namespace poetry::detail {
namespace {

// A count of bytes, or the error behind a negative result (a full buffer is no error).
std::size_t
outcome(ssize_t n, error_code& ec)
{
    if (n >= 0)
        return static_cast<std::size_t>(n);
    if (errno != EAGAIN && errno != EWOULDBLOCK)
        ec.assign(errno, boost::system::system_category());
    return 0;
}

} // namespace

std::size_t
send_now(int fd, std::string_view data, std::size_t offset, error_code& ec)
{
    return outcome(::send(fd, data.data() + offset, data.size() - offset, MSG_DONTWAIT | MSG_NOSIGNAL), ec);
}

std::size_t
send_file_now(int fd, int file_fd, std::size_t size, std::size_t offset, error_code& ec)
{
    // The socket is non-blocking. sendfile to a closed peer raises SIGPIPE, which
    // every server ignores, and then fails with EPIPE.
    auto file_offset = static_cast<off_t>(offset);
    return outcome(::sendfile(fd, file_fd, &file_offset, size - offset), ec);
}

std::size_t
receive_now(int fd, std::span<char> buffer, bool& eof, error_code& ec)
{
    const auto n = ::recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
    eof = n == 0;
    return outcome(n, ec);
}

bool
has_unread_input(int fd) noexcept
{
    char byte;
    return ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

} // namespace poetry::detail
