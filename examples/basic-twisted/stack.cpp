// stack: Part 3's stack.py. A handler prints the stack beneath it: main() at the bottom,
// then io_context::run() and the loop's own frames, and the handler on top. The program
// does not call its handler: the loop does.
#include "../common/command_line.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/stacktrace.hpp>

#include <iostream>

namespace asio = boost::asio;

void
stack()
{
    std::cout << "The C++ stack:\n" << boost::stacktrace::stacktrace() << std::flush;
}

int
main(int argc, char** argv)
{
    return tutorial::run("stack", [&] {
        const tutorial::program_info info{"stack", "",
                                          "Part 3's stack: print the stack from inside a handler, to show the event\n"
                                          "loop beneath it."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context reactor;
        asio::post(reactor, stack);
        reactor.run();
        return 0;
    });
}
