// defer-9: Part 7's defer-9.py. defer-8 with one more step that runs whatever the outcome:
// Twisted adds it with addBoth(poem_done), after the callback/errback pair. An Asio
// handler is one function, so the step for both outcomes is simply the code after the
// if and the else. The Python poem_done stops the reactor; here it says it ran, and
// run() returns by itself, as in defer-8.
#include "../common/command_line.hpp"
#include "pending.hpp"

#include <iostream>

namespace asio = boost::asio;
using tutorial::pending;

void
got_poem(const std::string& poem)
{
    std::cout << poem << std::endl;
}

void
poem_failed(std::exception_ptr)
{
    std::cerr << "poem download failed" << std::endl;
    std::cerr << "I am terribly sorry" << std::endl;
    std::cerr << "try again later?" << std::endl;
}

void
poem_done()
{
    std::cout << "poem_done: run either way" << std::endl;
}

int
main(int argc, char** argv)
{
    return tutorial::run("defer-9", [&] {
        const tutorial::program_info info{"defer-9", "[--fail-with MESSAGE]",
                                          "Part 7's defer-9: a step that runs after the poem or the failure, as\n"
                                          "addBoth adds it: the code after both branches of the handler."};
        const auto command = tutorial::read_command_line(
            argc, argv, info, {{"fail-with", "MESSAGE", "", "fail with this error instead of delivering the poem"}});
        if (!command)
            return 0;
        const std::string failure = command->text("fail-with");

        asio::io_context loop;
        pending<std::string> poem(loop);
        poem.async_wait([](std::exception_ptr error, std::string text) {
            if (error)
                poem_failed(error);
            else
                got_poem(text);
            poem_done(); // addBoth: after either
        });
        asio::post(loop, [&] {
            if (failure.empty())
                poem.deliver("Another short poem.");
            else
                poem.fail(std::make_exception_ptr(std::runtime_error(failure)));
        });
        loop.run();
        return 0;
    });
}
