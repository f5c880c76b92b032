// inline-callbacks-tb: the stack from inside a coroutine, once the event loop
// has resumed it. Beneath our code lie the loop's run() and its scheduler:
// the coroutine's callbacks still run one at a time, and the loop still calls
// them, as the chapter says of inlineCallbacks and the reactor.
#include "timers.hpp"

#include "duration_option.hpp"

#include <boost/stacktrace.hpp>

#include <iostream>

using namespace inline_callbacks;

asio::awaitable<void>
my_callbacks(clock::duration delay)
{
    std::cout << "first callback" << std::endl;
    co_await pause(delay); // the event loop resumes us from here
    std::cout << "second callback: the stack, innermost frame first:" << std::endl;
    std::cout << boost::stacktrace::stacktrace() << std::flush;
}

int
main(int argc, char** argv)
{
    return poetry::cli::run("inline-callbacks-tb", [&] {
        const poetry::cli::program_info info{
            "inline-callbacks-tb", "[--delay SECONDS]",
            "Part 17's inline-callbacks-tb: print the stack from inside a coroutine after the\n"
            "event loop resumed it, to show the loop beneath it."};
        const auto pause_length = duration_option(argc, argv, info, "delay", "0.1",
                                                  "how long the coroutine waits before it looks at its stack");
        if (!pause_length)
            return 0;

        run_until_done(my_callbacks(*pause_length));
        return 0;
    });
}
