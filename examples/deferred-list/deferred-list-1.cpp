// deferred-list-1: Part 18's deferred-list-1.py. A set of no operations at all.
//
// Twisted's DeferredList of nothing fires at once, with an empty list. Asio's parallel
// group of a range (a vector of operations, its size known only at run time) completes
// when its last operation does; with none, Asio 1.26 never calls its handler, and run()
// returns because nothing is outstanding. A program that builds its set at run time checks
// for the empty set itself, as this one does after run().
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
    return tutorial::run("deferred-list-1", [&] {
        const tutorial::program_info info{"deferred-list-1", "",
                                          "Part 18's deferred-list-1: a group of no operations, whose handler Asio\n"
                                          "never calls; the empty set checked by hand."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context loop;
        std::vector<waiting_for_poem> operations; // none
        bool called = false;
        std::cout << "Empty set." << std::endl;
        asio::experimental::make_parallel_group(std::move(operations))
            .async_wait(asio::experimental::wait_for_all(),
                        [&](std::vector<std::size_t> order, std::vector<std::exception_ptr> errors,
                            std::vector<std::string> poems) {
                            called = true;
                            tutorial::print_results(order, errors, poems);
                        });
        std::cout << "Waiting on it." << std::endl;
        loop.run();
        if (!called)
        {
            std::cout << "run() returned, and the group's handler was never called: it has no operation" << std::endl;
            std::cout << "to wait for. So the empty set is checked by hand:" << std::endl;
            tutorial::print_results({}, {}, {});
        }
        return 0;
    });
}
