// deferred-list-7: Part 18's deferred-list-7.py. The Python gives d2 an errback of its
// own, so that its failure is handled twice, by d2 and by the list. Here the last lesson
// is the group's other choice, waiting for the first operation only (wait_for_one), and
// what that relies on: the group cancels the others and then waits for them to finish.
// A timer stops at once; pending.hpp's operation installs no cancellation handler, so the
// group waits until its result comes anyway. (co_await (a || b) is the same group.)
#include "../common/command_line.hpp"
#include "results.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>

#include <iostream>
#include <vector>

namespace asio = boost::asio;
using tutorial::pending;

int
main(int argc, char** argv)
{
    return tutorial::run("deferred-list-7", [&] {
        const tutorial::program_info info{"deferred-list-7", "[--second SECONDS] [--trace FILE]",
                                          "Part 18's deferred-list-7: waiting for the first operation only, and an\n"
                                          "operation that ignores the cancellation holding the group."};
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
        const auto lane = [&](int number, const char* name, tutorial::asio::awaitable<std::string> poem) {
            return asio::co_spawn(ex, tutorial::traced(trace, number, name, std::move(poem)), asio::deferred);
        };
        std::cout << "d1 in 1 s, d2 in 3 s, both timers: the first wins, the other is cancelled." << std::endl;
        asio::experimental::make_parallel_group(lane(1, "d1 (1 s)", tutorial::poem_in(second, "d1 result")),
                                                lane(2, "d2 (3 s timer)", tutorial::poem_in(3 * second, "d2 result")))
            .async_wait(asio::experimental::wait_for_one(), tutorial::print_pair_results);
        loop.run();

        std::cout << "\nd1 in 1 s, d2 delivered in 3 s to an operation with no cancellation handler." << std::endl;
        pending<std::string> d2(loop);
        const char* const d2_lane = "d2 (3 s) deaf";
        trace.event(3, d2_lane, "start");
        asio::steady_timer deliverer(loop, 3 * second);
        deliverer.async_wait([&](boost::system::error_code) {
            trace.event(3, d2_lane, "done");
            d2.deliver("d2 result, delivered anyway");
        });
        asio::experimental::make_parallel_group(lane(4, "d1 (1 s)", tutorial::poem_in(second, "d1 result")),
                                                d2.async_wait(asio::deferred))
            .async_wait(asio::experimental::wait_for_one(), tutorial::print_pair_results);
        loop.restart();
        loop.run();
        trace.close();
        return 0;
    });
}
