#include "event_loop.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <system_error>

#include <sys/epoll.h>
#include <unistd.h>

namespace poetry::load {

event_loop::event_loop()
    : epoll_fd_(::epoll_create1(EPOLL_CLOEXEC))
{
    if (epoll_fd_ < 0)
        throw std::system_error(errno, std::generic_category(), "epoll_create1");
}

event_loop::~event_loop()
{
    ::close(epoll_fd_);
}

namespace {

error_code
control(int epoll_fd, int operation, int fd, std::uint32_t events, event_handler& handler)
{
    epoll_event event{};
    event.events = events | EPOLLET;
    event.data.ptr = &handler;
    if (::epoll_ctl(epoll_fd, operation, fd, &event) != 0)
        return {errno, boost::system::system_category()};
    return {};
}

} // namespace

error_code
event_loop::watch(int fd, std::uint32_t events, event_handler& handler)
{
    return control(epoll_fd_, EPOLL_CTL_ADD, fd, events, handler);
}

error_code
event_loop::modify(int fd, std::uint32_t events, event_handler& handler)
{
    return control(epoll_fd_, EPOLL_CTL_MOD, fd, events, handler);
}

int
event_loop::run_once(clock::duration timeout)
{
    std::array<epoll_event, 256> events;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count();
    const int ready = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()),
                                   static_cast<int>(std::clamp<std::int64_t>(ms, 0, 1000)));
    for (int i = 0; i < ready; ++i)
        static_cast<event_handler*>(events[i].data.ptr)->on_events(events[i].events);
    return std::max(ready, 0);
}

} // namespace poetry::load
