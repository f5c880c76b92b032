// inline-callbacks-2: two coroutines run at once, interleaved by the event
// loop. One returns 1 (Python's returnValue(1)); the other raises 'uh oh'.
// Each one's outcome reaches a completion handler, as a Deferred's reaches
// addCallbacks; "all done" comes when both have finished, counted by hand as
// the original counts them (client 8.0 awaits such a set as one operation).
#include "timers.hpp"

#include "../common/command_line.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>

using namespace inline_callbacks;

asio::awaitable<int>
my_callbacks_1(clock::duration second)
{
    std::cout << "my_callbacks_1 first callback" << std::endl;
    co_await pause(2 * second);
    std::cout << "my_callbacks_1 second callback" << std::endl;
    co_await pause(2 * second);
    std::cout << "my_callbacks_1 third callback" << std::endl;
    co_return 1;
}

asio::awaitable<int>
my_callbacks_err(clock::duration second)
{
    std::cout << "my_callbacks_err first callback" << std::endl;
    co_await pause(3 * second);
    std::cout << "my_callbacks_err second callback" << std::endl;
    co_await pause(3 * second);
    std::cout << "my_callbacks_err third callback" << std::endl;
    throw std::runtime_error("uh oh");
}

int
main(int argc, char** argv)
{
    return tutorial::run("inline-callbacks-2", [&] {
        const tutorial::program_info info{
            "inline-callbacks-2", "[--second SECONDS]",
            "Part 17's inline-callbacks-2: two coroutines interleaved by one event loop, one\n"
            "returning a value and one raising; their outcomes reach completion handlers."};
        const auto unit = tutorial::duration_option(
            argc, argv, info, "second", "1", "how long one of the original's seconds lasts (its timers wait 2 and 3)");
        if (!unit)
            return 0;

        asio::io_context reactor;
        int running = 2;
        // addCallbacks(got_result, got_error), then the count of finished ones: "all done" at two.
        const auto add_callbacks = [&running](std::exception_ptr error, int result) {
            if (error)
            {
                try
                {
                    std::rethrow_exception(error);
                }
                catch (const std::exception& e)
                {
                    std::cout << "got error: " << e.what() << std::endl;
                }
            }
            else
                std::cout << "got result: " << result << std::endl;
            if (--running == 0)
                std::cout << "all done" << std::endl;
        };
        asio::co_spawn(reactor, my_callbacks_1(*unit), add_callbacks);
        asio::co_spawn(reactor, my_callbacks_err(*unit), add_callbacks);
        reactor.run();
        return 0;
    });
}
