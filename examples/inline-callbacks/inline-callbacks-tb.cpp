// inline-callbacks-tb: the stack from inside a coroutine, once the event loop
// has resumed it. Beneath our code lie the loop's run() and its scheduler:
// the coroutine's callbacks still run one at a time, and the loop still calls
// them, as the chapter says of inlineCallbacks and the reactor.
#include "timers.hpp"

#include "common/cli.hpp"

#include <boost/stacktrace.hpp>

#include <iostream>

using namespace inline_callbacks;
namespace po = boost::program_options;

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
        std::string delay = "0.1";
        po::options_description options("Options");
        options.add_options()("delay", po::value(&delay)->value_name("SECONDS")->default_value(delay),
                              "how long the coroutine waits before it looks at its stack");
        if (!poetry::cli::parse(argc, argv, info, options))
            return 0;
        const auto pause_length = poetry::cli::seconds_value(delay, "--delay");

        run_until_done(my_callbacks(pause_length));
        return 0;
    });
}
