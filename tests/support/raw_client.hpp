// A plain blocking TCP client for tests: sends exactly the bytes it is told,
// and every wait it makes has a bound.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace poetry::test {

class raw_client
{
public:
    /// Connect to 127.0.0.1:port (or `host`); throws std::runtime_error on failure. A
    /// `receive_buffer` (bytes) other than 0 is set before connecting: a small one makes
    /// a client that does not read hold up the server's sends sooner.
    explicit raw_client(std::uint16_t port, const std::string& host = "127.0.0.1", int receive_buffer = 0);
    ~raw_client();
    raw_client(const raw_client&) = delete;
    raw_client& operator=(const raw_client&) = delete;

    void send(std::string_view bytes);
    void shutdown_send();
    /// Close with a reset instead of a normal close.
    void reset();

    struct result
    {
        std::string data;
        bool eof = false;       // the server closed normally
        bool timed_out = false; // nothing more arrived within the limit
        int error = 0;          // errno of a failed read (ECONNRESET, ...)
    };

    /// Read until end-of-file, an error, or `limit` has passed.
    result read_to_eof(std::chrono::milliseconds limit);

    /// Read at least `count` bytes (or until EOF/error/limit).
    result read_at_least(std::size_t count, std::chrono::milliseconds limit);

    /// Read as fast as it can until end-of-file, an error or `limit`, keeping no byte:
    /// `counted` says how many have arrived so far, for another thread to watch.
    /// True at end-of-file.
    bool count_to_eof(std::atomic<std::size_t>& counted, std::chrono::milliseconds limit);

    /// The bytes that have arrived and wait to be read.
    std::size_t bytes_waiting() const;

    /// Wait (at most `limit`) until bytes (or end-of-file) wait to be read, reading none.
    bool wait_readable(std::chrono::milliseconds limit);

private:
    int fd_ = -1;
};

} // namespace poetry::test
