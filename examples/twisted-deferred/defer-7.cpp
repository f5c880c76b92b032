// defer-7: Part 7's defer-7.py. An operation completes once: an error, then a result is one too many.
//
// Twisted checks: the second d.callback() or d.errback() raises AlreadyCalledError. In
// Asio the handler itself is the check: it is moved out of the operation to be called,
// so after the first result there is no handler left to call. pending.hpp says so with
// its own exception, already_called, which ends this program as Python's ends its own:
// the first result printed, the error, no "Finished". (Between the two, run() lets the
// first handler run: in Asio no handler runs outside the loop.)
#include "../common/command_line.hpp"
#include "pending.hpp"

#include <iostream>

namespace asio = boost::asio;
using tutorial::pending;

int
main(int argc, char** argv)
{
    return tutorial::run("defer-7", [&] {
        const tutorial::program_info info{
            "defer-7", "",
            "Part 7's defer-7: an error, then a result for one operation: the second finds\n"
            "its handler already called, and throws already_called."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context loop;
        pending<std::string> result(loop);
        result.async_wait([](std::exception_ptr error, std::string value) {
            std::cout << (error ? tutorial::message_of(error) : value) << std::endl;
        });
        result.fail(std::make_exception_ptr(std::runtime_error("First error")));
        loop.run();                     // the handler runs, and is gone
        result.deliver("First result"); // throws already_called
        std::cout << "Finished" << std::endl;
        return 0;
    });
}
