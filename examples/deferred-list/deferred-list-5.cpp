// deferred-list-5: Part 18's deferred-list-5.py. One operation fails among successes:
// the group waits for all and gives each operation's own outcome, the failure as a
// failure. Twisted needs consumeErrors=True for the list to take the error over (without
// it, deferred-list-6.py, the failure is also reported unhandled). A group always takes
// its operations' errors: each goes to its one handler, and nothing is left over.
#include "../common/command_line.hpp"
#include "results.hpp"

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>

#include <iostream>
#include <vector>

namespace asio = boost::asio;
using tutorial::pending;

// An operation not started yet (asio::deferred makes one): the group starts it.
using waiting_for_poem = decltype(std::declval<pending<std::string>&>().async_wait(asio::deferred));

int
main(int argc, char** argv)
{
    return tutorial::run("deferred-list-5", [&] {
        const tutorial::program_info info{"deferred-list-5", "",
                                          "Part 18's deferred-list-5: one failure among successes, each operation's\n"
                                          "own outcome in the group's results."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context loop;
        pending<std::string> d1(loop), d2(loop);
        std::vector<waiting_for_poem> operations;
        operations.push_back(d1.async_wait(asio::deferred));
        operations.push_back(d2.async_wait(asio::deferred));
        asio::experimental::make_parallel_group(std::move(operations))
            .async_wait(asio::experimental::wait_for_all(), tutorial::print_results);
        std::cout << "Delivering d1." << std::endl;
        d1.deliver("d1 result");
        std::cout << "Failing d2." << std::endl;
        d2.fail(std::make_exception_ptr(std::runtime_error("d2 failure")));
        loop.run(); // the results are handed over here, and the group's handler runs
        return 0;
    });
}
