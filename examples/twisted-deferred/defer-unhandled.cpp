// defer-unhandled: the tutorial's twisted-deferred/defer-unhandled.py. A callback raises,
// and nothing handles the error. Twisted keeps it in the Deferred and, when the Deferred
// is garbage collected, logs "Unhandled error in Deferred" after the program's "Finished".
//
// In Asio it depends on who ran the code that threw:
// - a handler: the exception leaves run(), in the thread that called it (Part 3's
//   exception program shows run() going on when called again);
// - a coroutine: co_spawn catches it and hands it to its completion handler as an
//   exception_ptr; spawned with `detached`, the handler ignores its arguments, and the
//   error is gone without a word. Give co_spawn a handler that looks.
#include "../common/command_line.hpp"
#include "pending.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <iostream>

namespace asio = boost::asio;
using tutorial::pending;

asio::awaitable<void>
coroutine_that_throws()
{
    throw std::runtime_error("oops");
    co_return;
}

int
main(int argc, char** argv)
{
    return tutorial::run("defer-unhandled", [&] {
        const tutorial::program_info info{
            "defer-unhandled", "",
            "The tutorial's defer-unhandled: an error nobody handles leaves run() from a\n"
            "handler, and reaches co_spawn's completion from a coroutine."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context loop;
        pending<std::string> result(loop);
        result.async_wait([](std::exception_ptr, std::string) { throw std::runtime_error("oops"); });
        result.deliver("Here is your result.");
        try
        {
            loop.run();
        }
        catch (const std::exception& e)
        {
            std::cout << "A handler threw, and run() threw it on: " << e.what() << std::endl;
        }

        asio::co_spawn(loop, coroutine_that_throws(), [](std::exception_ptr error) {
            std::cout << "A coroutine threw, and co_spawn's handler got: " << tutorial::message_of(error) << std::endl;
        });
        loop.restart();
        loop.run();

        asio::co_spawn(loop, coroutine_that_throws(), asio::detached); // nobody looks
        loop.restart();
        loop.run();
        std::cout << "A coroutine spawned detached threw, and nothing said so." << std::endl;
        std::cout << "Finished" << std::endl;
        return 0;
    });
}
