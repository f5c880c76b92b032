// Socket options Asio does not name, in the shape of its own (SettableSocketOption).
#pragma once

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstddef>

namespace poetry::detail {

/// An on/off option at `Level`, set with `socket.set_option(option(true))`.
template <int Level, int Name>
class boolean_option
{
public:
    explicit boolean_option(bool on) noexcept
        : value_(on ? 1 : 0)
    {
    }
    template <typename Protocol>
    int level(const Protocol&) const noexcept
    {
        return Level;
    }
    template <typename Protocol>
    int name(const Protocol&) const noexcept
    {
        return Name;
    }
    template <typename Protocol>
    const int* data(const Protocol&) const noexcept
    {
        return &value_;
    }
    template <typename Protocol>
    std::size_t size(const Protocol&) const noexcept
    {
        return sizeof value_;
    }

private:
    int value_;
};

/// Several sockets may listen on one port; the kernel spreads connections among them.
using reuse_port = boolean_option<SOL_SOCKET, SO_REUSEPORT>;

/// Hold back partial segments until the socket is shut down or the option is cleared.
using tcp_cork = boolean_option<IPPROTO_TCP, TCP_CORK>;

/// Make closing `fd` send a reset (SO_LINGER 0), so that the peer sees a failure, not an
/// end-of-file that would read as the whole poem. On the descriptor itself: it also runs
/// while an event loop is being destroyed.
inline void
abort_on_close(int fd) noexcept
{
    const ::linger abort{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
}

} // namespace poetry::detail
