// inline-callbacks-1: one coroutine awaits a plain value, a value that a timer
// delivers later, and a failure that a timer delivers later. It reads like
// blocking code, yet between the awaits the event loop is free: each part of
// the body is a callback the loop calls.
#include "timers.hpp"

#include "../common/command_line.hpp"

#include <iostream>

using namespace inline_callbacks;

// Python's "yield 1": a plain value comes straight back, without the event loop.
asio::awaitable<int>
plain(int value)
{
    co_return value;
}

asio::awaitable<void>
my_callbacks(clock::duration delay)
{
    std::cout << "first callback" << std::endl;
    int result = co_await plain(1);
    std::cout << "second callback got " << result << std::endl;
    result = co_await value_later(delay, 2); // paused here until the timer fires
    std::cout << "third callback got " << result << std::endl;
    std::string failure;
    try
    {
        co_await failure_later(delay, 3); // the errback's exception comes out of the co_await
    }
    catch (const tutorial_exception& e)
    {
        failure = e.what();
    }
    std::cout << "fourth callback got " << failure << std::endl;
}

int
main(int argc, char** argv)
{
    return tutorial::run("inline-callbacks-1", [&] {
        const tutorial::program_info info{
            "inline-callbacks-1", "[--delay SECONDS]",
            "Part 17's inline-callbacks-1: a coroutine awaits a plain value, then a timer's value,\n"
            "then a timer's failure, and prints what each gave it."};
        const auto pause_length = tutorial::duration_option(
            argc, argv, info, "delay", "5", "how long each timer takes (the original's callLater(5, ...))");
        if (!pause_length)
            return 0;

        run_until_done(my_callbacks(*pause_length));
        return 0;
    });
}
