// defer-8: Part 7's defer-8.py. The poem is delivered once the loop runs, from a function
// posted to it (Twisted's callWhenRunning, Asio's post), and the handler prints it, or
// apologises on stderr when the operation fails (--fail-with MESSAGE).
//
// The Python handlers end with reactor.stop(): a reactor runs until it is stopped. Asio's
// run() returns when no work is left, and a waiting handler is work (pending.hpp keeps a
// work guard beside it): once the handler has run, nothing is left and run() returns.
// Nobody stops anything.
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

int
main(int argc, char** argv)
{
    return tutorial::run("defer-8", [&] {
        const tutorial::program_info info{"defer-8", "[--fail-with MESSAGE]",
                                          "Part 7's defer-8: a poem delivered once the loop runs; run() returns\n"
                                          "when the handler has run, with nothing to stop."};
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
        });
        asio::post(loop, [&] {
            if (failure.empty())
                poem.deliver("Another short poem.");
            else
                poem.fail(std::make_exception_ptr(std::runtime_error(failure)));
        });
        loop.run(); // returns once the handler has run: it was the last work
        return 0;
    });
}
