// defer-11: the tutorial's twisted-deferred/defer-11.py. A result that is there before
// anyone waits for it.
//
// A Deferred fired before its callbacks are added calls each one as it is added, inside
// addCallback. Asio never calls a handler inside the initiating function: async_wait on a
// result that is already there posts the handler to the loop, and it runs in run(). (The
// Python's second half pauses a Deferred so that it holds its result until unpaused; an
// operation's result held until someone waits, as here, is the Asio form of it.)
//
// A result given to a handler that is already waiting is dispatched: from inside the loop
// it runs at once, before deliver() returns, as d.callback() runs the callbacks. post()
// would queue it behind the handler running now. The last part shows the two side by side.
#include "../common/command_line.hpp"
#include "pending.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include <iostream>

namespace asio = boost::asio;
using tutorial::pending;

void
print_result(std::exception_ptr, int got)
{
    std::cout << "handler got " << got << std::endl;
}

int
main(int argc, char** argv)
{
    return tutorial::run("defer-11", [&] {
        const tutorial::program_info info{
            "defer-11", "",
            "The tutorial's defer-11: a result there before anyone waits is posted, never\n"
            "handed over inside async_wait; dispatch against post."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context loop;
        std::cout << "Delivering 0 before anyone waits." << std::endl;
        pending<int> early(loop);
        early.deliver(0);
        early.async_wait(print_result);
        std::cout << "async_wait returned: the handler is queued, not called." << std::endl;
        loop.run();

        std::cout << "\nDelivering 1 from inside the loop to a waiting handler." << std::endl;
        pending<int> waiting(loop);
        waiting.async_wait(print_result);
        asio::post(loop, [&] {
            waiting.deliver(1);
            std::cout << "deliver returned: the handler ran inside it." << std::endl;
        });
        loop.restart();
        loop.run();

        std::cout << "\nDispatch against post, from inside a handler." << std::endl;
        asio::post(loop, [&] {
            asio::post(loop, [] { std::cout << "posted: runs after the handler that posted it" << std::endl; });
            asio::dispatch(loop, [] { std::cout << "dispatched: runs at once" << std::endl; });
            std::cout << "the handler that posted and dispatched returns" << std::endl;
        });
        loop.restart();
        loop.run();
        return 0;
    });
}
