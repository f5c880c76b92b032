// defer-2: Part 7's defer-2.py. The same handler as defer-1's, and this time the operation
// fails: the handler gets the error instead of a poem.
//
// Twisted keeps two chains, callbacks and errbacks, and d.errback(error) runs the second.
// An Asio handler is one function that gets both, an error and a value: the error comes
// first, and the value means nothing when the error is set.
#include "../common/command_line.hpp"
#include "pending.hpp"

#include <iostream>

namespace asio = boost::asio;
using tutorial::pending;

void
got_poem(const std::string& poem)
{
    std::cout << "Your poem is served:" << std::endl;
    std::cout << poem << std::endl;
}

void
poem_failed(std::exception_ptr)
{
    std::cout << "No poetry for you." << std::endl;
}

int
main(int argc, char** argv)
{
    return tutorial::run("defer-2", [&] {
        const tutorial::program_info info{"defer-2", "",
                                          "Part 7's defer-2: the operation fails, and the same handler gets the\n"
                                          "error instead of a poem."};
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
        std::cout << "Finished" << std::endl;
        return 0;
    });
}
