#include "poetry/io/netstring_io.hpp"

#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>

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

    template <typename Self>
    void operator()(Self& self)
    {
        socket_.async_read_some(buffer_, std::move(self));
    }

    template <typename Self>
    void operator()(Self& self, error_code ec, std::size_t n)
    {
        if (n > 0)
        {
            progress_.touch();
            decoder_.feed({static_cast<const char*>(buffer_.data()), n});
        }
        if (decoder_.state() == netstring_decoder::status::need_more)
        {
            if (ec == asio::error::eof)
                decoder_.finish();
            else if (!ec)
                return socket_.async_read_some(buffer_, std::move(self));
        }
        if (decoder_.state() != netstring_decoder::status::need_more)
            ec = decoder_.error();
        self.complete(ec);
    }

private:
    tcp::socket& socket_;
    netstring_decoder& decoder_;
    asio::mutable_buffer buffer_;
    idle_timer& progress_;
};

} // namespace

void
async_read_netstring_impl(asio::any_completion_handler<read_netstring_signature> handler, tcp::socket& socket,
                          netstring_decoder& decoder, asio::mutable_buffer buffer, idle_timer& progress)
{
    asio::async_compose<decltype(handler), read_netstring_signature>(
        read_netstring_op{socket, decoder, buffer, progress}, handler, socket);
}

} // namespace poetry
