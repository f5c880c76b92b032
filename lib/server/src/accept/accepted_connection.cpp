#include "accept/accepted_connection.hpp"

#include "socket/graceful_close.hpp"

#include <utility>

#include <unistd.h>

namespace poetry::detail {

accepted_connection::accepted_connection(asio::io_context::executor_type executor, tcp protocol, int fd,
                                         connection_slot slot)
    : executor_(executor)
    , protocol_(protocol)
    , fd_(fd)
    , slot_(std::move(slot))
    , log_(fd)
{
}

accepted_connection::accepted_connection(accepted_connection&& other) noexcept = default;
accepted_connection::~accepted_connection() = default;

void
accepted_connection::descriptor::close() noexcept
{
    if (fd >= 0)
        ::close(std::exchange(fd, -1));
}

bool
accepted_connection::finished(const reply_bytes& reply, const io_result& first, bool input_left)
{
    if (!first.ec && first.bytes < reply.size())
        return false;
    log_.report(first.bytes, first.ec);
    // A failed send, or a short reply already on its way: a plain close. Otherwise a byte
    // from the client could reset the connection and destroy the reply: a lingering one.
    if (first.ec || (!input_left && end_short_reply(fd_.fd, reply.size())))
        fd_.close();
    else
        std::move(*this).linger();
    return true;
}

void
accepted_connection::refuse(std::string_view outcome) &&
{
    log_.report(0, outcome);
    std::move(*this).linger();
}

void
accepted_connection::linger() &&
{
    auto parts = std::move(*this).into_session();
    close_gracefully(std::move(parts.socket), std::move(parts.slot));
}

void
accepted_connection::drop(std::string_view outcome) &&
{
    log_.report(0, outcome);
    fd_.close();
}

session_parts
accepted_connection::into_session() &&
{
    tcp::socket socket(executor_);
    error_code ec;
    socket.assign(protocol_, fd_.fd, ec);
    if (!ec)
        fd_.fd = -1;
    return {std::move(socket), std::move(slot_), std::move(log_)};
}

} // namespace poetry::detail
