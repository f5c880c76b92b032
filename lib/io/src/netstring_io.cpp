#include "poetry/io/netstring_io.hpp"

#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>

#include <algorithm>

namespace poetry {
namespace {

class read_netstring_op
{
public:
    read_netstring_op(tcp::socket& socket, netstring_decoder& decoder, asio::mutable_buffer buffer,
                      idle_timer& progress)
        : socket_(socket)
        , decoder_(decoder)
        , buffer_(buffer)
        , progress_(progress)
    {
    }

    // A room that cannot be grown here fails the decoder; the first read's completion says so.
    template <typename Self>
    void operator()(Self& self)
    {
        read_some(self, decoder_.payload_room());
    }

    template <typename Self>
    void operator()(Self& self, error_code ec, std::size_t n)
    {
        if (n > 0)
        {
            progress_.touch();
            if (into_payload_)
                decoder_.commit_payload(n);
            else
                decoder_.feed({static_cast<const char*>(buffer_.data()), n});
        }
        if (decoder_.state() == netstring_decoder::status::need_more)
        {
            if (ec == asio::error::eof)
                decoder_.finish();
            else if (!ec)
            {
                const std::span<char> room = decoder_.payload_room(); // may fail the decoder
                if (decoder_.state() == netstring_decoder::status::need_more)
                    return read_some(self, room);
            }
        }
        if (decoder_.state() != netstring_decoder::status::need_more)
            ec = decoder_.error();
        self.complete(ec);
    }

private:
    // Payload bytes go straight into the payload when it has more room than the buffer:
    // a long request is read in long reads (a turn's worth each), with no copy. Everything
    // else (the length, the comma, a short payload) comes through the buffer.
    template <typename Self>
    void read_some(Self& self, std::span<char> room)
    {
        into_payload_ = room.size() > buffer_.size();
        if (into_payload_)
            return socket_.async_read_some(asio::buffer(room.data(), std::min(room.size(), netstring_read_turn)),
                                           std::move(self));
        socket_.async_read_some(buffer_, std::move(self));
    }

    tcp::socket& socket_;
    netstring_decoder& decoder_;
    asio::mutable_buffer buffer_;
    idle_timer& progress_;
    bool into_payload_ = false;
};

} // namespace

namespace detail {

void
async_read_netstring_impl(asio::any_completion_handler<read_netstring_signature> handler, tcp::socket& socket,
                          netstring_decoder& decoder, asio::mutable_buffer buffer, idle_timer& progress)
{
    asio::async_compose<decltype(handler), read_netstring_signature>(
        read_netstring_op{socket, decoder, buffer, progress}, handler, socket);
}

} // namespace detail

} // namespace poetry
