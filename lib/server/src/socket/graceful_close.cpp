#include "socket/graceful_close.hpp"

#include "socket/socket_options.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <memory>

namespace poetry::detail {
namespace {

class lingering_close : public std::enable_shared_from_this<lingering_close>
{
public:
    lingering_close(tcp::socket socket, connection_slot slot)
        : socket_(std::move(socket))
        , slot_(std::move(slot))
        , timer_(socket_.get_executor())
    {
    }

    void start(clock::duration limit)
    {
        timer_.expires_after(limit);
        timer_.async_wait([self = shared_from_this()](error_code ec) {
            if (!ec)
                self->close();
        });
        read_some();
    }

private:
    void read_some()
    {
        socket_.async_read_some(asio::buffer(sink_), [self = shared_from_this()](error_code ec, std::size_t n) {
            self->dropped_ += n;
            // A client that keeps sending gets a reset rather than our attention.
            if (ec || self->dropped_ > max_dropped)
                return self->close();
            self->read_some();
        });
    }

    void close()
    {
        timer_.cancel();
        error_code ignored;
        socket_.close(ignored);
    }

    static constexpr std::size_t max_dropped = 1024 * 1024;

    tcp::socket socket_;
    connection_slot slot_;
    asio::steady_timer timer_;
    std::array<char, 512> sink_;
    std::size_t dropped_ = 0;
};

} // namespace

void
close_with_reset(tcp::socket& socket) noexcept
{
    if (!socket.is_open())
        return;
    abort_on_close(socket.native_handle());
    error_code ignored;
    socket.close(ignored);
}

void
close_gracefully(tcp::socket socket, connection_slot slot, clock::duration limit)
{
    error_code ec;
    socket.shutdown(tcp::socket::shutdown_send, ec);
    if (ec)
    {
        // Not connected any more: nothing can be lost.
        socket.close(ec);
        return;
    }
    std::make_shared<lingering_close>(std::move(socket), std::move(slot))->start(limit);
}

} // namespace poetry::detail
