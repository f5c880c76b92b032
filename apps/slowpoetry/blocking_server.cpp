#include "slowpoetry/blocking_server.hpp"

#include "poetry/io/endpoint.hpp"
#include "poetry/server/log.hpp"
#include "poetry/server/server.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace poetry {
namespace {

volatile std::sig_atomic_t stop_requested = 0;

extern "C" void
request_stop(int)
{
    stop_requested = 1;
}

std::system_error
failure(const std::string& what)
{
    return {errno, std::generic_category(), what};
}

// The signals stay blocked except while waiting in ppoll, which they interrupt: a
// signal can never slip in between a check of the flag and a wait.
class stop_signals
{
public:
    stop_signals()
    {
        struct sigaction action
        {};
        action.sa_handler = request_stop;
        sigemptyset(&action.sa_mask);
        ::sigaction(SIGINT, &action, nullptr);
        ::sigaction(SIGTERM, &action, nullptr);
        sigset_t blocked;
        sigemptyset(&blocked);
        sigaddset(&blocked, SIGINT);
        sigaddset(&blocked, SIGTERM);
        ::sigprocmask(SIG_BLOCK, &blocked, &waiting_);
        sigdelset(&waiting_, SIGINT);
        sigdelset(&waiting_, SIGTERM);
    }

    /// Wait for `events` on `fd` (none: just the time), at most `limit` (negative:
    /// forever). False when a stop was requested.
    bool wait(int fd, short events, clock::duration limit) const
    {
        pollfd p{fd, events, 0};
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(limit).count();
        const timespec timeout{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
        while (!stop_requested)
        {
            const int ready =
                ::ppoll(fd >= 0 ? &p : nullptr, fd >= 0 ? 1 : 0, limit.count() < 0 ? nullptr : &timeout, &waiting_);
            if (ready >= 0)
                return !stop_requested;
            if (errno != EINTR)
                throw failure("cannot wait");
        }
        return false;
    }

private:
    sigset_t waiting_;
};

// A wait with no end (a negative limit) when `timeout` is zero.
clock::duration
or_forever(clock::duration timeout)
{
    return timeout > clock::duration::zero() ? timeout : clock::duration(-1);
}

// Send `bytes` whole, waiting for room as a blocking send does, but no longer than
// `write_timeout` (zero: for ever) for a client that reads nothing; false when stopped,
// when the client went away or when it stopped reading.
bool
send_all(int fd, std::string_view bytes, clock::duration write_timeout, const stop_signals& signals)
{
    while (!bytes.empty())
    {
        const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0)
        {
            bytes.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            return false;
        pollfd room{fd, POLLOUT, 0};
        if (!signals.wait(fd, POLLOUT, or_forever(write_timeout)) || ::poll(&room, 1, 0) != 1)
            return false; // stopped, or no room for a whole write timeout
    }
    return true;
}

// The whole poem went out. A short poem to a client that sent nothing is on its way
// already: close. Otherwise shut down our side and drop what the client sends until it
// closes too (at most 10 s and 1 MiB), as the event-loop servers do, so that bytes it
// sent cannot turn the close into a reset that destroys the end of the poem.
void
close_after_poem(int fd, std::size_t poem_size, const stop_signals& signals)
{
    constexpr std::size_t first_flight = 10 * 1448;
    char byte;
    if (poem_size <= first_flight && ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) <= 0)
        return void(::close(fd));
    ::shutdown(fd, SHUT_WR);
    const auto deadline = clock::now() + std::chrono::seconds(10);
    std::size_t dropped = 0;
    char sink[4096];
    while (dropped < 1024 * 1024 && clock::now() < deadline &&
           signals.wait(fd, POLLIN, std::chrono::duration_cast<clock::duration>(deadline - clock::now())))
    {
        const auto n = ::recv(fd, sink, sizeof sink, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
            break;
        dropped += n > 0 ? static_cast<std::size_t>(n) : 0;
    }
    ::close(fd);
}

std::string
peer_of(int fd)
{
    tcp::endpoint peer;
    auto size = static_cast<socklen_t>(peer.capacity());
    if (::getpeername(fd, peer.data(), &size) != 0)
        return "unknown peer";
    peer.resize(size);
    return to_string(peer);
}

// One client, start to end: the poem in chunks with a sleep between them.
void
serve_one(int fd, std::string_view poem, const blocking_options& options, const stop_signals& signals)
{
    const std::size_t chunk = options.chunk;
    const clock::duration delay = options.delay;
    const std::string peer = peer_of(fd);
    if (!log_quiet())
        log_line("Somebody at " + peer + " wants poetry!");
    const auto start = clock::now();
    std::size_t sent = 0;
    bool whole = true;
    while (sent < poem.size())
    {
        const std::string_view piece = poem.substr(sent, chunk);
        if (log_verbose())
            log_line(peer + ": Sending " + std::to_string(piece.size()) + " bytes");
        if (!send_all(fd, piece, options.write_timeout, signals))
        {
            whole = false;
            break;
        }
        sent += piece.size();
        if (sent < poem.size() && !signals.wait(-1, 0, delay)) // time.sleep(delay)
        {
            whole = false;
            break;
        }
    }
    if (!log_quiet())
    {
        // "sent 653 bytes in 6.512 s: done", as the event-loop servers say it.
        char took[32];
        std::snprintf(took, sizeof took, "%.3f", std::chrono::duration<double>(clock::now() - start).count());
        log_line(peer + ": sent " + std::to_string(sent) + " bytes in " + took + " s: " + (whole ? "done" : "cut off"));
    }
    if (whole)
        return close_after_poem(fd, poem.size(), signals);
    // A reset: the part sent must not read as the whole poem.
    const ::linger abort_on_close{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    ::close(fd);
}

} // namespace

void
serve_blocking(const tcp::endpoint& endpoint, std::string_view what, std::string_view poem,
               const blocking_options& options)
{
    const stop_signals signals;
    const int listener = ::socket(endpoint.protocol().family(), SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    const int on = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (listener < 0 || ::bind(listener, endpoint.data(), static_cast<socklen_t>(endpoint.size())) != 0 ||
        ::listen(listener, SOMAXCONN) != 0)
        throw failure("cannot bind " + to_string(endpoint));
    tcp::endpoint bound = endpoint;
    auto size = static_cast<socklen_t>(bound.capacity());
    ::getsockname(listener, bound.data(), &size);
    bound.resize(size);

    warn_if_listening_everywhere(bound);
    std::printf("Serving %.*s on %s.\n", static_cast<int>(what.size()), what.data(), to_string(bound).c_str());
    std::fflush(stdout);
    while (signals.wait(listener, POLLIN, clock::duration(-1)))
    {
        const int client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (client >= 0)
            serve_one(client, poem, options, signals);
    }
    ::close(listener);
}

} // namespace poetry
