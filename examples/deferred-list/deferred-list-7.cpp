// deferred-list-7: Part 18's deferred-list-7.py. The Python gives d2 an errback of its
// own, so that its failure is handled twice, by d2 and by the list. Here the last lesson
// is the group's other choice, waiting for the first operation only (wait_for_one), and
// what that relies on: the group cancels the others and then waits for them to finish.
// A timer stops at once; pending.hpp's operation installs no cancellation handler, so the
// group waits until its result comes anyway. (co_await (a || b) is the same group.)
#include "../common/command_line.hpp"
#include "results.hpp"

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/co_spawn.hpp>

#include <iostream>
#include <vector>

namespace asio = boost::asio;
using tutorial::pending;

// An operation not started yet (asio::deferred makes one): the group starts it.
using waiting_for_poem = decltype(std::declval<pending<std::string>&>().async_wait(asio::deferred));

int
main(int argc, char** argv)
{
    return tutorial::run("deferred-list-7", [&] {
        const tutorial::program_info info{"deferred-list-7", "[--second SECONDS]",
                                          "Part 18's deferred-list-7: waiting for the first operation only, and an\n"
                                          "operation that ignores the cancellation holding the group."};
        const auto command = tutorial::read_command_line(
            argc, argv, info, {{"second", "SECONDS", "1", "how long the program's second lasts"}});
        if (!command)
            return 0;
        const auto second = command->seconds("second");

        asio::io_context loop;
        const auto ex = loop.get_executor();
        std::cout << "d1 in 1 s, d2 in 3 s, both timers: the first wins, the other is cancelled." << std::endl;
        asio::experimental::make_parallel_group(asio::co_spawn(ex, tutorial::poem_in(second, "d1 result"), asio::deferred),
                                                asio::co_spawn(ex, tutorial::poem_in(3 * second, "d2 result"),
                                                               asio::deferred))
            .async_wait(asio::experimental::wait_for_one(), tutorial::print_pair_results);
        loop.run();

        std::cout << "\nd1 in 1 s, d2 delivered in 3 s to an operation with no cancellation handler." << std::endl;
        pending<std::string> d2(loop);
        asio::steady_timer deliverer(loop, 3 * second);
        deliverer.async_wait([&](boost::system::error_code) { d2.deliver("d2 result, delivered anyway"); });
        asio::experimental::make_parallel_group(asio::co_spawn(ex, tutorial::poem_in(second, "d1 result"), asio::deferred),
                                                d2.async_wait(asio::deferred))
            .async_wait(asio::experimental::wait_for_one(), tutorial::print_pair_results);
        loop.restart();
        loop.run();
        return 0;
    });
}
