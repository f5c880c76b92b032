// defer-1: Part 7's defer-1.py. Someone asks for a poem and gives a handler; someone else
// has the poem and delivers it; the handler is called with it, once.
//
// In Python the Deferred is the meeting point: got_poem and poem_failed are added to it,
// and d.callback(poem) calls got_poem before callback() returns, with no reactor at all.
// In Asio the operation holds the handler (pending.hpp: async_wait keeps it, deliver hands
// it the poem), and a handler only ever runs inside the loop's run(): delivering from
// outside the loop queues the call, and run() makes it. The lines are the same.
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
    return tutorial::run("defer-1", [&] {
        const tutorial::program_info info{"defer-1", "",
                                          "Part 7's defer-1: a handler held by an operation and called once with\n"
                                          "the poem delivered to it."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context loop;
        pending<std::string> poem(loop);
        // The callback and the errback in one handler: it gets an error or a poem.
        poem.async_wait([](std::exception_ptr error, std::string text) {
            if (error)
                poem_failed(error);
            else
                got_poem(text);
        });
        poem.deliver("This poem is short."); // the call is queued: we are not in the loop
        loop.run();                          // ...and made here
        std::cout << "Finished" << std::endl;
        return 0;
    });
}
