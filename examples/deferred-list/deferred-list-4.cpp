// deferred-list-4: Part 18's deferred-list-4.py. The same two operations completed the
// other way round: the results still come in the order the operations were given (list
// order), and the group says beside them the order they completed in, which a
// DeferredList does not.
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
    return tutorial::run("deferred-list-4", [&] {
        const tutorial::program_info info{"deferred-list-4", "",
                                          "Part 18's deferred-list-4: completed out of order, the results still in\n"
                                          "list order, the completion order beside them."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context loop;
        pending<std::string> d1(loop), d2(loop);
        std::vector<waiting_for_poem> operations;
        operations.push_back(d1.async_wait(asio::deferred));
        operations.push_back(d2.async_wait(asio::deferred));
        asio::experimental::make_parallel_group(std::move(operations))
            .async_wait(asio::experimental::wait_for_all(), tutorial::print_results);
        std::cout << "Delivering d2." << std::endl;
        d2.deliver("d2 result");
        std::cout << "Delivering d1." << std::endl;
        d1.deliver("d1 result");
        loop.run(); // the results are handed over here, and the group's handler runs
        return 0;
    });
}
