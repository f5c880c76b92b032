// The fast path: a connection just accepted, finished with single system calls on its
// descriptor before the event loop knows it, or else handed over, as a socket, to a session.
#pragma once

#include "accept/connection_slot.hpp"
#include "poetry/io/asio.hpp"
#include "session/session_log.hpp"
#include "socket/raw_io.hpp"

#include <boost/asio/io_context.hpp>

#include <span>
#include <string_view>
#include <utility>

namespace poetry::detail {

/// What a session starts from: the connection as a socket, its slot, its log.
struct session_parts
{
    tcp::socket socket;
    connection_slot slot;
    session_log log;
};

/** A connection just accepted, not yet known to the event loop.

    Registering a descriptor with the event loop costs system calls. A
    connection answered at once (a short poem, sent and closed) never pays
    for them: it is served here, on its descriptor. Any other becomes a
    session with `into_session`. Closes the descriptor if nobody took it.
*/
class accepted_connection
{
public:
    accepted_connection(asio::io_context::executor_type executor, tcp protocol, int fd, connection_slot slot);
    accepted_connection(accepted_connection&& other) noexcept;
    accepted_connection& operator=(accepted_connection&&) = delete;
    ~accepted_connection();

    /// One send of `reply` from `offset`, without waiting.
    io_result send(const reply_bytes& reply, std::size_t offset) const { return send_now(fd_.fd, reply, offset); }

    /// Logs who connected and what for: "Somebody at HOST:PORT wants WANTS" (each protocol's
    /// first line, before any other).
    void arrived(std::string_view wants) const { log_.arrived(wants); }

    /// A step of the connection's work, logged with --verbose.
    void step(std::string_view what) const { log_.step(what); }

    /// One read of what the client has sent already, without waiting.
    io_result receive(std::span<char> buffer) const { return receive_now(fd_.fd, buffer); }

    /** After the first send of `reply`: when that sent all of it, or failed, end the
        connection here and return true. It is logged, then closed: plainly when nothing
        can reset it (a reply within the first flight and no unread input), gracefully
        otherwise. `input_left` says the request may not have been read to its end.
        False: the rest needs a session; nothing was touched.
    */
    bool finished(const reply_bytes& reply, const io_result& first, bool input_left = false);

    /// End without an answer: log `outcome`, then close gracefully (a transform refused).
    void refuse(std::string_view outcome) &&;

    /// The connection failed before anything was sent: log `outcome` and close.
    void drop(std::string_view outcome) &&;

    /// Hand the connection to the event loop, for a session. A descriptor that cannot be
    /// registered comes back as a closed socket: the session's first step fails.
    session_parts into_session() &&;

private:
    // Owns the descriptor from the first moment: closed even if the rest cannot be built.
    struct descriptor
    {
        int fd;
        explicit descriptor(int owned) noexcept
            : fd(owned)
        {
        }
        descriptor(descriptor&& other) noexcept
            : fd(std::exchange(other.fd, -1))
        {
        }
        descriptor& operator=(descriptor&&) = delete;
        ~descriptor() { close(); }
        void close() noexcept;
    };

    // A lingering close on the event loop: the client keeps every byte it was sent.
    void linger() &&;

    asio::io_context::executor_type executor_;
    tcp protocol_;
    descriptor fd_;
    connection_slot slot_;
    session_log log_;
};

} // namespace poetry::detail
