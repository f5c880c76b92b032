// blocking-client: Part 2's blocking client. It gets one poem at a time: connect, read
// until the server closes, and only then the next address. Each call below waits until it
// is done, so the program can do nothing else meanwhile: the times add up.
//
// Synchronous Asio needs an io_context to make sockets, but never runs it: nothing here is
// left for an event loop to finish later.
#include "../common/client_command.hpp"
#include "../common/elapsed.hpp"
#include "../common/server_address.hpp"
#include "../common/trace_file.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <array>
#include <iostream>
#include <string>

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace tutorial;

// Download one poem: the original's get_poetry(address).
std::string
get_poetry(asio::io_context& context, const server_address& address, int task, trace_file& trace)
{
    tcp::socket socket(context);
    tcp::resolver resolver(context);
    asio::connect(socket, resolver.resolve(address.host, address.port)); // waits until connected
    trace.event(task, address.text(), "connect");

    std::string poem;
    std::array<char, 1024> bytes;
    for (;;)
    {
        boost::system::error_code ec;
        const std::size_t count = socket.read_some(asio::buffer(bytes), ec); // waits for bytes
        if (ec == asio::error::eof)
            return poem; // the server closed the connection: that is the poem's end
        if (ec)
            throw boost::system::system_error(ec);
        poem.append(bytes.data(), count);
        trace.event(task, address.text(), "bytes", count);
    }
}

int
main(int argc, char** argv)
{
    return tutorial::run("blocking-client", [&] {
        const program_info info{"blocking-client", "[--trace FILE] [host:]port ...",
                                "Part 2's blocking client: get the poem of each server in turn, each download\n"
                                "waiting for the last, and say how long each took and all of them took."};
        const auto command = read_client_command(argc, argv, info);
        if (!command)
            return 0;
        const auto& addresses = command->addresses;
        trace_file trace(command->options.text("trace"), info.name, argc, argv);

        asio::io_context context;
        clock::duration elapsed{};
        std::size_t poems = 0;
        for (std::size_t i = 0; i < addresses.size(); ++i)
        {
            const int task = static_cast<int>(i) + 1;
            const std::string address = addresses[i].text();
            std::cout << "Task " << task << ": get poetry from: " << address << std::endl;
            const auto start = clock::now();
            try
            {
                const std::string poem = get_poetry(context, addresses[i], task, trace);
                const auto time = clock::now() - start;
                trace.event(task, address, "done", poem.size());
                std::cout << "Task " << task << ": got " << poem.size() << " bytes of poetry from " << address << " in "
                          << timedelta_text(time) << std::endl;
                elapsed += time;
                ++poems;
            }
            catch (const boost::system::system_error& e)
            {
                trace.event(task, address, "failed");
                std::cerr << "Task " << task << ": cannot get poetry from " << address << ": " << e.code().message()
                          << std::endl;
            }
        }
        std::cout << "Got " << poems << " poems in " << timedelta_text(elapsed) << std::endl;
        trace.close();
        return poems == addresses.size() ? 0 : 1;
    });
}
