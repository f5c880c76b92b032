// inline-callbacks-tb: the stack from inside a coroutine, after its first await.
// The event loop started the coroutine (the original's callWhenRunning), so
// beneath our code lie the loop's run() and its scheduler: the coroutine's
// pieces still run one at a time, and the loop still calls them, as the chapter
// says of inlineCallbacks and the reactor.
#include "../common/command_line.hpp"
#include "timers.hpp"

#include <boost/stacktrace.hpp>

#include <iostream>

using namespace inline_callbacks;

// Python's "yield 1": a plain value comes straight back.
asio::awaitable<int>
plain(int value)
{
    co_return value;
}

asio::awaitable<void>
my_callbacks()
{
    co_await plain(1);
    std::cout << boost::stacktrace::stacktrace() << std::flush;
}

int
main(int argc, char** argv)
{
    return tutorial::run("inline-callbacks-tb", [&] {
        const tutorial::program_info info{
            "inline-callbacks-tb", "",
            "Part 17's inline-callbacks-tb: print the stack from inside a coroutine, to show the\n"
            "event loop beneath it."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;
        run_until_done(my_callbacks());
        return 0;
    });
}
