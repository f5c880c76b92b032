// Sending the rest of a reply that did not fit a socket's buffer at once.
#pragma once

#include "poetry/io/asio.hpp"
#include "poetry/io/idle_timer.hpp"
#include "socket/raw_io.hpp"

#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>

#include <cstddef>

namespace poetry::detail {

class send_rest_op
{
public:
    send_rest_op(tcp::socket& socket, idle_timer& progress, reply_bytes reply, std::size_t& sent, std::size_t turn)
        : socket_(socket)
        , progress_(progress)
        , reply_(reply)
        , sent_(sent)
        , turn_(turn)
    {
    }

    // Send until the buffer is full, then wait for room. Writability is signalled
    // on a change: waiting while there is still room could wait forever. A reader as
    // fast as the server gets a turn's worth, then the loop's other work runs first.
    template <typename Self>
    void operator()(Self& self, error_code ec = {})
    {
        if (ec)
            return self.complete(ec);
        for (std::size_t turn = 0; turn < turn_;)
        {
            const io_result step = send_now(socket_.native_handle(), reply_, sent_, turn_ - turn);
            sent_ += step.bytes;
            turn += step.bytes;
            if (step.ec || sent_ == reply_.size())
                return self.complete(step.ec);
            if (step.bytes == 0)
                return socket_.async_wait(tcp::socket::wait_write, std::move(self));
            progress_.touch();
        }
        asio::post(socket_.get_executor(), std::move(self));
    }

private:
    tcp::socket& socket_;
    idle_timer& progress_;
    reply_bytes reply_;
    std::size_t& sent_;
    std::size_t turn_;
};

/** Send `reply` from `sent` to its end, waiting for room in the socket's buffer in
    between; `sent` counts the bytes as they go, at most `turn` of them each turn of the
    event loop. Each send that moves bytes touches `progress`. Completes with
    `void(error_code)`; the socket, timer, counter and the reply's bytes must outlive the
    operation.
*/
template <typename CompletionToken>
auto
async_send_rest(tcp::socket& socket, idle_timer& progress, reply_bytes reply, std::size_t& sent, std::size_t turn,
                CompletionToken&& token)
{
    return asio::async_compose<CompletionToken, void(error_code)>(send_rest_op(socket, progress, reply, sent, turn),
                                                                  token, socket);
}

} // namespace poetry::detail
