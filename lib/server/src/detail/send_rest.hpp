// Sending the rest of a reply that did not fit a socket's buffer at once.
#pragma once

#include "poetry/io/asio.hpp"
#include "poetry/io/idle_timer.hpp"

#include <boost/asio/compose.hpp>

#include <cstddef>

namespace poetry::detail {

/// What one non-blocking send did: the bytes the socket took (zero when its buffer
/// is full), and whether the reply is now sent whole.
struct send_progress
{
    std::size_t bytes = 0;
    bool done = false;
};

template <typename SendSome>
class send_rest_op
{
public:
    send_rest_op(tcp::socket& socket, idle_timer& progress, SendSome send_some)
        : socket_(socket)
        , progress_(progress)
        , send_some_(std::move(send_some))
    {
    }

    // Send until the buffer is full, then wait for room. Writability is signalled
    // on a change: waiting while there is still room could wait forever.
    template <typename Self>
    void operator()(Self& self, error_code ec = {})
    {
        if (ec)
            return self.complete(ec);
        for (;;)
        {
            const send_progress step = send_some_(ec);
            if (ec || step.done)
                return self.complete(ec);
            if (step.bytes == 0)
                break;
            progress_.touch();
        }
        socket_.async_wait(tcp::socket::wait_write, std::move(self));
    }

private:
    tcp::socket& socket_;
    idle_timer& progress_;
    SendSome send_some_;
};

/** Call `send_some` until it reports the reply sent, waiting for room in the socket's
    buffer in between: `send_progress send_some(error_code&)` makes one non-blocking
    send. Each send that moves bytes touches `progress`. Completes with
    `void(error_code)`; the socket and timer must outlive the operation.
*/
template <typename SendSome, typename CompletionToken>
auto
async_send_rest(tcp::socket& socket, idle_timer& progress, SendSome send_some, CompletionToken&& token)
{
    return asio::async_compose<CompletionToken, void(error_code)>(
        send_rest_op<SendSome>(socket, progress, std::move(send_some)), token, socket);
}

} // namespace poetry::detail
