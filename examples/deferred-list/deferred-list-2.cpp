// deferred-list-2: Part 18's deferred-list-2.py. A set of one operation: the group's
// handler runs once that operation has its result, and gets it as a list of one.
//
// The group (Asio's DeferredList) starts its operations itself: each is handed to it not
// yet started, made with asio::deferred. Its handler gets each operation's error and
// value in the order the operations were given, and the order they completed in.
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
    return tutorial::run("deferred-list-2", [&] {
        const tutorial::program_info info{"deferred-list-2", "",
                                          "Part 18's deferred-list-2: a group of one operation, completed when it is."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context loop;
        pending<std::string> d1(loop);
        std::vector<waiting_for_poem> operations;
        operations.push_back(d1.async_wait(asio::deferred));
        asio::experimental::make_parallel_group(std::move(operations))
            .async_wait(asio::experimental::wait_for_all(), tutorial::print_results);
        std::cout << "Delivering d1." << std::endl;
        d1.deliver("d1 result");
        loop.run(); // the results are handed over here, and the group's handler runs
        return 0;
    });
}
