// One poem's download as a coroutine, for the programs that need poems to arrive while
// they show something else: connect, then read until the server closes, telling the
// trace of every chunk. The poem so far is kept in `poem`, so that a download cut short
// still says how far it got.
#pragma once

#include "server_address.hpp"
#include "trace_file.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>
#include <string>

namespace tutorial {

namespace asio = boost::asio;

/// Download the poem at `address` into `poem`; a failure is thrown as system_error.
inline asio::awaitable<void>
download(int task, server_address address, std::string& poem, trace_file& trace)
{
    const auto executor = co_await asio::this_coro::executor;
    asio::ip::tcp::resolver resolver(executor);
    asio::ip::tcp::socket socket(executor);
    const auto endpoints = co_await resolver.async_resolve(address.host, address.port, asio::use_awaitable);
    co_await asio::async_connect(socket, endpoints, asio::use_awaitable);
    trace.event(task, address.text(), "connect");
    std::array<char, 1024> chunk;
    for (;;)
    {
        const auto [ec, count] =
            co_await socket.async_read_some(asio::buffer(chunk), asio::as_tuple(asio::use_awaitable));
        if (ec == asio::error::eof)
            co_return; // the server closed: the poem is whole
        if (ec)
            throw boost::system::system_error(ec);
        poem.append(chunk.data(), count);
        trace.event(task, address.text(), "bytes", count);
    }
}

} // namespace tutorial
