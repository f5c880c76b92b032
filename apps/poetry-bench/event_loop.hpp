// The smallest event loop a load generator needs: epoll, edge-triggered, one thread.
//
// poetry-bench measures servers, so it must cost less than they do. Asio's
// sockets spend system calls a load generator can do without (a non-blocking
// ioctl, a poll and a getsockopt per connect, an epoll change per wait), which
// made the first poetry-bench slower than a plain C client; this loop spends none.
#pragma once

#include "poetry/io/asio.hpp"

#include <cstdint>

namespace poetry::load {

/// Told what happened to a descriptor it watches.
class event_handler
{
public:
    virtual void on_events(std::uint32_t events) = 0;

protected:
    ~event_handler() = default;
};

class event_loop
{
public:
    event_loop();
    ~event_loop();
    event_loop(const event_loop&) = delete;
    event_loop& operator=(const event_loop&) = delete;

    /// Watch `fd` for `events` (EPOLLIN, ...; always edge-triggered) until it is closed.
    error_code watch(int fd, std::uint32_t events, event_handler& handler);

    /// Watch `fd` for other `events` from now on.
    error_code modify(int fd, std::uint32_t events, event_handler& handler);

    /// Wait up to `timeout` and dispatch what happened; returns the number of events.
    int run_once(clock::duration timeout);

private:
    int epoll_fd_;
};

} // namespace poetry::load
