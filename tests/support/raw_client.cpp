#include "raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace poetry::test {

raw_client::raw_client(std::uint16_t port, const std::string& host, int receive_buffer)
{
    sockaddr_storage storage{};
    socklen_t length = 0;
    int family = AF_INET;
    if (host.find(':') != std::string::npos)
    {
        auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
        v6->sin6_family = family = AF_INET6;
        v6->sin6_port = htons(port);
        ::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr);
        length = sizeof *v6;
    }
    else
    {
        auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        ::inet_pton(AF_INET, host.c_str(), &v4->sin_addr);
        length = sizeof *v4;
    }
    fd_ = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    // Past net.core.rmem_max where the test may (as root), within it otherwise.
    if (fd_ >= 0 && receive_buffer > 0 &&
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &receive_buffer, sizeof receive_buffer) != 0)
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&storage), length) != 0)
    {
        const int error = errno;
        if (fd_ >= 0)
            ::close(fd_);
        throw std::runtime_error("connect to port " + std::to_string(port) + ": " + std::strerror(error));
    }
}

raw_client::~raw_client()
{
    if (fd_ >= 0)
        ::close(fd_);
}

void
raw_client::send(std::string_view bytes)
{
    while (!bytes.empty())
    {
        const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw std::runtime_error(std::string("send: ") + std::strerror(errno));
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

void
raw_client::shutdown_send()
{
    ::shutdown(fd_, SHUT_WR);
}

void
raw_client::reset()
{
    const linger hard{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    ::close(fd_);
    fd_ = -1;
}

raw_client::result
raw_client::read_at_least(std::size_t count, std::chrono::milliseconds limit)
{
    result out;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    char buffer[65536];
    while (out.data.size() < count)
    {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return out.timed_out = true, out;
        pollfd p{fd_, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready == 0)
            return out.timed_out = true, out;
        const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return out.error = errno, out;
        if (n == 0)
            return out.eof = true, out;
        out.data.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
}

raw_client::result
raw_client::read_to_eof(std::chrono::milliseconds limit)
{
    return read_at_least(static_cast<std::size_t>(-1), limit);
}

bool
raw_client::count_to_eof(std::atomic<std::size_t>& counted, std::chrono::milliseconds limit)
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    static thread_local char buffer[1 << 20];
    while (std::chrono::steady_clock::now() < deadline)
    {
        const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n == 0)
            return true;
        if (n < 0 && errno != EINTR)
            return false;
        if (n > 0)
            counted += static_cast<std::size_t>(n);
    }
    return false;
}

std::size_t
raw_client::bytes_waiting() const
{
    int waiting = 0;
    ::ioctl(fd_, FIONREAD, &waiting);
    return static_cast<std::size_t>(waiting);
}

bool
raw_client::wait_readable(std::chrono::milliseconds limit)
{
    pollfd state{fd_, POLLIN, 0};
    return ::poll(&state, 1, static_cast<int>(limit.count())) == 1;
}

} // namespace poetry::test
