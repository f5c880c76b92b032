// hello: Part 3's first event loop. A function is handed to the loop before the loop runs
// (Twisted's callWhenRunning, Asio's post), and run() calls it. Twisted's reactor then
// runs on, stuck in its rut until Ctrl-C; Asio's run() returns as soon as it has nothing
// left to do, so this program ends by itself.
#include "../common/command_line.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <iostream>

namespace asio = boost::asio;

void
hello()
{
    std::cout << "Hello from the reactor loop!" << std::endl;
    std::cout << "Lately I feel like I'm stuck in a rut." << std::endl;
}

int
main(int argc, char** argv)
{
    return tutorial::run("hello", [&] {
        const tutorial::program_info info{"hello", "",
                                          "Part 3's hello: a function posted to an event loop before it runs, and\n"
                                          "called once the loop runs."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context reactor;
        asio::post(reactor, hello); // nothing runs yet: the loop is not running
        std::cout << "Starting the reactor." << std::endl;
        reactor.run(); // calls hello(), then finds nothing more to do
        std::cout << "run() returned: the loop had nothing left to do." << std::endl;
        return 0;
    });
}
