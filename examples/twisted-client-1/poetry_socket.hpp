// Part 4's poetry client in Asio: a socket that the event loop watches, and a handler the
// loop calls when bytes are there to read. Twisted asks for it with reactor.addReader and
// calls doRead; Asio's spelling is async_wait(wait_read) and its handler. Shared by
// twisted-client-1 (a non-blocking socket, as it must be) and get-poetry-broken (a
// blocking one, to see what goes wrong).
#pragma once

#include "../common/client_command.hpp"
#include "../common/elapsed.hpp"
#include "../common/server_address.hpp"
#include "../common/trace_file.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <array>
#include <iostream>
#include <list>
#include <string>

namespace tutorial {

namespace asio = boost::asio;
using asio::ip::tcp;

enum class reading
{
    non_blocking, // a read returns at once, with what has come or would_block
    blocking,     // a read waits for bytes: it holds the whole loop meanwhile
};

class poetry_socket
{
public:
    poetry_socket(asio::io_context& reactor, int task, server_address address, reading mode, trace_file& trace)
        : socket_(reactor)
        , task_(task)
        , address_(std::move(address))
        , trace_(trace)
    {
        tcp::resolver resolver(reactor);
        asio::connect(socket_, resolver.resolve(address_.host, address_.port)); // blocking, as the original
        trace_.event(task_, address_.text(), "connect");
        socket_.non_blocking(mode == reading::non_blocking);
        watch();
    }

    const std::string& poem() const { return poem_; }
    bool failed() const { return failed_; }

private:
    // reactor.addReader(self): call do_read() when the socket has something to read.
    void watch()
    {
        socket_.async_wait(tcp::socket::wait_read, [this](boost::system::error_code ec) {
            if (!ec)
                do_read();
        });
    }

    // The original's doRead: read what there is until the socket would block.
    void do_read()
    {
        std::string bytes;
        boost::system::error_code ec;
        for (;;)
        {
            std::array<char, 1024> chunk;
            const std::size_t count = socket_.read_some(asio::buffer(chunk), ec); // blocking mode: waits here
            if (ec)
                break;
            bytes.append(chunk.data(), count);
            trace_.event(task_, address_.text(), "bytes", count);
        }
        if (ec != asio::error::would_block && ec != asio::error::eof)
        {
            std::cerr << "Task " << task_ << " failed: " << ec.message() << std::endl;
            trace_.event(task_, address_.text(), "failed", poem_.size());
            failed_ = true;
            return; // no watch() again: the reactor's removeReader
        }
        if (bytes.empty())
        {
            std::cout << "Task " << task_ << " finished" << std::endl;
            trace_.event(task_, address_.text(), "done", poem_.size());
            return; // the last socket to finish leaves the loop without work: run() returns
        }
        std::cout << "Task " << task_ << ": got " << bytes.size() << " bytes of poetry from " << address_.text()
                  << std::endl;
        poem_ += bytes;
        watch();
    }

    tcp::socket socket_;
    int task_;
    server_address address_;
    trace_file& trace_;
    std::string poem_;
    bool failed_ = false;
};

/// The original's poetry_main: a poetry_socket per address, the loop run until every
/// one is done, then what each got and how long it all took.
inline int
get_every_poem(int argc, char** argv, const program_info& info, reading mode)
{
    const auto command = read_client_command(argc, argv, info);
    if (!command)
        return 0;
    const auto& addresses = command->addresses;
    trace_file trace(command->options.text("trace"), info.name, argc, argv);

    const auto start = clock::now();
    asio::io_context reactor;
    std::list<poetry_socket> sockets; // a list: each stays where its handlers find it
    for (std::size_t i = 0; i < addresses.size(); ++i)
        sockets.emplace_back(reactor, static_cast<int>(i) + 1, addresses[i], mode, trace);
    reactor.run();

    const auto elapsed = clock::now() - start;
    int task = 0;
    bool failed = false;
    for (const auto& socket : sockets)
    {
        std::cout << "Task " << ++task << ": " << socket.poem().size() << " bytes of poetry" << std::endl;
        failed = failed || socket.failed();
    }
    std::cout << "\nGot " << sockets.size() << " poems in " << timedelta_text(elapsed) << std::endl;
    trace.close();
    return failed ? 1 : 0;
}

} // namespace tutorial
