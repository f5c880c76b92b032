// defer-3: Part 7's defer-3.py. What does the error handler get? In Twisted, a Failure: an
// object that wraps the exception (and its traceback), printed here with its class. In
// Asio, whatever the operation's completion signature says: an error_code for the
// network operations, and here a std::exception_ptr, as co_spawn hands its handler: it
// carries any exception, and rethrowing it is how you look inside.
#include "../common/command_line.hpp"
#include "pending.hpp"

#include <boost/core/demangle.hpp>

#include <iostream>
#include <typeinfo>

namespace asio = boost::asio;
using tutorial::pending;

void
got_poem(const std::string& poem)
{
    std::cout << "Your poem is served:" << std::endl;
    std::cout << poem << std::endl;
}

void
poem_failed(std::exception_ptr error)
{
    try
    {
        std::rethrow_exception(error);
    }
    catch (const std::exception& e)
    {
        std::cout << "std::exception_ptr holding " << boost::core::demangle(typeid(e).name()) << std::endl;
        std::cout << e.what() << std::endl;
    }
    std::cout << "No poetry for you." << std::endl;
}

int
main(int argc, char** argv)
{
    return tutorial::run("defer-3", [&] {
        const tutorial::program_info info{"defer-3", "",
                                          "Part 7's defer-3: what the error handler gets: an exception_ptr, which\n"
                                          "says what was thrown when it is thrown again."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context loop;
        pending<std::string> poem(loop);
        poem.async_wait([](std::exception_ptr error, std::string text) {
            if (error)
                poem_failed(error);
            else
                got_poem(text);
        });
        poem.fail(std::make_exception_ptr(std::runtime_error("I have failed.")));
        loop.run();
        return 0;
    });
}
