// defer-cancel-12: Part 19's defer-cancel-12.py. An outer operation is cancelled while it
// waits for an inner one: the cancellation reaches the inner operation.
//
// In the Python the outer Deferred has fired and is paused on the inner one its first
// callback returned; cancelling the outer cancels the inner. Here the outer operation is
// a coroutine awaiting the inner one. co_spawn gives the coroutine the cancellation slot
// of its completion handler, and a co_await hands the awaited operation a slot of the
// coroutine's own, so a signal emitted on the outer reaches the inner operation's
// cancellation handler; its operation_aborted comes out of the co_await as an exception.
#include "../common/command_line.hpp"
#include "../twisted-deferred/pending.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>

namespace asio = boost::asio;
using tutorial::pending;

asio::awaitable<void>
outer(pending<std::string>& inner)
{
    std::cout << "first outer step, waiting for the inner operation" << std::endl;
    try
    {
        const auto result = co_await inner.async_wait(asio::use_awaitable);
        std::cout << "second outer step got: " << result << std::endl;
    }
    catch (const boost::system::system_error& e)
    {
        std::cout << "outer error handler got: " << e.code().message() << std::endl;
    }
}

int
main(int argc, char** argv)
{
    return tutorial::run("defer-cancel-12", [&] {
        const tutorial::program_info info{"defer-cancel-12", "",
                                          "Part 19's defer-cancel-12: cancelling a coroutine reaches the operation it\n"
                                          "awaits."};
        if (!tutorial::no_options(argc, argv, info))
            return 0;

        asio::io_context loop;
        pending<std::string> inner(loop, [](pending<std::string>& cancelled) {
            std::cout << "inner cancellation handler." << std::endl;
            tutorial::abort_on_cancel(cancelled);
        });
        asio::cancellation_signal cancel;
        asio::co_spawn(loop, outer(inner), asio::bind_cancellation_slot(cancel.slot(), [](std::exception_ptr) {}));
        loop.poll(); // the coroutine runs to its co_await, and waits there

        std::cout << "cancelling the outer coroutine." << std::endl;
        cancel.emit(asio::cancellation_type::terminal);
        loop.run();
        std::cout << "done" << std::endl;
        return 0;
    });
}
