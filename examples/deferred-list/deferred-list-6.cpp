// deferred-list-6: Part 18's deferred-list-6.py. The Python leaves d2's failure to the
// list without consumeErrors, and Twisted also reports it as unhandled; an Asio group has
// no such case (deferred-list-5). What a group adds is a choice of when to finish: here
// wait_for_one_error. Three poems are due after 2, 1 (a failure) and 3 seconds; at the
// failure the group emits a cancellation to the others, whose timers stop at once, and
// its handler runs after one second instead of three.
#include "../common/command_line.hpp"
#include "results.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>

#include <iostream>
#include <vector>

namespace asio = boost::asio;

int
main(int argc, char** argv)
{
    return tutorial::run("deferred-list-6", [&] {
        const tutorial::program_info info{"deferred-list-6", "[--second SECONDS] [--trace FILE]",
                                          "Part 18's deferred-list-6: a group that stops at the first failure and\n"
                                          "cancels the other operations."};
        const auto command = tutorial::read_command_line(
            argc, argv, info,
            {{"second", "SECONDS", "1", "how long the program's second lasts"},
             {"trace", "FILE", "", "write each operation's lane to FILE, for poetry-timeline"}});
        if (!command)
            return 0;
        const auto second = command->seconds("second");
        tutorial::trace_file trace(command->text("trace"), info.name, argc, argv);

        asio::io_context loop;
        const auto ex = loop.get_executor();
        std::vector<decltype(asio::co_spawn(ex, tutorial::poem_in(second, ""), asio::deferred))> operations;
        const auto lane = [&](int number, const char* name, tutorial::asio::awaitable<std::string> poem) {
            return asio::co_spawn(ex, tutorial::traced(trace, number, name, std::move(poem)), asio::deferred);
        };
        operations.push_back(lane(1, "d1 (2 s)", tutorial::poem_in(2 * second, "d1 result")));
        operations.push_back(lane(2, "d2 (fails at 1 s)", tutorial::poem_in(second, "", "d2 failure")));
        operations.push_back(lane(3, "d3 (3 s)", tutorial::poem_in(3 * second, "d3 result")));
        std::cout << "Waiting for d1 (2 s), d2 (a failure, 1 s) and d3 (3 s), until the first failure." << std::endl;
        asio::experimental::make_parallel_group(std::move(operations))
            .async_wait(asio::experimental::wait_for_one_error(), tutorial::print_results);
        loop.run();
        trace.close();
        return 0;
    });
}
