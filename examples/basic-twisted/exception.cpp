// exception: Part 3's exception.py. A handler throws. Twisted's reactor catches what a
// callback raises, prints it and goes on. Asio's run() lets the exception out to its
// caller, as any function call does, and leaves the loop as it was: call run() again and
// the next handler runs. The loop "gets up again".
#include "../common/command_line.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <iostream>
#include <stdexcept>

namespace asio = boost::asio;

void
falldown()
{
    throw std::runtime_error("I fall down.");
}

void
upagain()
{
    std::cout << "But I get up again." << std::endl;
}

int
main(int argc, char** argv)
{
    return tutorial::run("exception", [&] {
        const tutorial::program_info info{"exception", "",
                                          "Part 3's exception: a handler throws, the exception leaves run(), and\n"
                                          "run() called again goes on with the next handler."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context reactor;
        asio::post(reactor, falldown);
        asio::post(reactor, upagain);
        std::cout << "Starting the reactor." << std::endl;
        for (;;)
        {
            try
            {
                reactor.run();
                break; // nothing left to do
            }
            catch (const std::exception& e) // thrown by a handler, through run()
            {
                std::cout << "Exception: " << e.what() << std::endl;
            }
        }
        return 0;
    });
}
